"""Enrich stage, structured data: schema.org JSON-LD built from small pieces.

One function per node type; nodes refer to each other by stable ``@id``; one ``@graph`` per page
holding every node that the page's nodes refer to, so each page is complete in itself. A node
that appears on several pages (an entity, the publisher, a page named in a breadcrumb) is built
by the same function everywhere, so one ``@id`` always says the same things.

``@id``s: entities ``<site>/id/<kind>/<id>`` (one IRI in every language), pages their URL,
articles ``<page>#article``, the publisher ``<site>/#publisher``, the site ``<site>/#website``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, wraps
from pathlib import Path
from typing import Any

import yaml

from .images import Image
from .kinds import load_kinds
from .resolve import Article, Entity, Site
from .urls import Urls

Node = dict[str, Any]
CONTEXT = "https://schema.org"


@cache
def mapping() -> dict[str, Any]:
    path = Path(__file__).with_name("data") / "schemaorg.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Graphs:
    """What every piece needs: the model, the URLs and the configured publisher and images."""

    site: Site
    urls: Urls
    publisher: Mapping[str, Any]
    default_images: tuple[str, ...]
    # Nodes already built, by piece and arguments (see ``once``).
    built: dict[tuple, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_settings(cls, site: Site, settings: Mapping[str, Any]) -> Graphs:
        return cls(
            site,
            Urls(settings),
            settings["DOSSIER_PUBLISHER"],
            tuple(settings.get("DOSSIER_DEFAULT_IMAGES", ())),
        )

    def iri(self, entity_id: str) -> str:
        return self.urls.iri(self.site.entities[entity_id])

    def ref(self, entity_id: str) -> Node:
        return {"@id": self.iri(entity_id)}

    def image(self, src: str) -> Image:
        return self.site.images.get(src) or Image(src)

    def image_url(self, src: str) -> str:
        return src if re.match(r"https?://", src) else self.urls.absolute(src.lstrip("/"))


def once(piece: Callable[..., Any]) -> Callable[..., Any]:
    """Build a piece once per Graphs (one build) for the same arguments.

    Pieces are pure in their arguments, and the same entity, publisher or article summary
    appears on thousands of pages of a large archive. The node is shared between graphs, so no
    caller may change it: graphs are assembled from pieces and serialized, never edited."""

    @wraps(piece)
    def built_once(g: Graphs, *args: Any) -> Any:
        key = (piece.__name__, *args)
        try:
            return g.built[key]
        except KeyError:
            node = g.built[key] = piece(g, *args)
            return node

    return built_once


# --- the site and its publisher ----------------------------------------------------------------


def website_id(urls: Urls) -> str:
    return urls.absolute("#website")


def publisher_id(urls: Urls) -> str:
    return urls.absolute("#publisher")


def image_node(g: Graphs, src: str, node_id: str | None = None, **extra: str) -> Node:
    """An ImageObject; its @id is the image URL unless the page gives it its own caption."""
    image, url = g.image(src), g.image_url(src)
    node: Node = {"@type": "ImageObject", "@id": node_id or url, "url": url, "contentUrl": url}
    if image.width and image.height:
        node |= {"width": image.width, "height": image.height}
    return node | {key: value for key, value in extra.items() if value}


@once
def publisher_node(g: Graphs) -> Node:
    node: Node = {
        "@type": "NewsMediaOrganization",
        "@id": publisher_id(g.urls),
        "name": g.publisher["name"],
        "url": g.urls.absolute(""),
    }
    if g.publisher.get("logo"):
        logo = image_node(g, g.publisher["logo"], g.urls.absolute("#logo"))
        node["logo"] = logo | {"caption": g.publisher["name"]}
    if g.publisher.get("same_as"):
        node["sameAs"] = list(g.publisher["same_as"])
    return node


@once
def website_node(g: Graphs) -> Node:
    return {
        "@type": "WebSite",
        "@id": website_id(g.urls),
        "name": g.publisher["name"],
        "url": g.urls.absolute(""),
        "publisher": {"@id": publisher_id(g.urls)},
        "inLanguage": list(g.site.languages),
    }


# --- pages and breadcrumbs ---------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A page's identity: what its WebPage node and every breadcrumb pointing at it say."""

    type: str
    url: str  # relative to the site root
    name: str
    lang: str


def landing_page(g: Graphs) -> Page:
    return Page("WebPage", "", g.publisher["name"], g.site.languages[0])


def home_page(g: Graphs, lang: str) -> Page:
    return Page("CollectionPage", g.urls.home(lang), g.publisher["name"], lang)


def kind_page(g: Graphs, kind: str, lang: str, by_activity: bool = False) -> Page:
    plural = load_kinds()[kind]["plural"][lang]
    if by_activity:
        name = list_name("by_activity", lang, kind=plural)
        return Page("CollectionPage", g.urls.kind_by_activity(kind, lang), name, lang)
    return Page("CollectionPage", g.urls.kind(kind, lang), plural, lang)


def hub_page(g: Graphs, lang: str) -> Page:
    return Page("CollectionPage", g.urls.hub(lang), list_name("hub", lang), lang)


def search_page(g: Graphs, lang: str) -> Page:
    return Page("SearchResultsPage", g.urls.search(lang), list_name("search", lang), lang)


def entity_page(g: Graphs, entity: Entity, lang: str, number: int = 1) -> Page:
    """A topic page; ``number`` 2 and on are the later pages of its timeline."""
    profile = set(schema_types(entity)) & set(mapping()["profile_types"])
    page_type = "ProfilePage" if profile and "Country" not in schema_types(entity) else None
    name = entity.name(lang)
    if number > 1:
        name = list_name("page", lang, name=name, number=str(number))
    return Page(page_type or "CollectionPage", g.urls.entity(entity, lang, number), name, lang)


def article_page(g: Graphs, article: Article) -> Page:
    return Page("WebPage", g.urls.article(article), article.title, article.lang)


def trail(g: Graphs, page: Page, *between: Page) -> list[Page]:
    """The breadcrumb trail to a page: home, the pages ``between`` (a kind's index, a topic
    page's first page), the page itself."""
    crumbs = [home_page(g, page.lang), *between]
    return [*crumbs, page] if page != crumbs[-1] else crumbs


def page_node(g: Graphs, page: Page) -> Node:
    url = g.urls.absolute(page.url)
    return {
        "@type": page.type,
        "@id": url,
        "url": url,
        "name": page.name,
        "inLanguage": page.lang,
        "isPartOf": {"@id": website_id(g.urls)},
    }


def breadcrumb_id(g: Graphs, page: Page) -> str:
    return g.urls.absolute(page.url) + "#breadcrumb"


def breadcrumb_node(g: Graphs, crumbs: Sequence[Page]) -> Node:
    return {
        "@type": "BreadcrumbList",
        "@id": breadcrumb_id(g, crumbs[-1]),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb.name,
                "item": {"@id": g.urls.absolute(crumb.url)},
            }
            for position, crumb in enumerate(crumbs, 1)
        ],
    }


def page_nodes(g: Graphs, crumbs: Sequence[Page], **extra: Any) -> list[Node]:
    """The page's WebPage node, its breadcrumb (two crumbs or more, as Google asks), and the
    nodes of the pages the breadcrumb passes through, so every crumb resolves in the graph."""
    page = page_node(g, crumbs[-1]) | extra
    if len(crumbs) < 2:
        return [page]
    page["breadcrumb"] = {"@id": breadcrumb_id(g, crumbs[-1])}
    return [page, breadcrumb_node(g, crumbs), *(page_node(g, c) for c in crumbs[:-1])]


# --- entities ----------------------------------------------------------------------------------


def schema_types(entity: Entity) -> list[str]:
    base = mapping()["kind_types"].get(entity.kind) or [entity.data["type"]]
    added = mapping()["type_additions"].get(entity.kind, {}).get(base[0])
    return [*base, added] if added else list(base)


def same_as(entity: Entity) -> list[str]:
    data = entity.data
    out = [f"https://www.wikidata.org/wiki/{data['wikidata']}"] if "wikidata" in data else []
    out += data.get("same_as", [])
    if entity.kind == "authors" and "url" in data:  # the author's profile elsewhere
        out.append(data["url"])
    return list(dict.fromkeys(out))


@once
def entity_node(g: Graphs, entity: Entity, lang: str) -> Node:
    data, types = entity.data, schema_types(entity)
    topic_page = g.urls.absolute(g.urls.entity(entity, lang))
    node: Node = {
        "@type": types[0] if len(types) == 1 else types,
        "@id": g.urls.iri(entity),
        "name": entity.name(lang),
        "url": topic_page,
        "mainEntityOfPage": topic_page,
    }
    if entity.text("description", lang):
        node["description"] = entity.text("description", lang)
    if same_as(entity):
        node["sameAs"] = same_as(entity)
    if data.get("aliases"):
        node["alternateName"] = list(data["aliases"])
    if entity.text("job_title", lang):
        node["jobTitle"] = entity.text("job_title", lang)
    if "geo" in data:
        node["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": data["geo"]["lat"],
            "longitude": data["geo"]["lon"],
        }
    if entity.kind == "sanctions":
        node["legislationIdentifier"] = data["identifier"]
        node["legislationDate"] = data["adopted"]
        if entity.text("legislation_type", lang):
            node["legislationType"] = entity.text("legislation_type", lang)
        if "url" in data:  # the legislation's own address is its official text
            node["url"] = data["url"]
    if entity.kind == "events":
        node["startDate"] = data["start"]
        if "end" in data:
            node["endDate"] = data["end"]
    if entity.kind == "topics":
        node["inDefinedTermSet"] = {"@id": topics_id(g.urls)}
    for key, prop in mapping()["links"].items():
        targets = linked_ids(entity, key)
        if targets:
            refs = [g.ref(t) for t in targets]
            node[prop] = refs if isinstance(data[key], list) else refs[0]
    return node


def topics_id(urls: Urls) -> str:
    return urls.absolute("#topics")


@once
def topic_set_node(g: Graphs, lang: str) -> Node:
    """The site's vocabulary of topics, which every topic's DefinedTerm belongs to."""
    return {
        "@type": "DefinedTermSet",
        "@id": topics_id(g.urls),
        "name": f"{g.publisher['name']}: {load_kinds()['topics']['plural'][lang]}",
    }


def linked_ids(entity: Entity, key: str | None = None) -> list[str]:
    keys = [key] if key else list(mapping()["links"])
    out: list[str] = []
    for k in keys:
        value = entity.data.get(k)
        out += value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return out


def entity_closure(ids: Iterable[str], site: Site) -> list[Entity]:
    """The entities named, plus every entity their nodes refer to, so each @id resolves."""
    seen: dict[str, Entity] = {}
    stack = list(ids)
    while stack:
        entity_id = stack.pop()
        if entity_id in seen:
            continue
        seen[entity_id] = site.entities[entity_id]
        stack.extend(linked_ids(seen[entity_id]))
    return sorted(seen.values(), key=lambda e: e.id)


@once
def _closure_of(g: Graphs, entity_id: str) -> tuple[Entity, ...]:
    return tuple(entity_closure([entity_id], g.site))


def entity_nodes(g: Graphs, ids: Iterable[str], lang: str) -> list[Node]:
    # The union of each id's closure is the closure of all: each is walked once per build.
    found = {e.id: e for i in dict.fromkeys(ids) for e in _closure_of(g, i)}
    entities = [found[i] for i in sorted(found)]
    nodes = [entity_node(g, e, lang) for e in entities]
    if any(e.kind == "topics" for e in entities):
        nodes.append(topic_set_node(g, lang))
    return nodes


# --- articles ----------------------------------------------------------------------------------


def article_id(g: Graphs, article: Article) -> str:
    return g.urls.absolute(g.urls.article(article)) + "#article"


@once
def article_summary_node(g: Graphs, article: Article) -> Node:
    """The few facts that name an article where it is listed or linked as a translation;
    the article's own page says the same and more."""
    return {
        "@type": "NewsArticle",
        "@id": article_id(g, article),
        "url": g.urls.absolute(g.urls.article(article)),
        "headline": article.title,
        "datePublished": article.date.isoformat(),
        "inLanguage": article.lang,
    }


def original_version(g: Graphs, article: Article) -> Article:
    """The version the others translate: the first published, then the first language."""
    versions = [article, *g.site.translations(article)]
    return min(versions, key=lambda a: (a.date, g.site.languages.index(a.lang)))


def citation_node(source: Mapping[str, Any]) -> Node:
    node: Node = {
        "@type": "CreativeWork",
        "name": source["title"],
        "url": source["url"],
        "publisher": {"@type": "Organization", "name": source["publisher"]},
    }
    if "date" in source:
        node["datePublished"] = str(source["date"])
    return node


def article_images(g: Graphs, article: Article) -> list[Node]:
    """The article's own image with its caption and credit, or the configured defaults."""
    image = article.data.get("image")
    if image:
        page = g.urls.absolute(g.urls.article(article))
        node = image_node(
            g,
            image["src"],
            page + "#primaryimage",
            caption=image.get("caption") or image["alt"],
            creditText=image.get("credit"),
        )
        return [node]
    return [image_node(g, src) for src in g.default_images]


def news_article_node(g: Graphs, article: Article, words: int, images: list[Node]) -> Node:
    about = set(article.about)
    topics = article.refs.get("topics", ())
    node: Node = article_summary_node(g, article) | {
        "description": article.data["summary"],
        "dateModified": article.modified.isoformat(),
        "author": [g.ref(a) for a in article.data["authors"]],
        "publisher": {"@id": publisher_id(g.urls)},
        "mainEntityOfPage": {"@id": g.urls.absolute(g.urls.article(article))},
        "isPartOf": {"@id": website_id(g.urls)},
        "isAccessibleForFree": True,
        "image": [{"@id": image["@id"]} for image in images],
        "wordCount": words,
    }
    mentioned = [i for i in dict.fromkeys(article.entity_ids) if i not in about]
    if about:
        node["about"] = [g.ref(i) for i in article.about]
    if mentioned:
        node["mentions"] = [g.ref(i) for i in mentioned]
    if article.refs.get("locations"):
        node["contentLocation"] = [g.ref(i) for i in article.refs["locations"]]
    if topics:
        node["keywords"] = [g.site.entities[i].name(article.lang) for i in topics]
    if article.data.get("sources"):
        node["citation"] = [citation_node(s) for s in article.data["sources"]]
    original = original_version(g, article)
    if original is not article:
        node["translationOfWork"] = {"@id": article_id(g, original)}
    else:
        others = g.site.translations(article)
        if others:
            node["workTranslation"] = [{"@id": article_id(g, a)} for a in others]
    return node


def article_graph(g: Graphs, article: Article, words: int) -> Node:
    images = article_images(g, article)
    page = article_page(g, article)
    nodes = [
        website_node(g),
        publisher_node(g),
        *page_nodes(g, trail(g, page), primaryImageOfPage={"@id": images[0]["@id"]}),
        news_article_node(g, article, words, images),
        *images,
        *(article_summary_node(g, a) for a in g.site.translations(article)),
        *entity_nodes(g, [*article.data["authors"], *article.entity_ids], article.lang),
    ]
    return graph(nodes)


# --- listings ----------------------------------------------------------------------------------


def article_list_node(g: Graphs, list_id: str, name: str, articles: Sequence[Article]) -> Node:
    return {
        "@type": "ItemList",
        "@id": list_id,
        "name": name,
        "numberOfItems": len(articles),
        "itemListElement": [
            {"@type": "ListItem", "position": i, "item": {"@id": article_id(g, a)}}
            for i, a in enumerate(articles, 1)
        ],
    }


def list_name(key: str, lang: str, **fields: str) -> str:
    return mapping()["list_names"][key][lang].format(**fields)


def entity_graph(
    g: Graphs, entity: Entity, lang: str, articles: Sequence[Article], number: int = 1
) -> Node:
    """A topic page: the entity as the page's main entity, and the articles the page lists."""
    page = entity_page(g, entity, lang, number)
    page_url = g.urls.absolute(page.url)
    ref = {"@id": g.urls.iri(entity)}
    between = [kind_page(g, entity.kind, lang)]
    if number > 1:
        between.append(entity_page(g, entity, lang))
    nodes = [
        website_node(g),
        publisher_node(g),
        *page_nodes(g, trail(g, page, *between), mainEntity=ref, about=ref),
        *entity_nodes(g, [entity.id], lang),
    ]
    if articles:
        name = list_name("articles_about", lang, name=entity.name(lang))
        nodes.append(article_list_node(g, page_url + "#articles", name, articles))
        nodes.extend(article_summary_node(g, a) for a in articles)
    return graph(nodes)


def page_list_node(g: Graphs, list_id: str, name: str, pages: Sequence[Page]) -> Node:
    """A list of pages, linked by URL (no node of their own, to keep the page light)."""
    return {
        "@type": "ItemList",
        "@id": list_id,
        "name": name,
        "numberOfItems": len(pages),
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": p.name, "url": g.urls.absolute(p.url)}
            for i, p in enumerate(pages, 1)
        ],
    }


def listing_graph(g: Graphs, crumbs: Sequence[Page], listing: Node, *extra: Node) -> Node:
    """A page whose main entity is the list it shows."""
    main = {"@id": listing["@id"]}
    return graph(
        [
            website_node(g),
            publisher_node(g),
            *page_nodes(g, crumbs, mainEntity=main),
            listing,
            *extra,
        ]
    )


def kind_graph(
    g: Graphs, kind: str, lang: str, entities: Sequence[Entity], page: Page | None = None
) -> Node:
    """A kind's index (A–Z, or ``page`` by activity): the list of its topic pages."""
    index = kind_page(g, kind, lang)
    page = page or index
    topic_pages = [entity_page(g, e, lang) for e in entities]
    listing = page_list_node(g, g.urls.absolute(page.url) + "#entities", page.name, topic_pages)
    return listing_graph(g, trail(g, page, *([index] if page != index else [])), listing)


def hub_graph(g: Graphs, lang: str) -> Node:
    """The Dossiers hub: the list of the kinds' indexes."""
    page = hub_page(g, lang)
    kinds = [kind_page(g, kind, lang) for kind in g.site.kinds]
    listing = page_list_node(g, g.urls.absolute(page.url) + "#kinds", page.name, kinds)
    return listing_graph(g, trail(g, page), listing)


def home_graph(g: Graphs, lang: str, articles: Sequence[Article]) -> Node:
    page = home_page(g, lang)
    name = list_name("latest_articles", lang)
    listing = article_list_node(g, g.urls.absolute(page.url) + "#articles", name, articles)
    summaries = [article_summary_node(g, a) for a in articles]
    return listing_graph(g, trail(g, page), listing, *summaries)


def landing_graph(g: Graphs) -> Node:
    return graph([website_node(g), publisher_node(g), *page_nodes(g, [landing_page(g)])])


def search_graph(g: Graphs, lang: str) -> Node:
    """The search page of a language, below its home page.

    The WebSite gets no SearchAction: Pagefind's UI (1.5) does not read a query from the page's
    URL, so there is no ``?q={search_term_string}`` address that would show results."""
    crumbs = trail(g, search_page(g, lang))
    return graph([website_node(g), publisher_node(g), *page_nodes(g, crumbs)])


def graph(nodes: list[Node]) -> Node:
    return {"@context": CONTEXT, "@graph": nodes}


# --- serialization -----------------------------------------------------------------------------

# str.replace per character: str.translate with a mapping walks the text in Python-level steps
# and was a tenth of a large build's time.
_SCRIPT_SAFE = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def dumps(graph: Node) -> str:
    """JSON for a <script> element: deterministic, and no content can close the element."""
    text = json.dumps(
        graph, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    for char, escaped in _SCRIPT_SAFE:
        text = text.replace(char, escaped)
    return text
