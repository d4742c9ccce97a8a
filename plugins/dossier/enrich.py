"""Enrich stage, pages: the resolved model to the plain data each template formats.

Every function returns dicts and lists of strings; templates add no logic of their own.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from . import jsonld
from .images import is_remote
from .jsonld import Graphs, Node, Page
from .kinds import load_languages
from .resolve import Article, Entity, Site
from .urls import Urls

View = dict[str, Any]


def entity_link(entity: Entity, lang: str, urls: Urls) -> View:
    return {
        "id": entity.id,
        "kind": entity.kind,
        "name": entity.name(lang),
        "href": urls.href(urls.entity(entity, lang)),
        "description": entity.text("description", lang) or "",
    }


def article_item(article: Article, urls: Urls) -> View:
    return {
        "title": article.title,
        "summary": article.data["summary"],
        "href": urls.href(urls.article(article)),
        "date": article.date,
        "lang": article.lang,
    }


def alternates(urls_by_lang: Mapping[str, str], urls: Urls, default_lang: str) -> list[View]:
    """hreflang links between the language versions of a page, plus x-default."""
    out = [{"hreflang": lang, "href": urls.absolute(url)} for lang, url in urls_by_lang.items()]
    if default_lang in urls_by_lang:
        out.append({"hreflang": "x-default", "href": urls.absolute(urls_by_lang[default_lang])})
    return out


def language_links(lang: str, versions: Mapping[str, str], urls: Urls, default_lang: str) -> View:
    """What every page needs about its language versions: canonical, hreflang, the switch."""
    return {
        "canonical": urls.absolute(versions[lang]),
        "switch": {other: urls.href(url) for other, url in versions.items()},
        "alternates": alternates(versions, urls, default_lang),
    }


def facts_box(article: Article, site: Site, urls: Urls) -> list[View]:
    about = set(article.about)
    return [
        {
            "kind": kind,
            "items": [
                entity_link(site.entities[i], article.lang, urls) | {"about": i in about}
                for i in ids
            ],
        }
        for kind, ids in article.refs.items()
        if ids
    ]


_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|pre|table|tr|td|th|figure|figcaption|hr)\b[^>]*>",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+(?:[-'’.,]\w+)*")  # "UN-Sanktionen", "Kim's", "500,000" are one word


def word_count(body_html: str) -> int:
    """Words in the rendered body, as a reader counts them: block tags separate words, inline
    tags (``<em>un</em>believable``) and soft hyphens do not."""
    text = re.sub(r"<[^>]*>", "", _BLOCK_TAG.sub(" ", body_html))
    return len(_WORD.findall(html.unescape(text).replace("\u00ad", "")))


def _locales() -> dict[str, str]:
    return {lang: facts["locale"] for lang, facts in load_languages().items()}


def social_meta(
    g: Graphs, page: Page, description: str, image: Node, og_type: str, alt: str = ""
) -> list[View]:
    """Open Graph and Twitter card tags: what a shared link shows, with absolute URLs."""
    pairs = [
        ("property", "og:type", og_type),
        ("property", "og:site_name", g.publisher["name"]),
        ("property", "og:title", page.name),
        ("property", "og:description", description),
        ("property", "og:url", g.urls.absolute(page.url)),
        ("property", "og:locale", _locales()[page.lang]),
        *(
            ("property", "og:locale:alternate", _locales()[other])
            for other in g.site.languages
            if other != page.lang
        ),
        ("property", "og:image", image["url"]),
        *(("property", f"og:image:{k}", str(image[k])) for k in ("width", "height") if k in image),
        ("property", "og:image:alt", alt or g.publisher["name"]),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", page.name),
        ("name", "twitter:description", description),
        ("name", "twitter:image", image["url"]),
        ("name", "twitter:image:alt", alt or g.publisher["name"]),
    ]
    return [{"attr": attr, "key": key, "content": content} for attr, key, content in pairs]


def image_view(image: Mapping[str, Any], g: Graphs) -> View:
    src, size = image["src"], g.image(image["src"])
    href = src if is_remote(src) else g.urls.href(src.lstrip("/"))
    return dict(image) | {"href": href, "width": size.width, "height": size.height}


def default_image(g: Graphs) -> Node:
    return jsonld.image_node(g, g.default_images[0])


def article_view(article: Article, g: Graphs, default_lang: str, body_html: str) -> View:
    site, urls = g.site, g.urls
    versions = {article.lang: urls.article(article)} | {
        other.lang: urls.article(other) for other in site.translations(article)
    }
    images = jsonld.article_images(g, article)
    image = article.data.get("image")
    meta = social_meta(
        g,
        jsonld.article_page(g, article),
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
            for i in article.refs.get("topics", ())
        ),
    ]
    return language_links(article.lang, versions, urls, default_lang) | {
        "authors": [
            entity_link(site.entities[a], article.lang, urls) for a in article.data["authors"]
        ],
        "date": article.date,
        "modified": article.modified if "modified" in article.data else None,
        "summary": article.data["summary"],
        "description": article.data["summary"],
        "facts": facts_box(article, site, urls),
        "sources": article.data.get("sources", []),
        "image": image and image_view(image, g),
        "translations": [
            {"lang": other.lang, "href": urls.href(urls.article(other)), "title": other.title}
            for other in site.translations(article)
        ],
        "meta": meta,
        "jsonld": jsonld.dumps(jsonld.article_graph(g, article, word_count(body_html))),
    }


def _fact(
    label: str, text: str | None = None, links: list[View] | None = None, href: str | None = None
) -> View:
    return {"label": label, "text": text, "links": links or [], "href": href}


def entity_facts(entity: Entity, lang: str, site: Site, urls: Urls) -> list[View]:
    data = entity.data

    def links(key: str) -> list[View]:
        value = data.get(key)
        ids = value if isinstance(value, list) else [value] if value else []
        return [entity_link(site.entities[i], lang, urls) for i in ids]

    facts = []
    if "type" in data:
        facts.append(_fact("fact_type", text=data["type"]))
    if entity.text("job_title", lang):
        facts.append(_fact("fact_job_title", text=entity.text("job_title", lang)))
    for key in (
        "nationality",
        "parent",
        "contained_in",
        "adopted_by",
        "amends",
        "location",
        "participants",
    ):
        if data.get(key):
            facts.append(_fact(f"fact_{key}", links=links(key)))
    if "geo" in data:
        lat, lon = data["geo"]["lat"], data["geo"]["lon"]
        osm = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=8/{lat}/{lon}"
        facts.append(_fact("fact_geo", text=f"{lat}, {lon}", href=osm))
    for key in ("identifier", "adopted", "start", "end"):
        if key in data:
            facts.append(_fact(f"fact_{key}", text=str(data[key])))
    if entity.text("legislation_type", lang):
        facts.append(_fact("fact_legislation_type", text=entity.text("legislation_type", lang)))
    if "url" in data:
        facts.append(_fact("fact_url", text=data["url"], href=data["url"]))
    if "wikidata" in data:
        wikidata = f"https://www.wikidata.org/wiki/{data['wikidata']}"
        facts.append(_fact("fact_wikidata", text=data["wikidata"], href=wikidata))
    return facts


def entity_view(entity: Entity, lang: str, g: Graphs, default_lang: str) -> View:
    site, urls = g.site, g.urls
    referencing = site.referencing.get(entity.id, ())
    here = [a for a in referencing if a.lang == lang]
    covered = {a.slug for a in here}
    elsewhere = [a for a in referencing if a.lang != lang and a.slug not in covered]
    versions = {other: urls.entity(entity, other) for other in site.languages}
    description = entity.text("description", lang) or entity.name(lang)
    page = jsonld.entity_page(g, entity, lang)
    og_type = "profile" if page.type == "ProfilePage" else "website"
    return language_links(lang, versions, urls, default_lang) | {
        "entity": entity_link(entity, lang, urls),
        "kind": entity.kind,
        "aliases": entity.data.get("aliases", []),
        "facts": entity_facts(entity, lang, site, urls),
        "articles": [article_item(a, urls) for a in here],
        "elsewhere": [article_item(a, urls) for a in elsewhere],
        "kind_href": urls.href(urls.kind(entity.kind, lang)),
        "description": description,
        "meta": social_meta(g, page, description, default_image(g), og_type),
        "jsonld": jsonld.dumps(jsonld.entity_graph(g, entity, lang, [*here, *elsewhere])),
    }


def kind_view(kind: str, lang: str, g: Graphs, default_lang: str, description: str) -> View:
    site, urls = g.site, g.urls
    entities = sorted(site.of_kind(kind), key=lambda e: e.name(lang).casefold())
    versions = {other: urls.kind(kind, other) for other in site.languages}
    page = jsonld.kind_page(g, kind, lang)
    return language_links(lang, versions, urls, default_lang) | {
        "kind": kind,
        "entities": [
            entity_link(e, lang, urls)
            | {"count": sum(a.lang == lang for a in site.referencing.get(e.id, ()))}
            for e in entities
        ],
        "description": description,
        "meta": social_meta(g, page, description, default_image(g), "website"),
        "jsonld": jsonld.dumps(jsonld.kind_graph(g, kind, lang, entities)),
    }


def home_view(lang: str, g: Graphs, default_lang: str, description: str, latest: int = 20) -> View:
    site, urls = g.site, g.urls
    versions = {other: urls.home(other) for other in site.languages}
    articles = site.published(lang)[:latest]
    page = jsonld.home_page(g, lang)
    return language_links(lang, versions, urls, default_lang) | {
        "articles": [article_item(a, urls) for a in articles],
        "kinds": [
            {
                "kind": kind,
                "href": urls.href(urls.kind(kind, lang)),
                "count": len(site.of_kind(kind)),
            }
            for kind in site.kinds
        ],
        "description": description,
        "meta": social_meta(g, page, description, default_image(g), "website"),
        "jsonld": jsonld.dumps(jsonld.home_graph(g, lang, articles)),
    }


def landing_view(g: Graphs, default_lang: str, description: str) -> View:
    """The language chooser at the site root; x-default points at the default language."""
    site, urls = g.site, g.urls
    homes = {lang: urls.home(lang) for lang in site.languages}
    page = jsonld.landing_page(g)
    return {
        "homes": {lang: urls.href(url) for lang, url in homes.items()},
        "canonical": urls.absolute(""),
        "alternates": alternates(homes, urls, default_lang),
        "description": description,
        "meta": social_meta(g, page, description, default_image(g), "website"),
        "jsonld": jsonld.dumps(jsonld.landing_graph(g)),
    }


def nav(lang: str, site: Site, urls: Urls) -> list[View]:
    """The site-wide navigation: one link per kind."""
    return [{"kind": kind, "href": urls.href(urls.kind(kind, lang))} for kind in site.kinds]
