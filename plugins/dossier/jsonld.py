"""Enrich stage, structured data: schema.org JSON-LD built from small pieces.

One function per node type; nodes refer to each other by stable ``@id``; one ``@graph`` per page
holding every node that the page's nodes refer to, so each page is complete in itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from .kinds import load_kinds
from .resolve import Article, Entity, Site
from .urls import Urls

Node = dict[str, Any]

_KIND_TYPES = {"sanctions": "Legislation", "events": "Event", "topics": "DefinedTerm"}
# Fields of registry entries that name other entities, and the schema.org property for each.
_LINKS = {
    "nationality": "nationality",
    "parent": "parentOrganization",
    "contained_in": "containedInPlace",
    "adopted_by": "legislationPassedBy",
    "amends": "legislationChanges",
    "location": "location",
    "participants": "attendee",
}


def website_id(urls: Urls) -> str:
    return urls.absolute("#website")


def publisher_id(urls: Urls) -> str:
    return urls.absolute("#publisher")


def schema_type(entity: Entity) -> str:
    return _KIND_TYPES.get(entity.kind) or entity.data["type"]


def publisher_node(publisher: Mapping[str, Any], urls: Urls) -> Node:
    node: Node = {
        "@type": "NewsMediaOrganization",
        "@id": publisher_id(urls),
        "name": publisher["name"],
        "url": urls.absolute(""),
    }
    if publisher.get("same_as"):
        node["sameAs"] = list(publisher["same_as"])
    return node


def website_node(publisher: Mapping[str, Any], urls: Urls, languages: Iterable[str]) -> Node:
    return {
        "@type": "WebSite",
        "@id": website_id(urls),
        "name": publisher["name"],
        "url": urls.absolute(""),
        "publisher": {"@id": publisher_id(urls)},
        "inLanguage": list(languages),
    }


def entity_node(entity: Entity, lang: str, urls: Urls, site: Site) -> Node:
    data = entity.data
    node: Node = {
        "@type": schema_type(entity),
        "@id": urls.iri(entity),
        "name": entity.name(lang),
        "url": urls.absolute(urls.entity(entity, lang)),
    }
    if entity.text("description", lang):
        node["description"] = entity.text("description", lang)
    same_as = [f"https://www.wikidata.org/wiki/{data['wikidata']}"] if "wikidata" in data else []
    same_as += data.get("same_as", [])
    if same_as:
        node["sameAs"] = same_as
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
        if "url" in data:
            node.setdefault("sameAs", []).append(data["url"])
    if entity.kind == "events":
        node["startDate"] = data["start"]
        if "end" in data:
            node["endDate"] = data["end"]
    if entity.kind == "topics":
        node["inDefinedTermSet"] = {"@id": urls.absolute("#topics")}
    for key, prop in _LINKS.items():
        targets = linked_ids(entity, key)
        if targets:
            refs = [{"@id": urls.iri(site.entities[t])} for t in targets]
            node[prop] = refs if isinstance(data[key], list) else refs[0]
    return node


def topic_set_node(publisher: Mapping[str, Any], urls: Urls, lang: str) -> Node:
    """The site's vocabulary of topics, which every topic's DefinedTerm belongs to."""
    return {
        "@type": "DefinedTermSet",
        "@id": urls.absolute("#topics"),
        "name": f"{publisher['name']}: {load_kinds()['topics']['plural'][lang]}",
    }


def _entity_nodes(
    entities: list[Entity], lang: str, urls: Urls, site: Site, publisher: Mapping[str, Any]
) -> list[Node]:
    nodes = [entity_node(e, lang, urls, site) for e in entities]
    if any(e.kind == "topics" for e in entities):
        nodes.append(topic_set_node(publisher, urls, lang))
    return nodes


def linked_ids(entity: Entity, key: str | None = None) -> list[str]:
    keys = [key] if key else list(_LINKS)
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


def news_article_node(article: Article, site: Site, urls: Urls) -> Node:
    page = urls.absolute(urls.article(article))
    about = set(article.about)
    node: Node = {
        "@type": "NewsArticle",
        "@id": f"{page}#article",
        "headline": article.title,
        "description": article.data["summary"],
        "datePublished": article.date.isoformat(),
        "dateModified": article.modified.isoformat(),
        "inLanguage": article.lang,
        "author": [{"@id": urls.iri(site.entities[a])} for a in article.data["authors"]],
        "publisher": {"@id": publisher_id(urls)},
        "mainEntityOfPage": {"@id": page},
        "isPartOf": {"@id": website_id(urls)},
        "isAccessibleForFree": True,
    }
    mentioned = [i for i in dict.fromkeys(article.entity_ids) if i not in about]
    if about:
        node["about"] = [{"@id": urls.iri(site.entities[i])} for i in article.about]
    if mentioned:
        node["mentions"] = [{"@id": urls.iri(site.entities[i])} for i in mentioned]
    return node


def article_graph(article: Article, site: Site, urls: Urls, publisher: Mapping[str, Any]) -> Node:
    page = urls.absolute(urls.article(article))
    ids = [*article.data["authors"], *article.entity_ids]
    nodes = [
        website_node(publisher, urls, site.languages),
        publisher_node(publisher, urls),
        {
            "@type": "WebPage",
            "@id": page,
            "url": page,
            "name": article.title,
            "inLanguage": article.lang,
            "isPartOf": {"@id": website_id(urls)},
        },
        news_article_node(article, site, urls),
        *_entity_nodes(entity_closure(ids, site), article.lang, urls, site, publisher),
    ]
    return {"@context": "https://schema.org", "@graph": nodes}


def entity_graph(
    entity: Entity, lang: str, site: Site, urls: Urls, publisher: Mapping[str, Any]
) -> Node:
    page = urls.absolute(urls.entity(entity, lang))
    return {
        "@context": "https://schema.org",
        "@graph": [
            website_node(publisher, urls, site.languages),
            publisher_node(publisher, urls),
            {
                "@type": "ProfilePage"
                if entity.kind in {"actors", "authors"}
                else "CollectionPage",
                "@id": page,
                "url": page,
                "name": entity.name(lang),
                "inLanguage": lang,
                "isPartOf": {"@id": website_id(urls)},
                "mainEntity": {"@id": urls.iri(entity)},
            },
            *_entity_nodes(entity_closure([entity.id], site), lang, urls, site, publisher),
        ],
    }


_SCRIPT_SAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def dumps(graph: Node) -> str:
    """JSON for a <script> element: deterministic, and no content can close the element."""
    text = json.dumps(
        graph, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    return text.translate(_SCRIPT_SAFE)
