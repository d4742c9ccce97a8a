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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dossier import data
from dossier.data import load_kinds, load_links
from dossier.enrich.context import BuildContext, Node, once
from dossier.enrich.urls import Urls
from dossier.resolve.model import Article, Correction, Entity, Site
from dossier.schemas import ids_in

CONTEXT = "https://schema.org"


def mapping() -> dict[str, Any]:
    """How the registry's entries become schema.org nodes and how pages are named
    (``data/schemaorg.yaml``); the links between entries are ``load_links()``."""
    return data.load("schemaorg")


# --- the site and its publisher ----------------------------------------------------------------


def website_id(urls: Urls) -> str:
    return urls.absolute("#website")


def publisher_id(urls: Urls) -> str:
    return urls.absolute("#publisher")


def image_node(ctx: BuildContext, src: str, node_id: str | None = None, **extra: str) -> Node:
    """An ImageObject; its @id is the image URL unless the page gives it its own caption."""
    image, url = ctx.image(src), ctx.image_url(src)
    node: Node = {"@type": "ImageObject", "@id": node_id or url, "url": url, "contentUrl": url}
    if image.width and image.height:
        node |= {"width": image.width, "height": image.height}
    return node | {key: value for key, value in extra.items() if value}


@once
def publisher_node(ctx: BuildContext) -> Node:
    node: Node = {
        "@type": "NewsMediaOrganization",
        "@id": publisher_id(ctx.urls),
        "name": ctx.publisher.name,
        "url": ctx.urls.absolute(""),
    }
    if ctx.publisher.logo:
        logo = image_node(ctx, ctx.publisher.logo, ctx.urls.absolute("#logo"))
        node["logo"] = logo | {"caption": ctx.publisher.name}
    if ctx.publisher.same_as:
        node["sameAs"] = list(ctx.publisher.same_as)
    return node


@once
def website_node(ctx: BuildContext) -> Node:
    return {
        "@type": "WebSite",
        "@id": website_id(ctx.urls),
        "name": ctx.publisher.name,
        "url": ctx.urls.absolute(""),
        "publisher": {"@id": publisher_id(ctx.urls)},
        "inLanguage": list(ctx.site.languages),
    }


# --- pages and breadcrumbs ---------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A page's identity: what its WebPage node and every breadcrumb pointing at it say."""

    type: str
    url: str  # relative to the site root
    name: str
    lang: str


def landing_page(ctx: BuildContext) -> Page:
    return Page("WebPage", "", ctx.publisher.name, ctx.site.languages[0])


def home_page(ctx: BuildContext, lang: str) -> Page:
    return Page("CollectionPage", ctx.urls.home(lang), ctx.publisher.name, lang)


def kind_page(ctx: BuildContext, kind: str, lang: str, by_activity: bool = False) -> Page:
    plural = load_kinds()[kind]["plural"][lang]
    if by_activity:
        name = list_name("by_activity", lang, kind=plural)
        return Page("CollectionPage", ctx.urls.kind_by_activity(kind, lang), name, lang)
    return Page("CollectionPage", ctx.urls.kind(kind, lang), plural, lang)


def hub_page(ctx: BuildContext, lang: str) -> Page:
    return Page("CollectionPage", ctx.urls.hub(lang), list_name("hub", lang), lang)


def search_page(ctx: BuildContext, lang: str) -> Page:
    return Page("SearchResultsPage", ctx.urls.search(lang), list_name("search", lang), lang)


def entity_page(ctx: BuildContext, entity: Entity, lang: str, number: int = 1) -> Page:
    """A topic page; ``number`` 2 and on are the later pages of its timeline."""
    profile = set(schema_types(entity)) & set(mapping()["profile_types"])
    page_type = "ProfilePage" if profile and "Country" not in schema_types(entity) else None
    name = entity.name(lang)
    if number > 1:
        name = list_name("page", lang, name=name, number=str(number))
    return Page(page_type or "CollectionPage", ctx.urls.entity(entity, lang, number), name, lang)


def article_page(ctx: BuildContext, article: Article) -> Page:
    return Page("WebPage", ctx.urls.article(article), article.title, article.lang)


def trail(ctx: BuildContext, page: Page, *between: Page) -> list[Page]:
    """The breadcrumb trail to a page: home, the pages ``between`` (a kind's index, a topic
    page's first page), the page itself."""
    crumbs = [home_page(ctx, page.lang), *between]
    return [*crumbs, page] if page != crumbs[-1] else crumbs


def page_node(ctx: BuildContext, page: Page) -> Node:
    url = ctx.urls.absolute(page.url)
    return {
        "@type": page.type,
        "@id": url,
        "url": url,
        "name": page.name,
        "inLanguage": page.lang,
        "isPartOf": {"@id": website_id(ctx.urls)},
    }


def breadcrumb_id(ctx: BuildContext, page: Page) -> str:
    return ctx.urls.absolute(page.url) + "#breadcrumb"


def breadcrumb_node(ctx: BuildContext, crumbs: Sequence[Page]) -> Node:
    return {
        "@type": "BreadcrumbList",
        "@id": breadcrumb_id(ctx, crumbs[-1]),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb.name,
                "item": {"@id": ctx.urls.absolute(crumb.url)},
            }
            for position, crumb in enumerate(crumbs, 1)
        ],
    }


def page_nodes(ctx: BuildContext, crumbs: Sequence[Page], **extra: Any) -> list[Node]:
    """The page's WebPage node, its breadcrumb (two crumbs or more, as Google asks), and the
    nodes of the pages the breadcrumb passes through, so every crumb resolves in the graph."""
    page = page_node(ctx, crumbs[-1]) | extra
    if len(crumbs) < 2:
        return [page]
    page["breadcrumb"] = {"@id": breadcrumb_id(ctx, crumbs[-1])}
    return [page, breadcrumb_node(ctx, crumbs), *(page_node(ctx, c) for c in crumbs[:-1])]


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
def entity_node(ctx: BuildContext, entity: Entity, lang: str) -> Node:
    data, types = entity.data, schema_types(entity)
    topic_page = ctx.urls.absolute(ctx.urls.entity(entity, lang))
    node: Node = {
        "@type": types[0] if len(types) == 1 else types,
        "@id": ctx.urls.iri(entity),
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
        node["inDefinedTermSet"] = {"@id": topics_id(ctx.urls)}
    for link in load_links():
        targets = linked_ids(entity, link.field)
        if targets:
            refs = [ctx.ref(t) for t in targets]
            node[link.schemaorg] = refs if isinstance(data[link.field], list) else refs[0]
    return node


def topics_id(urls: Urls) -> str:
    return urls.absolute("#topics")


@once
def topic_set_node(ctx: BuildContext, lang: str) -> Node:
    """The site's vocabulary of topics, which every topic's DefinedTerm belongs to."""
    return {
        "@type": "DefinedTermSet",
        "@id": topics_id(ctx.urls),
        "name": f"{ctx.publisher.name}: {load_kinds()['topics']['plural'][lang]}",
    }


def linked_ids(entity: Entity, key: str | None = None) -> list[str]:
    keys = [key] if key else [link.field for link in load_links()]
    out: list[str] = []
    for k in keys:
        out += ids_in(entity.data.get(k))
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
def _closure_of(ctx: BuildContext, entity_id: str) -> tuple[Entity, ...]:
    return tuple(entity_closure([entity_id], ctx.site))


def entity_nodes(ctx: BuildContext, ids: Iterable[str], lang: str) -> list[Node]:
    # The union of each id's closure is the closure of all: each is walked once per build.
    found = {e.id: e for i in dict.fromkeys(ids) for e in _closure_of(ctx, i)}
    entities = [found[i] for i in sorted(found)]
    nodes = [entity_node(ctx, e, lang) for e in entities]
    if any(e.kind == "topics" for e in entities):
        nodes.append(topic_set_node(ctx, lang))
    return nodes


# --- articles ----------------------------------------------------------------------------------


def article_id(ctx: BuildContext, article: Article) -> str:
    return ctx.urls.absolute(ctx.urls.article(article)) + "#article"


@once
def article_summary_node(ctx: BuildContext, article: Article) -> Node:
    """The few facts that name an article where it is listed or linked as a translation;
    the article's own page says the same and more."""
    return {
        "@type": "NewsArticle",
        "@id": article_id(ctx, article),
        "url": ctx.urls.absolute(ctx.urls.article(article)),
        "headline": article.title,
        "datePublished": article.date.isoformat(),
        "inLanguage": article.lang,
    }


def original_version(ctx: BuildContext, article: Article) -> Article:
    """The version the others translate: the first published, then the first language."""
    versions = [article, *ctx.site.translations(article)]
    return min(versions, key=lambda a: (a.date, ctx.site.languages.index(a.lang)))


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


def article_images(ctx: BuildContext, article: Article) -> list[Node]:
    """The article's own image with its caption and credit, or the configured defaults."""
    image = article.data.get("image")
    if image:
        page = ctx.urls.absolute(ctx.urls.article(article))
        node = image_node(
            ctx,
            image["src"],
            page + "#primaryimage",
            caption=image.get("caption") or image["alt"],
            creditText=image.get("credit"),
        )
        return [node]
    return [image_node(ctx, src) for src in ctx.default_images]


def news_article_node(ctx: BuildContext, article: Article, words: int, images: list[Node]) -> Node:
    about = set(article.about)
    topics = article.references.get("topics", ())
    node: Node = article_summary_node(ctx, article) | {
        "description": article.data["summary"],
        "dateModified": article.modified.isoformat(),
        "author": [ctx.ref(a) for a in article.data["authors"]],
        "publisher": {"@id": publisher_id(ctx.urls)},
        "mainEntityOfPage": {"@id": ctx.urls.absolute(ctx.urls.article(article))},
        "isPartOf": {"@id": website_id(ctx.urls)},
        "isAccessibleForFree": True,
        "image": [{"@id": image["@id"]} for image in images],
        "wordCount": words,
    }
    mentioned = [i for i in dict.fromkeys(article.entity_ids) if i not in about]
    if about:
        node["about"] = [ctx.ref(i) for i in article.about]
    if mentioned:
        node["mentions"] = [ctx.ref(i) for i in mentioned]
    if article.references.get("locations"):
        node["contentLocation"] = [ctx.ref(i) for i in article.references["locations"]]
    if topics:
        node["keywords"] = [ctx.site.entities[i].name(article.lang) for i in topics]
    if article.data.get("sources"):
        node["citation"] = [citation_node(s) for s in article.data["sources"]]
    if article.corrections:
        node["correction"] = [correction_node(c) for c in article.corrections]
    original = original_version(ctx, article)
    if original is not article:
        node["translationOfWork"] = {"@id": article_id(ctx, original)}
    else:
        others = ctx.site.translations(article)
        if others:
            node["workTranslation"] = [{"@id": article_id(ctx, a)} for a in others]
    return node


def correction_node(correction: Correction) -> Node:
    """A correction, as schema.org's CorrectionComment: what was corrected, and when (the
    article's dateModified is never earlier: ``Article.modified``)."""
    return {
        "@type": "CorrectionComment",
        "text": correction.text,
        "datePublished": correction.date.isoformat(),
    }


def article_graph(ctx: BuildContext, article: Article, words: int) -> Node:
    images = article_images(ctx, article)
    page = article_page(ctx, article)
    nodes = [
        website_node(ctx),
        publisher_node(ctx),
        *page_nodes(ctx, trail(ctx, page), primaryImageOfPage={"@id": images[0]["@id"]}),
        news_article_node(ctx, article, words, images),
        *images,
        *(article_summary_node(ctx, a) for a in ctx.site.translations(article)),
        *entity_nodes(ctx, [*article.data["authors"], *article.entity_ids], article.lang),
    ]
    return graph(nodes)


# --- listings ----------------------------------------------------------------------------------


def article_list_node(
    ctx: BuildContext, list_id: str, name: str, articles: Sequence[Article]
) -> Node:
    return {
        "@type": "ItemList",
        "@id": list_id,
        "name": name,
        "numberOfItems": len(articles),
        "itemListElement": [
            {"@type": "ListItem", "position": i, "item": {"@id": article_id(ctx, a)}}
            for i, a in enumerate(articles, 1)
        ],
    }


def list_name(key: str, lang: str, **fields: str) -> str:
    return mapping()["list_names"][key][lang].format(**fields)


def entity_graph(
    ctx: BuildContext, entity: Entity, lang: str, articles: Sequence[Article], number: int = 1
) -> Node:
    """A topic page: the entity as the page's main entity, and the articles the page lists."""
    page = entity_page(ctx, entity, lang, number)
    page_url = ctx.urls.absolute(page.url)
    ref = {"@id": ctx.urls.iri(entity)}
    between = [kind_page(ctx, entity.kind, lang)]
    if number > 1:
        between.append(entity_page(ctx, entity, lang))
    nodes = [
        website_node(ctx),
        publisher_node(ctx),
        *page_nodes(ctx, trail(ctx, page, *between), mainEntity=ref, about=ref),
        *entity_nodes(ctx, [entity.id], lang),
    ]
    if articles:
        name = list_name("articles_about", lang, name=entity.name(lang))
        nodes.append(article_list_node(ctx, page_url + "#articles", name, articles))
        nodes.extend(article_summary_node(ctx, a) for a in articles)
    return graph(nodes)


def page_list_node(ctx: BuildContext, list_id: str, name: str, pages: Sequence[Page]) -> Node:
    """A list of pages, linked by URL (no node of their own, to keep the page light)."""
    return {
        "@type": "ItemList",
        "@id": list_id,
        "name": name,
        "numberOfItems": len(pages),
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": p.name, "url": ctx.urls.absolute(p.url)}
            for i, p in enumerate(pages, 1)
        ],
    }


def listing_graph(ctx: BuildContext, crumbs: Sequence[Page], listing: Node, *extra: Node) -> Node:
    """A page whose main entity is the list it shows."""
    main = {"@id": listing["@id"]}
    return graph(
        [
            website_node(ctx),
            publisher_node(ctx),
            *page_nodes(ctx, crumbs, mainEntity=main),
            listing,
            *extra,
        ]
    )


def kind_graph(
    ctx: BuildContext, kind: str, lang: str, entities: Sequence[Entity], page: Page | None = None
) -> Node:
    """A kind's index (A–Z, or ``page`` by activity): the list of its topic pages."""
    index = kind_page(ctx, kind, lang)
    page = page or index
    topic_pages = [entity_page(ctx, e, lang) for e in entities]
    listing = page_list_node(ctx, ctx.urls.absolute(page.url) + "#entities", page.name, topic_pages)
    return listing_graph(ctx, trail(ctx, page, *([index] if page != index else [])), listing)


def hub_graph(ctx: BuildContext, lang: str) -> Node:
    """The Dossiers hub: the list of the kinds' indexes."""
    page = hub_page(ctx, lang)
    kinds = [kind_page(ctx, kind, lang) for kind in ctx.site.kinds]
    listing = page_list_node(ctx, ctx.urls.absolute(page.url) + "#kinds", page.name, kinds)
    return listing_graph(ctx, trail(ctx, page), listing)


def home_graph(ctx: BuildContext, lang: str, articles: Sequence[Article]) -> Node:
    page = home_page(ctx, lang)
    name = list_name("latest_articles", lang)
    listing = article_list_node(ctx, ctx.urls.absolute(page.url) + "#articles", name, articles)
    summaries = [article_summary_node(ctx, a) for a in articles]
    return listing_graph(ctx, trail(ctx, page), listing, *summaries)


def landing_graph(ctx: BuildContext) -> Node:
    return graph([website_node(ctx), publisher_node(ctx), *page_nodes(ctx, [landing_page(ctx)])])


def search_graph(ctx: BuildContext, lang: str) -> Node:
    """The search page of a language, below its home page.

    The WebSite gets no SearchAction: Pagefind's UI (1.5) does not read a query from the page's
    URL, so there is no ``?q={search_term_string}`` address that would show results."""
    crumbs = trail(ctx, search_page(ctx, lang))
    return graph([website_node(ctx), publisher_node(ctx), *page_nodes(ctx, crumbs)])


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
