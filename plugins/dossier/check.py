"""The spine of ``dossier check``, and the first half of every build: read → validate → resolve.

``load_site`` checks all content and returns the site model (or every diagnostic);
``check_files`` checks some files, as fast as a pre-commit hook needs; ``read_content`` is the
read stage alone, for the editing commands.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import replace
from pathlib import Path

from dossier.data import load_kinds
from dossier.diagnostics import Diagnostic, has_errors
from dossier.read.cache_files import warning
from dossier.read.check_cache import CheckCache, code_version
from dossier.read.corpus import Corpus, Overlay, display_path, read_corpus
from dossier.resolve.model import Site, resolve
from dossier.schemas import Schemas, id_fields, ids_in, load_schemas
from dossier.settings import DossierSettings
from dossier.validate import validate

OnFile = Callable[[Path], None]


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
) -> tuple[Site | None, list[Diagnostic]]:
    """The validated site model, or None when any error was found; and every diagnostic, those
    found in the settings (``settings.read``) first. ``warn`` hears of a damaged check cache
    (which is then rebuilt): the build says so; ``dossier check`` says nothing, since what it
    reports does not depend on the cache."""
    cache = check_cache(settings)
    if cache and cache.damage and warn:
        warn(warning(cache.path, cache.damage))
    corpus, schemas = read_content(settings, cwd, on_file=on_file, cache=cache)
    diagnostics = [*settings_problems, *validate(corpus, schemas, settings, cache=cache)]
    if cache:
        cache.save()
    if has_errors(diagnostics):
        return None, diagnostics
    site = resolve(corpus, schemas)
    srcs = [a.data["image"]["src"] for a in site.articles if "image" in a.data]
    diagnostics += unused_entities(site, schemas.entity_link_fields)
    return replace(site, images=settings.read_images(srcs)), diagnostics


def check_cache(settings: DossierSettings) -> CheckCache | None:
    """The cache of what earlier runs read and validated; DOSSIER_CACHE = False turns it off."""
    if not settings.cache:
        return None
    version = code_version(settings.schema_folder)
    return CheckCache(settings.cache_folder / "dossier-check.json", version)


def check_files(
    settings: DossierSettings,
    paths: Iterable[Path],
    cwd: Path | None = None,
    overlay: Overlay | None = None,
) -> list[Diagnostic]:
    """The diagnostics of some files (folders stand for the files in them) and of the registry
    entries they reference. Other articles are not read, except the given articles' language
    versions, which must agree with them; the registry is read whole, for ids and suggestions.
    Static files (images) are checked themselves and through the articles that show them.
    Raises NotContentError for a path outside the content folder. With ``overlay``, the files
    are checked as a planned change would leave them: the editing commands check their work
    this way before they write anything."""
    cwd = (cwd or Path.cwd()).resolve()
    content = settings.content_folder.resolve()
    article_roots = [content / folder for folder in settings.article_paths]
    given: set[Path] = set()
    for name in paths:
        path = (cwd / name).resolve()
        if not path.is_relative_to(content):
            raise NotContentError(f"{display_path(path, cwd)} is not in the content folder")
        if path.is_dir():
            given.update(p for p in path.rglob("*") if p.is_file())
        else:
            given.add(path)
    articles = {p for p in given if any(p.is_relative_to(root) for root in article_roots)}
    # Language versions: <slug>.<lang>.md in any year; the folders are walked once, however
    # many articles are given (a rename gives hundreds).
    planned = {p.parent.resolve() / p.name: raw for p, raw in (overlay or {}).items()}
    slugs = {p.name.split(".")[0] for p in articles}
    if slugs:
        for root in article_roots:
            found = [*root.glob("**/*.md")]
            found += [p for p, raw in planned.items() if raw is not None and p.is_relative_to(root)]
            articles.update(p for p in found if _version_of(p.name, slugs))
    articles -= {p for p, raw in planned.items() if raw is None}
    static_roots = [content / folder for folder in settings.static_paths]
    static = {p for p in given if any(p.is_relative_to(root) for root in static_roots)}
    corpus, schemas = read_content(settings, cwd, articles, static=static, overlay=overlay)
    shown = frozenset(display_path(p, cwd) for p in given)
    focus = set(shown)
    by_id = {e.id: e for e in corpus.entities}
    for doc, schema in [
        *((a, schemas.article) for a in corpus.articles),
        *((e.doc, schemas.entities[e.kind]) for e in corpus.entities),
    ]:
        if doc.display not in shown or not isinstance(doc.data, dict):
            continue
        for name in id_fields(schema):
            for target in ids_in(doc.data.get(name)):
                if target in by_id:
                    focus.add(by_id[target].doc.display)
    return validate(corpus, schemas, settings, frozenset(focus))


def _version_of(name: str, slugs: set[str]) -> bool:
    """Whether a file named ``name`` is ``<slug>.*.md`` for one of the ``slugs``."""
    slug = name.split(".", maxsplit=1)[0]
    return slug in slugs and name.endswith(".md") and len(name) >= len(slug) + 4


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
