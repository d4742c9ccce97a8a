"""Enrich stage, pages: the resolved model to the plain data each template formats.

Every function returns dicts and lists of strings; templates add no logic of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from dossier.data import load_languages
from dossier.enrich import jsonld
from dossier.enrich.context import BuildContext, Node
from dossier.enrich.feeds import feed_links
from dossier.enrich.jsonld import Page
from dossier.enrich.text import first_sentence
from dossier.enrich.urls import Urls
from dossier.read.images import is_remote, variants
from dossier.resolve.model import Article, Entity, Site
from dossier.schemas import in_zone, parse_date_or_datetime

View = dict[str, Any]


# Links to entities and articles are asked for hundreds of thousands of times in a large archive,
# with few distinct arguments. Callers combine them into new dicts and never change them.
@lru_cache(maxsize=1 << 16)
def entity_link(entity: Entity, lang: str, urls: Urls) -> View:
    return {
        "id": entity.id,
        "kind": entity.kind,
        "name": entity.name(lang),
        "href": urls.href(urls.entity(entity, lang)),
        "description": entity.text("description", lang) or "",
    }


def when(value: Any) -> date | datetime | None:
    """A validated date or date and time from the content, for the templates to format: a date
    stays a date, so no time zone can move it to another day."""
    return parse_date_or_datetime(str(value))


def source_view(source: Mapping[str, Any]) -> View:
    """A source the article rests on; its date, where given, to format and as written."""
    if "date" not in source:
        return dict(source)
    return dict(source) | {"date": when(source["date"]), "datetime": str(source["date"])}


@lru_cache(maxsize=1 << 16)
def article_item(article: Article, urls: Urls) -> View:
    return {
        "title": article.title,
        "summary": article.data["summary"],
        "href": urls.href(urls.article(article)),
        "date": article.date,
        "lang": article.lang,
    }


def alternates(
    urls_by_lang: Mapping[str, str], urls: Urls, default_lang: str, x_default: str | None = None
) -> list[View]:
    """hreflang links between the language versions of a page, plus x-default: ``x_default``
    (the language chooser, for the home pages), else the default language's version, else the
    first version there is. Callers list the versions in the site's language order, so a page
    that exists only in other languages still names one fallback for every reader."""
    out = [{"hreflang": lang, "href": urls.absolute(url)} for lang, url in urls_by_lang.items()]
    fallback = x_default
    if fallback is None:
        fallback = urls_by_lang.get(default_lang, next(iter(urls_by_lang.values()), None))
    if fallback is not None:
        out.append({"hreflang": "x-default", "href": urls.absolute(fallback)})
    return out


def language_links(
    lang: str,
    versions: Mapping[str, str],
    urls: Urls,
    default_lang: str,
    x_default: str | None = None,
) -> View:
    """What every page needs about its language versions: canonical, hreflang, the switch."""
    return {
        "canonical": urls.absolute(versions[lang]),
        "switch": {other: urls.href(url) for other, url in versions.items()},
        "alternates": alternates(versions, urls, default_lang, x_default),
    }


# The search facets, by registry kind: the Pagefind filter key each facts box link carries.
# Authors are left out: the byline is not a subject of the story.
SEARCH_FILTERS = {
    "actors": "actor",
    "locations": "location",
    "sanctions": "sanction",
    "events": "event",
    "topics": "topic",
}
# The facet of an article's language: its article element carries it, valued with the name of
# the language in that language ("Deutsch"), the same on every search page.
LANGUAGE_FILTER = "language"


def facts_box(article: Article, site: Site, urls: Urls) -> list[View]:
    """The entities an article references, by kind, each with the first sentence of its
    description: one line in the box; the topic page has the whole."""
    about = set(article.about)
    abbreviations = load_languages()[article.lang].get("abbreviations", ())

    def item(entity_id: str) -> View:
        link = entity_link(site.entities[entity_id], article.lang, urls)
        return link | {
            "about": entity_id in about,
            "description": first_sentence(link["description"], abbreviations),
        }

    # Each reference field lists one kind and is named after it (actors, locations, …).
    return [
        {"kind": field, "filter": SEARCH_FILTERS.get(field), "items": [item(i) for i in ids]}
        for field, ids in article.references.items()
        if ids
    ]


def _locales() -> dict[str, str]:
    return {lang: facts["locale"] for lang, facts in load_languages().items()}


def social_meta(
    ctx: BuildContext, page: Page, description: str, image: Node, og_type: str, alt: str = ""
) -> list[View]:
    """Open Graph and Twitter card tags: what a shared link shows, with absolute URLs."""
    pairs = [
        ("property", "og:type", og_type),
        ("property", "og:site_name", ctx.publisher.name),
        ("property", "og:title", page.name),
        ("property", "og:description", description),
        ("property", "og:url", ctx.urls.absolute(page.url)),
        ("property", "og:locale", _locales()[page.lang]),
        *(
            ("property", "og:locale:alternate", _locales()[other])
            for other in ctx.site.languages
            if other != page.lang
        ),
        ("property", "og:image", image["url"]),
        *(("property", f"og:image:{k}", str(image[k])) for k in ("width", "height") if k in image),
        ("property", "og:image:alt", alt or ctx.publisher.name),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", page.name),
        ("name", "twitter:description", description),
        ("name", "twitter:image", image["url"]),
        ("name", "twitter:image:alt", alt or ctx.publisher.name),
    ]
    return [{"attr": attr, "key": key, "content": content} for attr, key, content in pairs]


def image_view(image: Mapping[str, Any], ctx: BuildContext) -> View:
    src, size = image["src"], ctx.image(image["src"])
    href = src if is_remote(src) else ctx.urls.href(src.lstrip("/"))
    srcset = [f"{ctx.urls.href(v.src.lstrip('/'))} {v.width}w" for v in variants(size)]
    if srcset:
        srcset.append(f"{href} {size.width}w")
    return dict(image) | {
        "href": href,
        "width": size.width,
        "height": size.height,
        "srcset": ", ".join(srcset),
    }


def default_image(ctx: BuildContext) -> Node:
    return jsonld.image_node(ctx, ctx.default_images[0])


def neighbours(site: Site) -> dict[Article, tuple[Article | None, Article | None]]:
    """Each published article's (older, newer) neighbour in its language, in one pass."""
    out: dict[Article, tuple[Article | None, Article | None]] = {}
    for lang in site.languages:
        ordered = site.published(lang)  # newest first
        for i, article in enumerate(ordered):
            older = ordered[i + 1] if i + 1 < len(ordered) else None
            newer = ordered[i - 1] if i > 0 else None
            out[article] = (older, newer)
    return out


def more_on(article: Article, site: Site, urls: Urls, most: int = 3) -> list[View]:
    """For each entity the article is mainly about, its latest other articles in the language."""
    out = []
    for entity_id in article.about:
        # The newest first: one more than needed, in case the article itself is among them.
        here = site.referencing_in(entity_id, article.lang)[: most + 1]
        others = [a for a in here if a is not article][:most]
        if others:
            entity = site.entities[entity_id]
            out.append(
                entity_link(entity, article.lang, urls)
                | {"articles": [article_item(a, urls) for a in others]}
            )
    return out


def article_versions(article: Article, site: Site, urls: Urls) -> dict[str, str]:
    """The URL of each language version of an article, in the site's language order."""
    group = {a.lang: a for a in (article, *site.translations(article))}
    return {lang: urls.article(group[lang]) for lang in site.languages if lang in group}


def article_view(
    article: Article,
    ctx: BuildContext,
    default_lang: str,
    words: int,
    around: tuple[Article | None, Article | None] = (None, None),
) -> View:
    """An article page; ``words``: the word count of its body (``word_count``). A draft's or a
    scheduled article's (which only ``dossier serve`` shows; a build never writes one) says so,
    the latter with the time it is published, in the newsroom's time zone, and asks search
    engines not to index it."""
    site, urls = ctx.site, ctx.urls
    versions = article_versions(article, site, urls)
    images = jsonld.article_images(ctx, article)
    image = article.data.get("image")
    meta = social_meta(
        ctx,
        jsonld.article_page(ctx, article),
        article.data["summary"],
        images[0],
        "article",
        image["alt"] if image else "",
    )
    meta += [
        {"attr": "property", "key": "article:published_time", "content": article.date.isoformat()},
        {
            "attr": "property",
            "key": "article:modified_time",
            "content": article.modified.isoformat(),
        },
        *(
            {
                "attr": "property",
                "key": "article:tag",
                "content": site.entities[i].name(article.lang),
            }
            for i in article.references.get("topics", ())
        ),
    ]
    view = language_links(article.lang, versions, urls, default_lang) | {
        "authors": [
            entity_link(site.entities[a], article.lang, urls) for a in article.data["authors"]
        ],
        "date": article.date,
        "modified": article.modified if "modified" in article.data or article.corrections else None,
        "corrections": [
            {"date": correction.date, "text": correction.text} for correction in article.corrections
        ],
        "summary": article.data["summary"],
        "description": article.data["summary"],
        "facts": facts_box(article, site, urls),
        "language_filter": LANGUAGE_FILTER,
        "sources": [source_view(s) for s in article.data.get("sources", [])],
        "image": image and image_view(image, ctx),
        "translations": [
            {"lang": other.lang, "href": urls.href(urls.article(other)), "title": other.title}
            for other in site.translations(article)
        ],
        "more_on": more_on(article, site, urls),
        "older": around[0] and article_item(around[0], urls),
        "newer": around[1] and article_item(around[1], urls),
        "meta": meta,
        "feeds": feed_links(urls, article.lang, site_name=ctx.publisher.name),
        "jsonld": jsonld.dumps(jsonld.article_graph(ctx, article, words)),
    }
    # Only what the build does not publish carries these: a published page is as it was.
    if article.draft:
        view |= {"draft": True, "robots": "noindex"}
    elif article.scheduled:
        view |= {"scheduled": in_zone(article.date, ctx.timezone), "robots": "noindex"}
    return view


def home_view(
    lang: str, ctx: BuildContext, default_lang: str, description: str, latest: int = 20
) -> View:
    site, urls = ctx.site, ctx.urls
    versions = {other: urls.home(other) for other in site.languages}
    articles = site.published(lang)[:latest]
    page = jsonld.home_page(ctx, lang)
    # The home pages and the chooser at / form one cluster whose x-default is the chooser.
    return language_links(lang, versions, urls, default_lang, x_default="") | {
        "articles": [article_item(a, urls) for a in articles],
        "active": most_active(site, urls, lang),
        "kinds": [
            {
                "kind": kind,
                "href": urls.href(urls.kind(kind, lang)),
                "count": len(site.of_kind(kind)),
            }
            for kind in site.kinds
        ],
        "description": description,
        "feeds": feed_links(urls, lang, site_name=ctx.publisher.name),
        "meta": social_meta(ctx, page, description, default_image(ctx), "website"),
        "jsonld": jsonld.dumps(jsonld.home_graph(ctx, lang, articles)),
    }


def most_active(site: Site, urls: Urls, lang: str, most: int = 8) -> list[View]:
    """The dossiers with the most articles in the language (people, places, sanctions… alike;
    authors are not dossiers), then the most recently updated."""
    ranked = sorted(
        (
            (len(here), here[0].date, entity)
            for entity in site.entities.values()
            if entity.kind != "authors" and (here := site.referencing_in(entity.id, lang))
        ),
        key=lambda row: (-row[0], -row[1].timestamp(), row[2].id),
    )
    return [entity_link(e, lang, urls) | {"count": n} for n, _, e in ranked[:most]]


def landing_view(ctx: BuildContext, default_lang: str, description: str) -> View:
    """The language chooser at the site root: x-default of the home pages' cluster."""
    site, urls = ctx.site, ctx.urls
    homes = {lang: urls.home(lang) for lang in site.languages}
    page = jsonld.landing_page(ctx)
    return {
        "homes": {lang: urls.href(url) for lang, url in homes.items()},
        "canonical": urls.absolute(""),
        "alternates": alternates(homes, urls, default_lang, x_default=""),
        "description": description,
        "meta": social_meta(ctx, page, description, default_image(ctx), "website"),
        "jsonld": jsonld.dumps(jsonld.landing_graph(ctx)),
    }


def not_found_view(ctx: BuildContext, description: str) -> View:
    """The 404 page, one for the whole site: no canonical address, not for search engines; it
    offers each language's home and hub."""
    site, urls = ctx.site, ctx.urls
    return {
        "canonical": None,
        "alternates": [],
        "switch": {},
        "robots": "noindex",
        "description": description,
        "meta": [],
        "homes": {lang: urls.href(urls.home(lang)) for lang in site.languages},
        "hubs": {lang: urls.href(urls.hub(lang)) for lang in site.languages},
        "jsonld": jsonld.dumps(
            jsonld.graph([jsonld.website_node(ctx), jsonld.publisher_node(ctx)])
        ),
    }


def redirect_view(entity: Entity, lang: str, urls: Urls) -> View:
    """The page left at a renamed or merged entry's old topic address. It sends readers on at
    once (meta refresh, and a link), names the entry's page as canonical, is never indexed and
    carries no JSON-LD: it describes nothing of its own."""
    url = urls.entity(entity, lang)
    return {"target": urls.href(url), "canonical": urls.absolute(url), "name": entity.name(lang)}


def article_redirect_view(article: Article, urls: Urls) -> View:
    """The page left at a moved article's old address (``dossier move``), as at an entry's:
    readers sent on at once, the article's page named canonical, never indexed."""
    url = urls.article(article)
    return {"target": urls.href(url), "canonical": urls.absolute(url), "name": article.title}


def search_view(
    lang: str, ctx: BuildContext, default_lang: str, description: str, bundles: list[View]
) -> View:
    """The search page: Pagefind's UI on the index shards of this language's articles (the
    first opens the search, the others are merged in), with the other languages' shards merged
    in as well (each searched with this page's stemming), so that a reader can widen the
    language facet. ``bundles``: every shard's folder and language, in that order."""
    site, urls = ctx.site, ctx.urls
    versions = {other: urls.search(other) for other in site.languages}
    page = jsonld.search_page(ctx, lang)
    return language_links(lang, versions, urls, default_lang) | {
        "filters": [
            {"key": SEARCH_FILTERS[kind], "kind": kind}
            for kind in site.kinds
            if kind in SEARCH_FILTERS
        ],
        "language_filter": LANGUAGE_FILTER,
        "ui": {
            "script": urls.href(urls.search_bundle("pagefind-component-ui.js")),
            "stylesheet": urls.href(urls.search_bundle("pagefind-component-ui.css")),
            # The index shards; Pagefind cannot find them from a module script's address.
            "bundles": bundles,
            # Result links are root-relative paths in the index; SITEURL may add a host.
            "base_url": urls.href(""),
        },
        "description": description,
        # Search engines keep internal search pages out of their results; say so, and leave
        # the pages out of the sitemap.
        "robots": "noindex, follow",
        "feeds": feed_links(urls, lang, site_name=ctx.publisher.name),
        "meta": social_meta(ctx, page, description, default_image(ctx), "website"),
        "jsonld": jsonld.dumps(jsonld.search_graph(ctx, lang)),
    }


def nav(lang: str, site: Site, urls: Urls) -> list[View]:
    """The site-wide navigation: one link per kind."""
    return [{"kind": kind, "href": urls.href(urls.kind(kind, lang))} for kind in site.kinds]
