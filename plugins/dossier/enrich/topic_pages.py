"""Enrich stage, topic pages: what a reader sees about one entity, one kind, or all of them.

A topic page holds the entity's facts (with the links that point at it from other entries), its
timeline (every published article that references it, newest first, grouped by month, paged),
and the entities it is reported with most often. Kind indexes list every entity with its
activity, in two orders; the hub lists the kinds with their most active entities.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from dossier.data import load_links
from dossier.enrich import jsonld
from dossier.enrich.context import BuildContext
from dossier.enrich.feeds import feed_links
from dossier.enrich.pages import (
    View,
    article_item,
    default_image,
    entity_link,
    language_links,
    social_meta,
    when,
)
from dossier.enrich.urls import Urls
from dossier.resolve.model import Article, Entity, Site
from dossier.schemas import ids_in

RELATED = 8  # entities shown as "reported together with"
SHARED = 6  # other entities shown with each timeline entry


# A save that changes more stories than this is counted afresh: adjusting the counts by every
# story's ids before and after costs more than counting again the few entities a reader asks for.
ADJUSTED = 64


@dataclass(frozen=True, eq=False)
class Index:
    """What topic pages need about the whole site: each part computed when a topic page first
    needs it, once for every page of the plan that holds it (``plan.page_groups``); the
    entities reported together with one, for that one alone (``related``)."""

    site: Site

    @classmethod
    def of(cls, site: Site, before: Index | None = None) -> Index:
        """The index of ``site``, keeping what ``before`` (the index of an earlier model of
        the same content under the same settings, ``resolve.model.update``) worked out and a
        save leaves as it was: the links between entries when the registry is the same, the
        URLs of the topic pages whose id, kind and number of articles are the same, and the
        counts of the entities reported together, adjusted by the stories that changed."""
        index = cls(site)
        if before is None:
            return index
        kept = vars(index)
        if "_urls" in vars(before):
            kept["_urls"] = dict(before._urls)
        if before.site.entities is site.entities and "inbound" in vars(before):
            kept["inbound"] = before.inbound
        if before.site.versions is site.versions:  # no story changed
            kept["_counts"], kept["_story_ids"] = before._counts, before._story_ids
            kept["_related"] = before._related
            return index
        old, new = before.site.versions, site.versions
        changed = [slug for slug, group in new.items() if old.get(slug) is not group]
        changed += [slug for slug in old if slug not in new]
        if len(changed) > ADJUSTED:
            return index
        story_ids = dict(before._story_ids)
        counts = dict(before._counts)
        for slug in changed:
            story_ids.pop(slug, None)
            was, now = _ids_of(old.get(slug)), _ids_of(new.get(slug))
            if was == now:
                continue
            for entity_id in (was | now) & counts.keys():
                adjusted = counts[entity_id] = counts[entity_id].copy()  # before's stays
                if entity_id in was:
                    adjusted.subtract(was - {entity_id})
                if entity_id in now:
                    adjusted.update(now - {entity_id})
                for other in [o for o, n in adjusted.items() if n <= 0]:
                    del adjusted[other]
        kept["_counts"], kept["_story_ids"] = counts, story_ids
        return index

    @cached_property
    def inbound(self) -> dict[str, dict[str, list[str]]]:
        """id -> field -> ids of the entries linking here."""
        return inbound_links(self.site)

    @cached_property
    def _urls(self) -> dict[tuple[str, str], tuple[str, int, tuple[str, ...]]]:
        return {}  # (id, lang) -> its kind, its articles in lang, ``entity_urls``

    def entity_urls(
        self, entity: Entity, lang: str, ctx: BuildContext, page_size: int
    ) -> tuple[str, ...]:
        """``entity_urls``, kept: an id of the same kind, with as many articles in the
        language, has the same pages (a save changes the number of few)."""
        count = len(self.site.referencing_in(entity.id, lang))
        known = self._urls.get((entity.id, lang))
        if known is not None and known[:2] == (entity.kind, count):
            return known[2]
        found = tuple(entity_urls(entity, lang, ctx, page_size))
        self._urls[entity.id, lang] = (entity.kind, count, found)
        return found

    @cached_property
    def _counts(self) -> dict[str, Counter[str]]:
        return {}  # id -> the other ids -> stories together, for the ids asked for

    @cached_property
    def _story_ids(self) -> dict[str, frozenset[str]]:
        return {}  # slug -> the ids of the story, for the stories counted

    @cached_property
    def _related(self) -> dict[str, list[tuple[str, int]]]:
        return {}  # id -> ``related``, sorted

    def related(self, entity_id: str) -> list[tuple[str, int]]:
        """(other id, stories together), best first: ``co_occurrence`` for one entity, worked
        out from the stories that reference it, when its page first asks (a save in
        ``dossier serve`` makes a new model, and a reader asks for one page)."""
        found = self._related.get(entity_id)
        if found is not None:
            return found
        counts = self._counts.get(entity_id)
        if counts is None:
            counts = self._counts[entity_id] = self._count(entity_id)
        found = self._related[entity_id] = sorted(
            counts.items(), key=lambda pair: (-pair[1], pair[0])
        )
        return found

    def _count(self, entity_id: str) -> Counter[str]:
        counts: Counter[str] = Counter()
        seen: set[str] = set()
        for article in self.site.referencing.get(entity_id, ()):
            if article.slug in seen:
                continue
            seen.add(article.slug)
            ids = self._story_ids.get(article.slug)
            if ids is None:
                ids = self._story_ids[article.slug] = _ids_of(self.site.versions[article.slug])
            if entity_id in ids:
                counts.update(other for other in ids if other != entity_id)
        return counts


def _ids_of(versions: Mapping[str, Article] | None) -> frozenset[str]:
    """The ids a story references: its first version's (as ``co_occurrence`` counts); none
    for a story that is not (or no longer) published."""
    return frozenset(next(iter(versions.values())).entity_ids) if versions else frozenset()


def inbound_links(site: Site) -> dict[str, dict[str, list[str]]]:
    """For each entry, the entries linking to it, by field: only the links whose other end
    the target's page shows (those with an ``inbound`` label in ``links.yaml``)."""
    shown = [link.field for link in load_links() if link.inbound]
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for entity in site.entities.values():
        for key in shown:
            for target in ids_in(entity.data.get(key)):
                out[target][key].append(entity.id)
    return {k: dict(v) for k, v in out.items()}


def co_occurrence(site: Site) -> dict[str, list[tuple[str, int]]]:
    """For each entity, the others referenced by the same stories, with how many stories.

    A story is counted once however many language versions it has (they share their
    references), so a translated story does not weigh double."""
    together: dict[str, Counter[str]] = defaultdict(Counter)
    for versions in site.versions.values():
        ids = sorted(set(next(iter(versions.values())).entity_ids))
        for a in ids:
            together[a].update(b for b in ids if b != a)
    return {
        entity_id: sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
        for entity_id, counts in together.items()
    }


# --- facts -------------------------------------------------------------------------------------


def _fact(label: str, **value: Any) -> View:
    """A fact: ``label`` and ``term`` are UI string keys (``term`` a value the catalogues word,
    such as the entity's type); ``text`` is shown as it is."""
    return {
        "label": label,
        "term": None,
        "text": None,
        "links": [],
        "href": None,
        "date": None,
    } | value


def entity_facts(entity: Entity, lang: str, ctx: BuildContext, index: Index) -> list[View]:
    site, urls, data = ctx.site, ctx.urls, entity.data

    def links(ids: Iterable[str]) -> list[View]:
        return [entity_link(site.entities[i], lang, urls) for i in ids]

    facts = []
    if "type" in data:
        # The schema.org name is for machines; readers get the catalogues' word for it.
        facts.append(_fact("fact_type", term=f"type_{data['type']}"))
    if entity.text("job_title", lang):
        facts.append(_fact("fact_job_title", text=entity.text("job_title", lang)))
    if entity.text("legislation_type", lang):
        facts.append(_fact("fact_legislation_type", text=entity.text("legislation_type", lang)))
    if "identifier" in data:
        facts.append(_fact("fact_identifier", text=data["identifier"]))
    for key in ("adopted", "start", "end"):
        if key in data:
            facts.append(_fact(f"fact_{key}", text=str(data[key]), date=when(data[key])))
    # The links in links.yaml's order, labelled fact_<field>; then those pointing here.
    facts.extend(
        _fact(f"fact_{link.field}", links=links(ids_in(data[link.field])))
        for link in load_links()
        if link.field in data
    )
    inbound = {link.field: link.inbound for link in load_links()}
    for key, ids in sorted(index.inbound.get(entity.id, {}).items()):
        facts.append(_fact(inbound[key], links=links(sorted(ids))))
    if "geo" in data:
        lat, lon = data["geo"]["lat"], data["geo"]["lon"]
        osm = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=9/{lat}/{lon}"
        facts.append(_fact("fact_geo", text=f"{lat}, {lon}", href=osm))
    if "url" in data:
        facts.append(_fact("fact_url", text=data["url"], href=data["url"]))
    if "wikidata" in data:
        wikidata = f"https://www.wikidata.org/wiki/{data['wikidata']}"
        facts.append(_fact("fact_wikidata", text=data["wikidata"], href=wikidata))
    return facts


# --- timeline ----------------------------------------------------------------------------------


def timeline_entry(article: Article, entity: Entity, lang: str, ctx: BuildContext) -> View:
    """An article on a topic page: its item, and the other entities it is about or mentions
    (those it is about first), so a reader sees what else the story involves."""
    others = [i for i in dict.fromkeys([*article.about, *article.entity_ids]) if i != entity.id]
    shown = [entity_link(ctx.site.entities[i], lang, ctx.urls) for i in others[:SHARED]]
    return article_item(article, ctx.urls) | {"shared": shown, "more": len(others) - len(shown)}


def by_month(entries: Sequence[View]) -> list[View]:
    """Entries (newest first) grouped under their year and month, in the same order."""
    groups: list[View] = []
    for entry in entries:
        key = (entry["date"].year, entry["date"].month)
        if not groups or (groups[-1]["year"], groups[-1]["month"]) != key:
            groups.append({"year": key[0], "month": key[1], "first": entry["date"], "entries": []})
        groups[-1]["entries"].append(entry)
    return groups


def page_count(items: int, size: int) -> int:
    """How many pages ``items`` things fill, ``size`` a page; always at least one, even empty."""
    return max(1, -(-items // size))


def pages_of(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    """Items cut into pages of ``size``; always at least one page, even when empty."""
    return [items[i * size : (i + 1) * size] for i in range(page_count(len(items), size))]


def entity_urls(entity: Entity, lang: str, ctx: BuildContext, page_size: int) -> list[str]:
    """The URLs of an entity's topic page in one language, page 1 first: its timeline, the
    articles in that language, ``page_size`` a page. Known without making a view."""
    count = page_count(len(ctx.site.referencing_in(entity.id, lang)), page_size)
    return [ctx.urls.entity(entity, lang, number) for number in range(1, count + 1)]


def entity_views(
    entity: Entity,
    lang: str,
    ctx: BuildContext,
    index: Index,
    default_lang: str,
    page_size: int,
    number: int | None = None,
) -> list[tuple[str, View]]:
    """Every page of an entity's topic page in one language: (url, view), page 1 first, at the
    URLs ``entity_urls`` gives; only page ``number`` when it is given."""
    site, urls = ctx.site, ctx.urls
    referencing = site.referencing.get(entity.id, ())
    here = list(site.referencing_in(entity.id, lang))
    covered = {a.slug for a in here}
    # Stories told only in another language: the newest, as many as a timeline page holds, and
    # the way to the other language's page when there are more (a large archive has thousands).
    only_there = [a for a in referencing if a.lang != lang and a.slug not in covered]
    elsewhere = only_there[:page_size]
    all_there = [
        {"lang": other, "href": urls.href(urls.entity(entity, other)), "count": count}
        for other in site.languages
        if other != lang
        and (count := len(site.referencing_in(entity.id, other)))
        and len(only_there) > len(elsewhere)
    ]
    pages = pages_of(here, page_size)
    addresses = index.entity_urls(entity, lang, ctx, page_size)  # one per page
    facts = entity_facts(entity, lang, ctx, index)
    related = [
        entity_link(site.entities[i], lang, urls) | {"count": n}
        for i, n in index.related(entity.id)[:RELATED]
    ]
    description = entity.text("description", lang) or entity.name(lang)
    out = []
    for at, (url, articles) in enumerate(zip(addresses, pages, strict=True), 1):
        if number is not None and at != number:
            continue
        if at == 1:
            versions = {other: urls.entity(entity, other) for other in site.languages}
        else:  # later pages have no equivalent in the other language
            versions = {lang: url}
        links = language_links(lang, versions, urls, default_lang)
        links["switch"] = {o: urls.href(urls.entity(entity, o)) for o in site.languages}
        page = jsonld.entity_page(ctx, entity, lang, at)
        og_type = "profile" if page.type == "ProfilePage" else "website"
        listed = [*articles, *(elsewhere if at == 1 else [])]
        view = links | {
            "entity": entity_link(entity, lang, urls),
            "kind": entity.kind,
            "aliases": entity.data.get("aliases", []),
            "facts": facts,
            "related": related,
            "total": len(here),
            "timeline": by_month([timeline_entry(a, entity, lang, ctx) for a in articles]),
            "elsewhere": [article_item(a, urls) for a in elsewhere] if at == 1 else [],
            "elsewhere_all": all_there if at == 1 else [],
            "pagination": pagination(at, len(addresses), lambda n: addresses[n - 1], ctx),
            "kind_href": urls.href(urls.kind(entity.kind, lang)),
            "feeds": feed_links(urls, lang, entity, site_name=ctx.publisher.name),
            "description": description,
            "meta": social_meta(ctx, page, description, default_image(ctx), og_type),
            "jsonld": jsonld.dumps(jsonld.entity_graph(ctx, entity, lang, listed, at)),
        }
        out.append((url, view))
    return out


def pagination(number: int, count: int, url_of, ctx: BuildContext) -> View:
    """Where page ``number`` of ``count`` links: previous and next (rel=prev/next), and all."""
    return {
        "number": number,
        "count": count,
        "prev": ctx.urls.href(url_of(number - 1)) if number > 1 else None,
        "next": ctx.urls.href(url_of(number + 1)) if number < count else None,
        "pages": [{"number": n, "href": ctx.urls.href(url_of(n))} for n in range(1, count + 1)],
    }


# --- kind indexes and the hub ------------------------------------------------------------------


def activity(entity: Entity, lang: str, site: Site) -> View:
    """How much has been written about an entity in one language, and when last."""
    here = site.referencing_in(entity.id, lang)
    return {"count": len(here), "updated": max((a.modified for a in here), default=None)}


def _by_activity(rows: list[View]) -> list[View]:
    """Most articles first; then the most recently updated; then A–Z."""
    return sorted(
        rows,
        key=lambda r: (
            -r["count"],
            -(r["updated"].timestamp() if r["updated"] else 0),
            r["name"].casefold(),
        ),
    )


def kind_rows(kind: str, lang: str, ctx: BuildContext) -> list[View]:
    """Every entity of a kind, A–Z, with its activity."""
    entities = sorted(ctx.site.of_kind(kind), key=lambda e: (e.name(lang).casefold(), e.id))
    return [entity_link(e, lang, ctx.urls) | activity(e, lang, ctx.site) for e in entities]


def kind_orders(urls: Urls) -> list[tuple[str, Callable[[str, str], str]]]:
    """The orders of a kind's index, its pages 1 and 2, each with its URL (of kind and lang)."""
    return [("az", urls.kind), ("activity", urls.kind_by_activity)]


def kind_urls(kind: str, lang: str, urls: Urls) -> list[str]:
    """The URLs of a kind's index in one language, one per order, page 1 first."""
    return [url_of(kind, lang) for _, url_of in kind_orders(urls)]


def kind_views(
    kind: str,
    lang: str,
    ctx: BuildContext,
    default_lang: str,
    description: str,
    number: int | None = None,
) -> list[tuple[str, View]]:
    """A kind's index twice, at the URLs ``kind_urls`` gives: A–Z (the kind's URL) and most
    active first; only the ``number``th of these when it is given."""
    site, urls = ctx.site, ctx.urls
    rows = kind_rows(kind, lang, ctx)
    out = []
    for at, (order, url_of) in enumerate(kind_orders(urls), 1):
        if number is not None and at != number:
            continue
        url = url_of(kind, lang)
        versions = {other: url_of(kind, other) for other in site.languages}
        page = jsonld.kind_page(ctx, kind, lang, by_activity=order == "activity")
        listed = rows if order == "az" else _by_activity(rows)
        entities = [site.entities[r["id"]] for r in listed]
        out.append(
            (
                url,
                language_links(lang, versions, urls, default_lang)
                | {
                    "kind": kind,
                    "order": order,
                    "orders": {o: urls.href(of(kind, lang)) for o, of in kind_orders(urls)},
                    "entities": listed,
                    "feeds": feed_links(urls, lang, site_name=ctx.publisher.name),
                    "description": description,
                    "meta": social_meta(ctx, page, description, default_image(ctx), "website"),
                    "jsonld": jsonld.dumps(jsonld.kind_graph(ctx, kind, lang, entities, page)),
                },
            )
        )
    return out


def hub_view(
    lang: str, ctx: BuildContext, default_lang: str, description: str, top: int = 5
) -> View:
    """Every kind with its size and its most active entities: the way into the dossiers."""
    site, urls = ctx.site, ctx.urls
    versions = {other: urls.hub(other) for other in site.languages}
    page = jsonld.hub_page(ctx, lang)
    kinds = []
    for kind in site.kinds:
        rows = kind_rows(kind, lang, ctx)
        kinds.append(
            {
                "kind": kind,
                "href": urls.href(urls.kind(kind, lang)),
                "count": len(rows),
                "top": [r for r in _by_activity(rows) if r["count"]][:top],
            }
        )
    return language_links(lang, versions, urls, default_lang) | {
        "kinds": kinds,
        "feeds": feed_links(urls, lang, site_name=ctx.publisher.name),
        "description": description,
        "meta": social_meta(ctx, page, description, default_image(ctx), "website"),
        "jsonld": jsonld.dumps(jsonld.hub_graph(ctx, lang)),
    }
