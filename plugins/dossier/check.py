"""The spine of ``dossier check``, and the first half of every build: read → validate → resolve.

``load_site`` checks all content and returns the site model (or every diagnostic);
``Checker`` does the same again and again, after changes, reading and checking only what they
touch (``dossier serve``); ``check_files`` checks some files, as fast as a pre-commit hook
needs; ``suggest_files`` reads articles and the registry for ``dossier suggest``'s notes alone;
``read_content`` is the read stage alone, for the editing commands.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from dossier.data import load_kinds
from dossier.diagnostics import UNPRINTABLE, Diagnostic, has_errors
from dossier.read.cache_files import warning
from dossier.read.check_cache import CheckCache, code_version
from dossier.read.corpus import (
    Corpus,
    EntityFile,
    Overlay,
    display_path,
    mentioning,
    read_corpus,
)
from dossier.read.source import Document, read_article, read_entity
from dossier.resolve.model import Site, resolve, update
from dossier.schemas import Schemas, ids_in, list_items, load_schemas
from dossier.settings import DossierSettings
from dossier.settings import read as read_settings
from dossier.suggest import suggest as suggestions
from dossier.validate import validate
from dossier.validate.reach import reach
from dossier.validate.rules import former_slugs
from dossier.validate.run import Validation

OnFile = Callable[[Path], None]


# Articles ``check_files`` reads, beyond which the check cache is worth loading.
CACHE_WORTH = 300


class NotContentError(ValueError):
    """A path given to ``check`` that lies outside the content folder."""


def read_content(
    settings: DossierSettings,
    cwd: Path | None = None,
    articles: Collection[Path] | None = None,
    on_file: OnFile | None = None,
    cache: CheckCache | None = None,
    static: Collection[Path] | None = None,
    overlay: Overlay | None = None,
) -> tuple[Corpus, Schemas]:
    """The read stage for the settings' content folder, and the schemas it is read against;
    with ``articles`` and ``static``, only those articles and static files are read (and the
    whole registry); with ``overlay``, the content as a planned change would leave it
    (``read_corpus``)."""
    schemas = load_schemas(settings.schema_folder)
    kinds = [k for k in load_kinds() if k in schemas.kinds]
    corpus = read_corpus(
        settings.content_folder,
        list(settings.article_paths),
        settings.registry_path,
        kinds,
        schemas.id_pattern,
        (cwd or Path.cwd()).resolve(),
        cache,
        articles,
        on_file,
        overlay,
        static_dirs=settings.static_paths,
        page_dirs=settings.page_paths,
        static=static,
    )
    return corpus, schemas


def load_site(
    settings: DossierSettings,
    settings_problems: Iterable[Diagnostic] = (),
    cwd: Path | None = None,
    on_file: OnFile | None = None,
    warn: Callable[[str], None] | None = None,
    now: datetime | None = None,
    *,
    suggest: bool = False,
) -> tuple[Site | None, list[Diagnostic]]:
    """The validated site model, or None when any error was found; and every diagnostic, those
    found in the settings (``settings.read``) first. ``warn`` hears of a damaged check cache
    (which is then rebuilt): the build says so; ``dossier check`` says nothing, since what it
    reports does not depend on the cache. The model is published as of ``now`` (default: the
    build time, ``DossierSettings.build_time``); what check reports never depends on it. With
    ``suggest``, the notes of ``dossier suggest`` on every article too (``dossier check
    --suggest``)."""
    cache = check_cache(settings)
    if cache and cache.damage and warn:
        warn(warning(cache.path, cache.damage))
    corpus, schemas = read_content(settings, cwd, on_file=on_file, cache=cache)
    diagnostics = [*settings_problems, *validate(corpus, schemas, settings, cache=cache)]
    if cache:
        cache.save()
    site, diagnostics = _site(corpus, schemas, settings, diagnostics, now or settings.build_time())
    return site, sorted(diagnostics + suggestions(corpus, schemas)) if suggest else diagnostics


def _site(
    corpus: Corpus,
    schemas: Schemas,
    settings: DossierSettings,
    diagnostics: list[Diagnostic],
    now: datetime,
) -> tuple[Site | None, list[Diagnostic]]:
    """Resolve a validated corpus, unless ``diagnostics`` has an error; warnings added."""
    if has_errors(diagnostics):
        return None, diagnostics
    site = resolve(corpus, schemas, now)
    diagnostics += unused_entities(site, schemas.entity_link_fields)
    return replace(site, images=settings.read_images(_images(site))), diagnostics


def _images(site: Site) -> list[str]:
    return [a.data["image"]["src"] for a in site.articles if "image" in a.data]


class Checker:
    """``load_site``, kept between runs: ``dossier serve`` checks all content once, then again
    after every save, and a save changes one file of thousands.

    ``run(changed)`` reads again only the ``changed`` files, when each is an article or a
    registry entry where such files belong (or was one, and is gone); anything else (a static
    file, a folder, a file in the wrong place) reads the whole content folder again, as
    ``load_site`` does, so that every problem with the files is found as the build finds it
    (the images the settings name included: ``values`` are Pelican's settings).
    Then only what the changed files can change is checked again (``Validation.again``) and
    resolved again (``resolve.model.update``). What it finds is what ``load_site`` finds for
    the same files. Nothing is written: not even the check cache, which is read once and kept
    in memory. What is published is decided as of the time the checker was made (``now``),
    kept for as long as it is: a scheduled article stays scheduled until it is made again."""

    def __init__(self, values: Mapping[str, Any], cwd: Path | None = None) -> None:
        self.values = values  # Pelican's settings: read again with the files (their images)
        self.settings, self.problems = read_settings(values)
        self.now = self.settings.build_time()
        self.cwd = (cwd or Path.cwd()).resolve()
        self.cache = check_cache(self.settings)
        self.corpus: Corpus | None = None
        self.schemas: Schemas | None = None
        self.validation: Validation | None = None
        self.where: dict[Path, int] = {}  # article path -> its place in corpus.articles
        # The last model resolved, and what changed in the corpus since (while it had errors).
        self.site: Site | None = None
        self.since: dict[Path, Document | None] = {}
        self.entries_since = False

    def run(self, changed: Collection[Path] | None = None) -> tuple[Site | None, list[Diagnostic]]:
        """The site model (None when the content has errors) and every diagnostic, as
        ``load_site`` gives them; ``changed``: the files changed since the last run (None:
        unknown, so everything is read)."""
        content = self.settings.content_folder.resolve()
        inside = {
            path.parent.resolve() / path.name
            for path in changed or ()
            if (path.parent.resolve() / path.name).is_relative_to(content)
        }
        read = None if changed is None or self.validation is None else self._read(inside, content)
        if read is None:
            self.problems = read_settings(self.values)[1]  # the images they name may have changed
            self.corpus, self.schemas = read_content(self.settings, self.cwd, cache=self.cache)
            self.where = {doc.path: n for n, doc in enumerate(self.corpus.articles)}
            reserved = self.validation.reserved if self.validation else None
            self.validation = Validation.of(
                self.corpus, self.schemas, self.settings, self.cache, reserved=reserved
            )
            self.site, self.since, self.entries_since = None, {}, False
        else:
            articles, entries = read
            self.validation = self.validation.again(self.corpus, articles, entries)
            self.since.update(articles)
            self.entries_since |= entries
        assert self.corpus is not None
        assert self.schemas is not None
        diagnostics = [*self.problems, *self.validation.diagnostics()]
        if has_errors(diagnostics):
            return None, diagnostics
        if self.site is None:
            site = resolve(self.corpus, self.schemas, self.now)
            images = self.settings.read_images(_images(site))
        else:
            before = self.site
            site = update(before, self.corpus, self.schemas, self.since, self.entries_since)
            if site is before:  # only texts changed: the model is as it was
                self.since, self.entries_since = {}, False
                return site, diagnostics + unused_entities(site, self.schemas.entity_link_fields)
            shown = [
                a.data
                for a in [*map(before.by_path.get, self.since), *map(site.by_path.get, self.since)]
                if a is not None
            ]
            images = before.images
            if any("image" in data for data in shown):
                images = self.settings.read_images(_images(site))
        # (A site made anew forgets what it worked out once asked: replaced only if need be.)
        self.site = site if images is site.images else replace(site, images=images)
        self.since, self.entries_since = {}, False
        return self.site, diagnostics + unused_entities(site, self.schemas.entity_link_fields)

    def _read(
        self, changed: set[Path], content: Path
    ) -> tuple[dict[Path, Document | None], bool] | None:
        """Read the changed articles and entries (absolute paths, below the resolved
        ``content``) into the corpus: the articles changed, added or removed (path -> the
        document read, None when gone), and whether an entry changed. None, with the corpus as
        it was, when a change is not one of those: then everything is read again."""
        corpus, schemas = self.corpus, self.schemas
        assert corpus is not None
        assert schemas is not None
        entities = {entity.doc.path: entity for entity in corpus.entities}
        registry = content / self.settings.registry_path
        roots = [content / folder for folder in self.settings.article_paths]
        valid_id = re.compile(schemas.id_pattern)
        articles: dict[Path, Document | None] = {}
        entries = False
        for path in changed:
            gone = not path.exists() and not path.is_symlink()
            if gone and path not in self.where and path not in entities:
                if any(part.startswith(".") for part in path.relative_to(content).parts):
                    continue  # hidden: never read
                listed = [*self.where, *entities, *(s.path for s in corpus.static)]
                if any(p.is_relative_to(path) for p in listed):
                    return None  # a static file, or a folder moved away with what it held
                if display_path(path, self.cwd) in {d.path for d in corpus.layout}:
                    return None  # a file in the wrong place, gone
                continue  # an editor's temporary file, come and gone
            place = _place(path, content, roots, registry, schemas.kinds, valid_id, self.settings)
            if place is None or not (gone or (path.is_file() and not path.is_symlink())):
                return None
            shown = display_path(path, self.cwd)
            if place == "article":
                articles[path] = None if gone else read_article(path, shown, self.cache)
                continue
            entries = True
            if gone:
                del entities[path]
            else:
                doc = read_entity(path, shown, self.cache)
                entities[path] = EntityFile(path.parent.name, path.stem, doc)
        if entries:
            corpus.entities = [entities[p] for p in sorted(entities, key=lambda p: p.parts)]
        order = {root: number for number, root in enumerate(roots)}

        def walked(doc: Document) -> tuple:  # read_corpus's order: by folder, then below it
            root = next(r for r in roots if doc.path.is_relative_to(r))
            return (order[root], doc.path.parts[len(root.parts) :])

        # Each file keeps its place; a removed one leaves it, a new one takes its own.
        gone = sorted(
            (self.where[p] for p, doc in articles.items() if doc is None and p in self.where)
        )
        for path, doc in articles.items():
            if doc is not None and path in self.where:
                corpus.articles[self.where[path]] = doc
        for place in reversed(gone):
            del corpus.articles[place]
        shifted = [*gone, len(corpus.articles)]  # the first place whose file moves
        for path, doc in articles.items():
            if doc is not None and path not in self.where:
                at = bisect.bisect(corpus.articles, walked(doc), key=walked)
                corpus.articles.insert(at, doc)
                shifted.append(at)
        for path, doc in articles.items():
            if doc is None:
                self.where.pop(path, None)
        start = min(shifted)
        self.where.update((doc.path, n) for n, doc in enumerate(corpus.articles[start:], start))
        return articles, entries


def check_cache(settings: DossierSettings) -> CheckCache | None:
    """The cache of what earlier runs read and validated; DOSSIER_CACHE = False turns it off."""
    if not settings.cache:
        return None
    version = code_version(settings.schema_folder)
    return CheckCache(settings.cache_folder / "dossier-check.json", version)


def _place(
    path: Path,
    content: Path,
    roots: list[Path],
    registry: Path,
    kinds: Collection[str],
    valid_id: re.Pattern[str],
    settings: DossierSettings,
) -> str | None:
    """ "article" or "entity" when ``path`` is where such a file belongs, with a name that
    ``read_corpus`` reads without a word about it; None for anything else."""
    relative = path.relative_to(content)
    if UNPRINTABLE.search(path.name) or any(part.startswith(".") for part in relative.parts):
        return None
    if any(relative.is_relative_to(folder) for folder in settings.static_paths):
        return None
    in_pages = any(relative.is_relative_to(folder) for folder in settings.page_paths)
    if path.suffix == ".md" and any(path.is_relative_to(root) for root in roots):
        return "article"
    if in_pages:
        return None
    entry = path.is_relative_to(registry) and len(path.relative_to(registry).parts) == 2
    if entry and path.parent.name in kinds and path.suffix == ".yaml":
        return "entity" if valid_id.fullmatch(path.stem) else None
    return None


def check_files(
    settings: DossierSettings,
    paths: Iterable[Path],
    cwd: Path | None = None,
    overlay: Overlay | None = None,
    *,
    suggest: bool = False,
) -> list[Diagnostic]:
    """Every problem the build would report that some files take part in (folders stand for
    the files in them; a path in the content folder where nothing is stands for a file
    removed): the files' own, their language versions', the registry entries they reference,
    and what references them or shares an id or slug with them (``validate.reach``).
    The registry is read whole; of the articles, the given ones, their language versions, and
    those whose text mentions a given or removed entry's id (or a former id), a given or
    removed article's slug (it may be another's former address), or a removed or given static
    file's name (``read.corpus.mentioning``, a search of the files' bytes).
    Raises NotContentError for a path outside the content folder. With ``overlay``, the files
    are checked as a planned change would leave them (its removed files count as given): the
    editing commands check their work this way before they write anything. With ``suggest``,
    the notes of ``dossier suggest`` on the given articles too."""
    cwd = (cwd or Path.cwd()).resolve()
    content = settings.content_folder.resolve()
    planned = {p.parent.resolve() / p.name: raw for p, raw in (overlay or {}).items()}
    given, removed = _given(paths, cwd, content, planned)
    removed |= {p for p, raw in planned.items() if raw is None and p.is_relative_to(content)}
    given -= removed
    article_roots = [content / folder for folder in settings.article_paths]
    static_roots = [content / folder for folder in settings.static_paths]
    registry = content / settings.registry_path
    static = {p for p in given if any(p.is_relative_to(root) for root in static_roots)}
    entries = [p for p in given if p.is_relative_to(registry) and p.suffix == ".yaml"]
    words = {p.stem for p in [*entries, *removed] if p.is_relative_to(registry)}
    words |= _former_ids(entries, cwd, planned)
    files = [p for p in [*removed, *static] if not p.is_relative_to(registry)]
    words |= {p.name for p in files}
    if files:  # a link's address may spell a name in other ways (%2D): every text that links
        words |= {"filename", "static", "attach"}

    # An article that had a given one's slug at a former address (``formerly``, whose file
    # name says its slug now): the address redirects to it, so no other article may take it.
    def is_article(path: Path) -> bool:
        return path.suffix == ".md" and any(path.is_relative_to(r) for r in article_roots)

    words |= {p.name.split(".")[0] for p in [*given, *removed] if is_article(p)}
    # And the article that has, or had, one of a given article's former addresses. (Read
    # here once: their versions are found by their slugs below.)
    fronts = {
        p: read_article(p, display_path(p, cwd), None, planned.get(p))
        for p in given
        if is_article(p)
    }
    words |= {slug for doc in fronts.values() for slug in former_slugs(doc)}
    mentioned = mentioning(article_roots, words, overlay) if words else set()
    # The cache the full check keeps, read and not written (this run uses a part of it only):
    # loading it costs about as much as parsing a few hundred articles.
    cache = check_cache(settings) if len(mentioned) > CACHE_WORTH else None
    articles = _with_versions(given | removed | mentioned, article_roots, planned, cache, fronts)
    corpus, schemas = read_content(
        settings, cwd, articles, cache=cache, static=static, overlay=overlay
    )
    scope = reach(corpus, schemas, settings, given, removed)
    shown = {display_path(p, cwd) for p in given} | scope.focus
    checked = replace(corpus, articles=scope.articles)
    found = validate(checked, schemas, settings, frozenset(shown), cache)
    if not suggest:
        return found
    named = frozenset(display_path(p, cwd) for p in given)
    return sorted(found + suggestions(corpus, schemas, named))


def suggest_files(
    settings: DossierSettings, paths: Iterable[Path] = (), cwd: Path | None = None
) -> list[Diagnostic]:
    """``dossier suggest``: the notes on the given articles (folders stand for the articles in
    them; no paths: every article), and the problems that kept an article from being read (a
    note needs its front matter). The registry is read whole; nothing is validated."""
    if paths:
        corpus, schemas, shown = _read_articles(settings, paths, cwd)
    else:
        corpus, schemas = read_content(settings, cwd)
        shown = frozenset(doc.display for doc in corpus.articles)
    unread = [p for doc in corpus.articles if doc.display in shown for p in doc.problems]
    return sorted(unread + suggestions(corpus, schemas, shown))


def _read_articles(
    settings: DossierSettings, paths: Iterable[Path], cwd: Path | None = None
) -> tuple[Corpus, Schemas, frozenset[str]]:
    """The read stage for ``suggest_files``: the given articles (folders stand for the files
    in them) and the whole registry, and the given files as diagnostics show them."""
    cwd = (cwd or Path.cwd()).resolve()
    content = settings.content_folder.resolve()
    given, _ = _given(paths, cwd, content, {})
    roots = [content / folder for folder in settings.article_paths]
    articles = {p for p in given if any(p.is_relative_to(root) for root in roots)}
    corpus, schemas = read_content(settings, cwd, articles)
    return corpus, schemas, frozenset(display_path(p, cwd) for p in given)


def _former_ids(entries: Iterable[Path], cwd: Path, planned: Overlay) -> set[str]:
    """The former ids the given registry files list: what still names one is checked too."""
    found: set[str] = set()
    for path in entries:
        data = read_entity(path, display_path(path, cwd), None, planned.get(path)).data
        values = data.get("formerly") if isinstance(data, dict) else None
        found.update(old for old in list_items(values) if isinstance(old, str))
    return found


def _given(
    paths: Iterable[Path], cwd: Path, content: Path, planned: Overlay
) -> tuple[set[Path], set[Path]]:
    """The files named by ``paths`` (folders stand for the files in them), and those named
    where nothing is (removed; planned files count as there). Raises NotContentError for a
    path outside the resolved ``content`` folder."""
    given: set[Path] = set()
    removed: set[Path] = set()
    for name in paths:
        # The folder resolved, not the file: a link is checked as the link it is (its target
        # may lie outside); a trailing '..' is a folder, resolved too.
        full = cwd / name
        path = full.resolve() if full.name == ".." else full.parent.resolve() / full.name
        if not path.is_relative_to(content):
            raise NotContentError(f"{display_path(path, cwd)} is not in the content folder")
        if path.is_dir():
            given.update(p for p in path.rglob("*") if p.is_file())
        elif path.exists() or planned.get(path) is not None:
            given.add(path)
        else:
            removed.add(path)
    return given, removed


def _with_versions(
    given: set[Path],
    roots: list[Path],
    planned: Overlay,
    cache: CheckCache | None,
    read: Mapping[Path, Document],
) -> set[Path]:
    """The articles among ``given`` and their language versions: <slug>.<lang>.md in any year
    (a slug is the site's once; a removed article's versions too), by the slug in the file
    name and the one in the front matter (they differ by mistake, in case too); ``read``: the
    articles read already. The folders are walked once, however many articles are given (a
    rename gives hundreds)."""
    articles = {p for p in given if any(p.is_relative_to(root) for root in roots)}
    slugs = {p.name.split(".")[0].casefold() for p in articles}
    for path in articles:
        if path in read:
            data = read[path].data
        elif path.exists() or planned.get(path) is not None:
            data = read_article(path, path.name, cache, planned.get(path)).data
            slug = data.get("slug") if isinstance(data, dict) else None
            slugs.update([slug.casefold()] if isinstance(slug, str) else [])
    if slugs:
        for root in roots:
            found = [*root.glob("**/*.md")]
            found += [p for p, raw in planned.items() if raw is not None and p.is_relative_to(root)]
            articles.update(p for p in found if p.name.split(".")[0].casefold() in slugs)
    return articles - {p for p, raw in planned.items() if raw is None}


def unused_entities(site: Site, link_fields: frozenset[str]) -> list[Diagnostic]:
    """Entries nothing published points at: not an error (their topic page says there is no
    article yet, so links never break), but worth knowing before a reader finds the page."""
    linked = {
        target
        for entity in site.entities.values()
        for key, value in entity.data.items()
        if key in link_fields
        for target in ids_in(value)
    }
    return [
        Diagnostic(
            path=entity.source,
            line=1,
            column=1,
            field="",
            message=f"no published article or registry entry references '{entity.id}' yet",
            hint="its topic page says so; reference it from an article, or remove the file",
            code="unused-entity",
            severity="warning",
        )
        for entity in site.entities.values()
        if entity.id not in site.referencing and entity.id not in linked
    ]
