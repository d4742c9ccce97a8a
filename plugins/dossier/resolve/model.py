"""Resolve stage: valid documents to the site model.

Ids become entities, language versions become groups, and every entity learns which published
articles reference it (the reverse index topic pages are built from). Pure; runs only on a
corpus that validated without errors.

What is published depends on the time as well as the files: an article whose ``date`` lies
after the build's "now" is scheduled, and published by the first build at or after its date.
"Now" is given to ``resolve`` (the build time, ``DossierSettings.build_time``), never read from
the clock here, so that the same files and the same "now" make the same model.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from dossier.data import load_kinds
from dossier.read.corpus import Corpus
from dossier.read.images import Image
from dossier.read.source import Document
from dossier.schemas import Schemas, parse_datetime


@dataclass(frozen=True, eq=False)
class Entity:
    kind: str
    id: str
    data: dict[str, Any]
    source: str

    def name(self, lang: str) -> str:
        return self.data["name"][lang]

    def text(self, key: str, lang: str) -> str | None:
        value = self.data.get(key)
        return value.get(lang) if isinstance(value, dict) else None


@dataclass(frozen=True, eq=False, kw_only=True)
class Article:
    source: str
    path: Path
    data: dict[str, Any]
    # Reference field (actors, locations, …) -> the ids it lists, in the editor's order.
    references: dict[str, tuple[str, ...]]
    # Ready to publish (status: published) but dated after the build's "now": published by the
    # first build at or after its date, and until then nowhere.
    scheduled: bool = False
    # The body, not kept here (a large archive's bodies weigh much): its digest, and whether it
    # may link to another article or a static file (``read.source.Document``).
    text: str = ""
    links: bool = False
    attaches: bool = False  # it may move a static file beside its page ({attach})

    @property
    def slug(self) -> str:
        return self.data["slug"]

    @property
    def lang(self) -> str:
        return self.data["lang"]

    @property
    def title(self) -> str:
        return self.data["title"]

    # Parsed once: sorting, timelines, feeds and sitemaps ask for them millions of times.
    @cached_property
    def date(self) -> datetime:
        return parse_datetime(self.data["date"])

    @cached_property
    def modified(self) -> datetime:
        """The last change readers are told of: ``modified``, or the latest correction if it
        is later, or else ``date``."""
        value = self.data.get("modified")
        changes = [parse_datetime(value) if value else self.date]
        changes += [c.date for c in self.corrections]
        return max(changes)

    @cached_property
    def corrections(self) -> tuple[Correction, ...]:
        """The corrections, oldest first (as they were made)."""
        made = (
            Correction(parse_datetime(c["date"]), c["text"])
            for c in self.data.get("corrections", ())
        )
        return tuple(sorted(made, key=lambda c: c.date))

    @property
    def draft(self) -> bool:
        return self.data.get("status", "published") == "draft"

    @property
    def published(self) -> bool:
        """In the build: neither a draft nor scheduled."""
        return not self.draft and not self.scheduled

    @property
    def about(self) -> tuple[str, ...]:
        return tuple(self.data.get("about", ()))

    @cached_property
    def entity_ids(self) -> tuple[str, ...]:
        return tuple(i for ids in self.references.values() for i in ids)


@dataclass(frozen=True)
class Correction:
    date: datetime
    text: str  # in the article's language, plain text


@dataclass(frozen=True)
class Site:
    languages: tuple[str, ...]
    kinds: tuple[str, ...]  # display order
    entities: dict[str, Entity]
    articles: tuple[Article, ...]  # every article, drafts included, newest first
    by_path: dict[Path, Article] = field(repr=False)
    versions: dict[str, dict[str, Article]] = field(repr=False)  # slug -> lang -> published
    referencing: dict[str, tuple[Article, ...]] = field(repr=False)  # id -> published, newest first
    images: dict[str, Image] = field(default_factory=dict, repr=False)  # src -> size
    # Former ids (``formerly``) -> the entry that has them now: their topic pages redirect.
    redirects: dict[str, Entity] = field(default_factory=dict, repr=False)
    # The "now" that decided what is published (articles dated after it are scheduled); None
    # for a model made without one, in which every article with status published is.
    now: datetime | None = None

    def scheduled(self) -> list[Article]:
        """The scheduled articles, soonest first."""
        return sorted(
            (a for a in self.articles if a.scheduled), key=lambda a: (a.date, a.slug, a.lang)
        )

    def drafts(self) -> list[Article]:
        """The drafts, newest first."""
        return [a for a in self.articles if a.draft]

    def published(self, lang: str | None = None) -> list[Article]:
        """The published articles (in one language), newest first."""
        if lang is None:
            return [a for a in self.articles if a.published]
        return list(self._published_in.get(lang, ()))

    @cached_property
    def _published_in(self) -> dict[str, tuple[Article, ...]]:
        out: dict[str, list[Article]] = defaultdict(list)
        for article in self.articles:
            if article.published:
                out[article.lang].append(article)
        return {lang: tuple(found) for lang, found in out.items()}

    def neighbours(self, article: Article) -> tuple[Article | None, Article | None]:
        """A published article's older and newer neighbour in its language (None, None for a
        draft), found without going through the others."""
        ordered = self._published_in.get(article.lang, ())
        at = bisect.bisect_left(ordered, newest_first(article), key=newest_first)
        if at >= len(ordered) or ordered[at] is not article:
            return None, None
        older = ordered[at + 1] if at + 1 < len(ordered) else None
        return older, ordered[at - 1] if at > 0 else None

    def translations(self, article: Article) -> list[Article]:
        """The other published language versions of an article, in language order."""
        group = self.versions.get(article.slug, {})
        return [group[lang] for lang in self.languages if lang in group and lang != article.lang]

    def referencing_in(self, entity_id: str, lang: str) -> tuple[Article, ...]:
        """The published articles in one language that reference an entity, newest first."""
        return self._referencing_by_lang.get((entity_id, lang), ())

    @cached_property
    def _referencing_by_lang(self) -> dict[tuple[str, str], tuple[Article, ...]]:
        # Built once: topic pages, indexes, the hub and "more on" all ask per language. A large
        # archive has a hundred thousand references: each article's language is read once, and
        # looked up by the article (hashed by identity) for each reference to it.
        lang_of = {article: article.lang for article in self.articles}
        out: dict[tuple[str, str], tuple[Article, ...]] = {}
        for entity_id, articles in self.referencing.items():
            by_lang: dict[str, list[Article]] = defaultdict(list)
            for article in articles:
                by_lang[lang_of[article]].append(article)
            for lang, found in by_lang.items():
                out[entity_id, lang] = tuple(found)
        return out

    def of_kind(self, kind: str) -> list[Entity]:
        return sorted((e for e in self.entities.values() if e.kind == kind), key=lambda e: e.id)


def newest_first(article: Article) -> tuple:
    return (-article.date.timestamp(), article.slug, article.lang)


def resolve(corpus: Corpus, schemas: Schemas, now: datetime | None = None) -> Site:
    """The model of a valid corpus, published as of ``now`` (the build time: articles dated
    after it are scheduled; None schedules none)."""
    kinds = tuple(k for k in load_kinds() if k in schemas.kinds)
    fields = schemas.reference_fields
    articles = sorted((_article(doc, fields, now) for doc in corpus.articles), key=newest_first)
    versions: dict[str, dict[str, Article]] = defaultdict(dict)
    referencing: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        if not article.published:
            continue
        versions[article.slug][article.lang] = article
        for entity_id in _mentions(article):
            referencing[entity_id].append(article)
    entities = _entities(corpus, kinds)
    return Site(
        languages=schemas.languages,
        kinds=kinds,
        entities=entities,
        articles=tuple(articles),
        by_path={a.path: a for a in articles},
        versions=dict(versions),
        referencing={k: tuple(sorted(v, key=newest_first)) for k, v in referencing.items()},
        redirects=_redirects(entities),
        now=now,
    )


def update(
    site: Site,
    corpus: Corpus,
    schemas: Schemas,
    articles: Mapping[Path, Document | None],
    entries: bool,
) -> Site:
    """``resolve(corpus, schemas, site.now)``, made from ``site``, the model of a corpus that
    differed only in the ``articles`` (path -> its document now, None for one removed) and, with
    ``entries``, in the contents of its registry entries. Only the changed articles, their
    slugs and the ids they name are worked out again: ``dossier serve`` resolves after every
    save, and a save changes one file of thousands. When only texts changed, ``site`` itself
    is the model."""
    fields = schemas.reference_fields
    # An article whose front matter reads as before (its text changed) is the same article:
    # the model holds no text. When that is all that changed, so is the model.
    articles = {
        path: doc
        for path, doc in articles.items()
        if doc is None
        or (before := site.by_path.get(path)) is None
        or before.data != doc.data
        or before.source != doc.display
    }
    if not articles and not entries:
        return site
    if not articles:  # entries alone: the articles and all that is worked out of them stay
        entities = _entities(corpus, site.kinds)
        made = replace(site, entities=entities, redirects=_redirects(entities))
        for kept in ("_referencing_by_lang", "_published_in"):
            if kept in vars(site):
                vars(made)[kept] = vars(site)[kept]
        return made
    changed = set(articles)
    old = [site.by_path[path] for path in changed if path in site.by_path]
    new = [_article(doc, fields, site.now) for doc in articles.values() if doc is not None]
    gone = set(old)
    ordered = [article for article in site.articles if article not in gone]
    for article in new:
        bisect.insort(ordered, article, key=newest_first)
    versions = dict(site.versions)
    for article in old:
        if article.published:
            group = {lang: a for lang, a in versions[article.slug].items() if a is not article}
            versions[article.slug] = group
    for article in new:
        if article.published:
            group = {**versions.get(article.slug, {}), article.lang: article}
            # In the order resolve makes them: newest first (the first stands for the story).
            versions[article.slug] = dict(sorted(group.items(), key=lambda v: newest_first(v[1])))
    for slug in {a.slug for a in old}:
        if not versions.get(slug, True):
            del versions[slug]  # its last published version is gone
    referencing = dict(site.referencing)
    touched: dict[str, list[Article]] = defaultdict(list)
    for article in old:
        if article.published:
            for entity_id in _mentions(article):
                touched.setdefault(entity_id, [])
    for article in new:
        if article.published:
            for entity_id in _mentions(article):
                touched[entity_id].append(article)
    for entity_id, added in touched.items():
        listed = _merged(referencing.get(entity_id, ()), gone, added)
        if listed:
            referencing[entity_id] = listed
        else:
            referencing.pop(entity_id, None)
    by_path = dict(site.by_path)  # (a copy keeps the paths' hashes: none is worked out again)
    for path in changed:
        by_path.pop(path, None)
    by_path.update((a.path, a) for a in new)
    entities = _entities(corpus, site.kinds) if entries else site.entities
    made = replace(
        site,
        entities=entities,
        articles=tuple(ordered),
        by_path=by_path,
        versions=versions,
        referencing=referencing,
        redirects=_redirects(entities) if entries else site.redirects,
    )
    if "_referencing_by_lang" in vars(site):  # made already: only the touched ids again
        before = site._referencing_by_lang
        by_lang = {key: found for key, found in before.items() if key[0] not in touched}
        for entity_id in touched:
            grouped: dict[str, list[Article]] = defaultdict(list)
            for article in referencing.get(entity_id, ()):
                grouped[article.data["lang"]].append(article)
            by_lang.update(((entity_id, lang), tuple(found)) for lang, found in grouped.items())
        vars(made)["_referencing_by_lang"] = by_lang
    if "_published_in" in vars(site):  # the same, for the languages of the changed articles
        published_in = dict(site._published_in)
        for lang in {a.lang for a in [*old, *new] if a.published}:
            added = [a for a in new if a.published and a.lang == lang]
            published_in[lang] = _merged(published_in.get(lang, ()), gone, added)
        vars(made)["_published_in"] = {lang: found for lang, found in published_in.items() if found}
    return made


def _merged(
    listed: Iterable[Article], gone: set[Article], added: Iterable[Article]
) -> tuple[Article, ...]:
    """A newest-first list without the ``gone`` articles, with ``added`` in their places."""
    kept = [a for a in listed if a not in gone]
    for article in added:
        bisect.insort(kept, article, key=newest_first)
    return tuple(kept)


def _article(doc: Document, fields: Iterable[str], now: datetime | None) -> Article:
    ready = doc.data.get("status", "published") == "published"
    return Article(
        source=doc.display,
        path=doc.path,  # absolute, below the resolved content folder
        data=doc.data,
        references={f: tuple(doc.data.get(f, ())) for f in fields},
        scheduled=ready and now is not None and parse_datetime(doc.data["date"]) > now,
        text=doc.body_key,
        links=doc.body_links,
        attaches=doc.body_attaches,
    )


def _mentions(article: Article) -> list[str]:
    """The ids whose topic pages list a published article: each id it references, once, and
    its authors (entities too: their page lists their bylines), once per byline."""
    return [*dict.fromkeys(article.entity_ids), *article.data["authors"]]


def _entities(corpus: Corpus, kinds: tuple[str, ...]) -> dict[str, Entity]:
    return {
        e.id: Entity(e.kind, e.id, e.doc.data, e.doc.display)
        for e in sorted(corpus.entities, key=lambda e: (kinds.index(e.kind), e.id))
    }


def _redirects(entities: dict[str, Entity]) -> dict[str, Entity]:
    return {old: entity for entity in entities.values() for old in entity.data.get("formerly", ())}
