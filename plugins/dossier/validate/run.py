"""Validate stage, the run: every check over the read corpus, in order. Problems met while
reading; ids unique across the registry; each registry entry against its schema and the rules
for entries; links without cycles, former ids, and ids that do not take the site's own
addresses; each article against its schema and the rules for articles and the HTML in its text;
then slugs and language versions across articles; then the static files.

``validate`` is the whole stage. ``Validation`` is the same run kept by part (the registry, each
article, each slug's language versions, the files), so that after a change only the parts it
touched are checked again (``Validation.again``): ``dossier serve`` checks after every save, and
a save changes one file of thousands.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any

from jsonschema import ValidationError

from dossier.data import singular
from dossier.diagnostics import Diagnostic
from dossier.read.check_cache import CheckCache, registry_facts
from dossier.read.corpus import Corpus
from dossier.read.images import is_remote, local_file, read_image
from dossier.read.source import Document
from dossier.schemas import Schemas
from dossier.settings import DossierSettings
from dossier.validate.body import check_body
from dossier.validate.context import CheckContext
from dossier.validate.explain import explain_all
from dossier.validate.rules import (
    check_article,
    check_cycles,
    check_event_dates,
    check_former_addresses,
    check_former_ids,
    check_reserved_ids,
    check_slugs,
    check_translations,
    former_slugs,
    language_versions,
    unique_entities,
)
from dossier.validate.static import check_static_files


def _article_images(articles: list[Document]) -> Iterator[str]:
    """The local images the articles show (``image.src``): their checks open them in full."""
    for doc in articles:
        image = doc.data.get("image") if isinstance(doc.data, dict) else None
        src = image.get("src") if isinstance(image, dict) else None
        if isinstance(src, str) and not is_remote(src):
            yield src


def validate(
    corpus: Corpus,
    schemas: Schemas,
    settings: DossierSettings,
    focus: frozenset[str] | None = None,
    cache: CheckCache | None = None,
) -> list[Diagnostic]:
    """Every problem in the corpus; with ``focus`` (paths as diagnostics show them), only the
    problems of those files, and registry entries outside it are read for their ids and names
    but not checked themselves (``dossier check PATHS``). With ``cache``, data that passed its
    schema before under the same registry facts is not checked against it again, and an image
    that decoded before is not decoded again. ``settings``: where the content, its static
    folders and articles are, the URL patterns (for the addresses ids and slugs take), the
    images' pixel limit, the hosts an article's text may embed from."""
    problems = Validation.of(corpus, schemas, settings, cache, focus).diagnostics()
    if focus is not None:
        problems = [d for d in problems if d.path in focus]
    return problems


@dataclass(frozen=True)
class ArticleResult:
    """One article's own checks: the document checked, what was found, and the fields whose
    values its schema rejected (the checks across files skip those: one mistake, one message)."""

    doc: Document
    found: list[Diagnostic]
    broken: frozenset[str]
    # Whether its text may link another article ({filename}): looked at again when files come
    # or go (worked out once: a large archive's texts are long).
    links: bool = False


@dataclass(frozen=True)
class Validation:
    """A run of the validate stage, kept by part.

    ``files``: the problems with files as they were listed (layout) and the static files';
    ``registry``: the entries' own problems and those across entries; ``articles``: each
    article's own (by path); ``groups``: each slug's, across its articles (a slug used twice in
    a language, language versions that disagree). ``facts``: what the registry tells the
    checks of articles (every id with its kind and type, and the former ids); when an entry's
    change leaves them as they were, no article needs checking again."""

    schemas: Schemas
    settings: DossierSettings
    cache: CheckCache | None
    ctx: CheckContext  # the registry, as the articles' checks know it
    files: list[Diagnostic]
    registry: list[Diagnostic]
    entries: Entries
    checkers: Checkers  # the schemas' validators, for the registry's facts
    articles: dict[Path, ArticleResult]
    groups: dict[str, list[Diagnostic]]
    slugs: dict[str, tuple[Path, ...]]  # slug -> the paths of its articles, in reading order
    facts: tuple[frozenset, ...]
    images: frozenset[str]  # the local images the articles show
    # (kind, id) -> the site's address it would take (``reserved.id_conflict``), or None: the
    # same for every run under the same settings.
    reserved: dict[tuple[str, str], str | None] = field(default_factory=dict, compare=False)

    def diagnostics(self) -> list[Diagnostic]:
        """Every problem found, sorted, each once."""
        found = chain(
            self.files,
            self.registry,
            *(result.found for result in self.articles.values()),
            *self.groups.values(),
        )
        return sorted(set(found))

    @classmethod
    def of(
        cls,
        corpus: Corpus,
        schemas: Schemas,
        settings: DossierSettings,
        cache: CheckCache | None = None,
        focus: frozenset[str] | None = None,
        reserved: dict[tuple[str, str], str | None] | None = None,
    ) -> Validation:
        """Every check over the whole corpus (``validate``). With ``focus``, only the entries
        and articles shown as one of those paths are checked themselves."""
        reserved = {} if reserved is None else reserved
        context = _context(corpus, schemas, settings.timezone)
        checkers = schemas.validators(context[1].ids_by_kind, context[1].types)
        registry, ctx, own = _registry(
            corpus, schemas, settings, cache, focus, reserved, None, context, checkers
        )
        runner = _Articles(schemas, settings, ctx, cache, checkers, corpus.planned)
        # Every article read is checked, focus or not: a language version's broken fields
        # decide what its versions are told.
        articles = {doc.path: runner.check(doc) for doc in corpus.articles}
        groups, slugs = _groups(corpus.articles, articles, schemas, ctx, settings)
        images = frozenset(_article_images([d for d in corpus.articles if d.data is not None]))
        files = [*corpus.layout, *_static_files(corpus, settings, images)]
        return cls(
            schemas=schemas,
            settings=settings,
            cache=cache,
            ctx=ctx,
            files=files,
            registry=registry,
            entries=own,
            checkers=checkers,
            articles=articles,
            groups={slug: found for slug, found in groups.items() if found},
            slugs=slugs,
            facts=_facts(ctx),
            images=images,
            reserved=reserved,
        )

    def again(
        self, corpus: Corpus, articles: Mapping[Path, Document | None], entries: bool
    ) -> Validation:
        """The validation of ``corpus``, which differs from the one checked here only in the
        ``articles`` (path -> the document read now, None for one removed) and, with
        ``entries``, in the registry's entries. Only what those changes can change is checked
        again: the registry (after a change to an entry), the changed articles, the slugs of
        the changed articles before and after, and, when files came or went, the articles
        whose text links to other files. When an entry's change changed what the registry
        tells the articles (``facts``), everything is checked again."""
        schemas, settings, cache = self.schemas, self.settings, self.cache
        registry, ctx, own = self.registry, self.ctx, self.entries
        if entries:
            context = _context(corpus, schemas, settings.timezone)
            if _facts(context[1]) != self.facts:
                return Validation.of(corpus, schemas, settings, cache, reserved=self.reserved)
            registry, ctx, own = _registry(
                corpus, schemas, settings, cache, None, self.reserved, own, context, self.checkers
            )
        changed = dict(articles)
        if any((doc is None) == (path in self.articles) for path, doc in changed.items()):
            # Files came or went: {filename} links name articles, and a hint may name a file
            # beside an article's (rename it to …, which exists): look at those again.
            again = [r.doc for r in self.articles.values() if r.found or r.links]
            changed.update((doc.path, doc) for doc in again if doc.path not in changed)
        runner = _Articles(schemas, settings, ctx, cache, self.checkers, corpus.planned)
        results = dict(self.articles)
        for path, doc in changed.items():
            if doc is None:
                results.pop(path, None)
            else:
                results[path] = runner.check(doc)
        before = [self.articles[path].doc for path in changed if path in self.articles]
        now = [doc for doc in changed.values() if doc is not None]
        affected = {slug for doc in [*before, *now] for slug in _slugs(doc)}
        slugs = dict(self.slugs)
        for slug in affected:
            kept = [p for p in slugs.pop(slug, ()) if p not in changed]
            slugs[slug] = (*kept, *(doc.path for doc in now if slug in _slugs(doc)))
        # An article is in the group of its slug and of each of its former ones: once each.
        candidates = {p: results[p].doc for slug in affected for p in slugs[slug]}
        found, by_slug = _groups(
            sorted(candidates.values(), key=self._walked), results, schemas, ctx, settings
        )
        # Only the affected slugs' groups hold all their articles here.
        slugs.update({slug: paths for slug, paths in by_slug.items() if slug in affected})
        groups = {**self.groups, **{slug: found.get(slug, []) for slug in affected}}
        images, files = self.images, self.files
        if any(next(_article_images([doc]), None) for doc in [*before, *now] if doc.data):
            images = frozenset(_article_images([d for d in corpus.articles if d.data is not None]))
        if images != self.images:  # the static files' check leaves the articles' images out
            files = [*corpus.layout, *_static_files(corpus, settings, images)]
        return replace(
            self,
            ctx=ctx,
            files=files,
            registry=registry,
            entries=own,
            articles=results,
            groups={slug: found for slug, found in groups.items() if found},
            slugs={slug: paths for slug, paths in slugs.items() if paths},
            images=images,
        )

    def _walked(self, doc: Document) -> tuple:
        """Where ``read_corpus`` reads a document: by article folder, then by its path there."""
        content = self.settings.content_folder.resolve()
        for number, folder in enumerate(self.settings.article_paths):
            root = content / folder
            if doc.path.is_relative_to(root):
                return number, doc.path.parts[len(root.parts) :]
        return len(self.settings.article_paths), doc.path.parts


def _slug(doc: Document) -> str | None:
    slug = doc.data.get("slug") if isinstance(doc.data, dict) else None
    return slug if isinstance(slug, str) else None


def _slugs(doc: Document) -> list[str]:
    """The groups an article is checked in: its slug's, and those of its former addresses'
    slugs (an address it left must not be another article's now)."""
    slug = _slug(doc)
    return [] if slug is None else list(dict.fromkeys([slug, *former_slugs(doc)]))


def _facts(ctx: CheckContext) -> tuple[frozenset, ...]:
    return frozenset(ctx.kinds.items()), frozenset(ctx.types.items()), frozenset(ctx.former.items())


Entries = dict[Path, tuple[Document, list[Diagnostic]]]  # path -> an entry's own problems
Checkers = Mapping[str, Any]  # schema name -> its validator, for one registry


def _context(
    corpus: Corpus, schemas: Schemas, timezone: str
) -> tuple[list[Diagnostic], CheckContext]:
    """The problems met reading the registry (and ids used twice), and the registry as the
    checks know it, in the newsroom's time zone."""
    problems: list[Diagnostic] = []
    for entity in corpus.entities:
        problems.extend(entity.doc.problems)
    registry = unique_entities(corpus.entities, problems)
    return problems, CheckContext(registry, schemas.id_pattern, timezone)


def _registry(
    corpus: Corpus,
    schemas: Schemas,
    settings: DossierSettings,
    cache: CheckCache | None,
    focus: frozenset[str] | None,
    reserved: dict[tuple[str, str], str | None],
    known: Entries | None = None,
    context: tuple[list[Diagnostic], CheckContext] | None = None,
    checkers: Checkers | None = None,
) -> tuple[list[Diagnostic], CheckContext, Entries]:
    """The registry's problems (its files', each entry's against its schema and rules, and those
    across entries), the context the articles' checks know it by, and each entry's own
    problems. ``known``: each entry's own problems from a run under the same registry facts;
    an entry read into the same document again is not checked again. ``context`` and
    ``checkers``: made already (``_context``, ``Schemas.validators``)."""
    problems, ctx = context or _context(corpus, schemas, settings.timezone)
    registry = ctx.registry
    checkers = checkers or schemas.validators(ctx.ids_by_kind, ctx.types)
    own: Entries = {}
    for entity in corpus.entities:
        if entity.doc.data is None or registry.get(entity.id) is not entity:
            continue
        if focus is not None and entity.doc.display not in focus:
            continue
        found = (known or {}).get(entity.doc.path)
        if found is None or found[0] is not entity.doc:
            errors = _schema_errors(checkers[entity.kind], entity.kind, entity.doc, ctx, cache)
            kind = f"{singular(entity.kind)} file"
            found = (
                entity.doc,
                [*explain_all(errors, entity.doc, ctx, kind), *check_event_dates(entity)],
            )
        own[entity.doc.path] = found
        problems.extend(found[1])
    problems.extend(check_cycles(registry, schemas))
    problems.extend(check_former_ids(registry))
    problems.extend(check_reserved_ids(registry, settings, reserved))
    return problems, ctx, own


def _schema_errors(
    checker, schema: str, doc: Document, ctx: CheckContext, cache: CheckCache | None
) -> list[ValidationError]:
    """The schema's errors, skipped for data that passed before under the same facts."""
    data = doc.data
    if cache is None or not doc.text_key:
        return list(checker.iter_errors(data))
    key = cache.verdict_key(schema, doc.text_key, registry_facts(data, ctx.kinds, ctx.types))
    if cache.passed(key):
        return []
    errors = list(checker.iter_errors(data))
    if not errors:
        cache.record_pass(key)
    return errors


class _Articles:
    """The checks of one article at a time, against one registry."""

    def __init__(
        self,
        schemas: Schemas,
        settings: DossierSettings,
        ctx: CheckContext,
        cache: CheckCache | None,
        checkers: Checkers,
        planned: Mapping[Path, bytes | None],
    ) -> None:
        self.schemas, self.settings, self.ctx, self.cache = schemas, settings, ctx, cache
        self.planned = planned  # a planned change's files, which links may name
        self.checker = checkers["article"]

    def check(self, doc: Document) -> ArticleResult:
        found = [*doc.problems]
        if doc.data is None:  # it could not be read: its reading problems say why
            return ArticleResult(doc, found, frozenset())
        schema = explain_all(
            _schema_errors(self.checker, "article", doc, self.ctx, self.cache),
            doc,
            self.ctx,
            "article",
        )
        found += schema
        # Checks across fields and files skip a field whose value is already reported as
        # invalid: one mistake, one message.
        broken = frozenset(re.split(r"[.\[]", d.field)[0] for d in schema)
        found += check_article(
            doc, self.schemas, self.ctx, self.settings, set(broken), self.cache, self.planned
        )
        found += check_body(doc, self.settings.embed_hosts, self.cache)
        return ArticleResult(doc, found, broken, "filename" in doc.body)


def _groups(
    docs: list[Document],
    results: dict[Path, ArticleResult],
    schemas: Schemas,
    ctx: CheckContext,
    settings: DossierSettings,
) -> tuple[dict[str, list[Diagnostic]], dict[str, tuple[Path, ...]]]:
    """Per slug of ``docs`` (in the order they are read), the problems across its articles (a
    slug used twice in one language, language versions that disagree, a former address that
    is an article's now), and the paths of its articles: those that have the slug and those
    that had it at a former address. Articles whose slug or language is broken take no part."""
    keyed: dict[str, list[Document]] = defaultdict(list)
    slugs: dict[str, list[Path]] = defaultdict(list)
    for doc in docs:
        for slug in _slugs(doc):
            slugs[slug].append(doc.path)
            if not results[doc.path].broken & {"slug", "lang"} and isinstance(
                doc.data.get("lang"), str
            ):
                keyed[slug].append(doc)
    out: dict[str, list[Diagnostic]] = {}
    for slug, group in keyed.items():
        broken = {doc.path: set(results[doc.path].broken) for doc in group}
        own = [doc for doc in group if doc.data["slug"] == slug]
        found = list(check_slugs(own))
        found += check_translations(language_versions(own).values(), schemas, ctx, broken)
        found += check_former_addresses(group, slug, settings, broken)
        out[slug] = found
    return out, {slug: tuple(paths) for slug, paths in slugs.items()}


def _static_files(
    corpus: Corpus, settings: DossierSettings, images: frozenset[str]
) -> list[Diagnostic]:
    """The static files' problems. Reported elsewhere: the articles' images (their checks
    decode them) and the settings' images that cannot be read (settings.read says so, naming
    the setting)."""
    content = settings.content_folder
    reported = {local_file(content, src) for src in images}
    reported |= {
        local_file(content, src)
        for _, src in settings.images()
        if not is_remote(src) and read_image(content, src).width is None
    }
    return list(check_static_files(corpus.static, settings.image_max_pixels, reported))
