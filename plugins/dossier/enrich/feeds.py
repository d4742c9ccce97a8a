"""Enrich stage, feeds: Atom and JSON Feed 1.1 for the site and for every entity, per language.

``site_feed`` and ``entity_feed`` turn the model into plain data (a ``Feed``); ``atom`` and
``json_feed`` format one, for the write stage (``write.site``) to write;
``feed_links`` gives a page the ``<link rel="alternate">`` tags by which feed readers find its
feeds.

An entry is a published article in the feed's language, newest first. Its image is the first
one its JSON-LD names, so addresses and sizes agree everywhere. Nothing depends on the time of
the build: a feed's ``updated`` comes from the content.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from feedgenerator import Atom1Feed

from dossier import data
from dossier.enrich import jsonld
from dossier.enrich.context import BuildContext, Node, once
from dossier.enrich.urls import Urls
from dossier.resolve.model import Article, Entity, Site

FORMATS = {"xml": "application/atom+xml", "json": "application/feed+json"}  # ext -> media type
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
MEDIA_RSS = "http://search.yahoo.com/mrss/"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # `updated` of an empty feed on a site without articles
_MIME_TYPES = mimetypes.MimeTypes()  # Python's own table only: the same answer on every machine


def words() -> dict[str, Any]:
    """The feeds' titles and descriptions (``data/feeds.yaml``)."""
    return data.load("feeds")


def _word(key: str, lang: str, **fields: str) -> str:
    return words()[key][lang].format(**fields)


# --- the data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """An author: the name in the feed's language and the address of their page."""

    name: str
    url: str


@dataclass(frozen=True)
class Category:
    term: str  # the topic's id
    label: str  # its name in the feed's language
    scheme: str  # the site's vocabulary of topics: the DefinedTermSet's @id in JSON-LD


@dataclass(frozen=True)
class Picture:
    url: str
    type: str | None  # media type, from the file name
    width: int | None
    height: int | None


@dataclass(frozen=True)
class Entry:
    id: str  # the article's canonical address
    title: str
    link: str
    published: datetime
    updated: datetime
    summary: str  # plain text, in full
    language: str
    authors: tuple[Person, ...]
    categories: tuple[Category, ...]  # the article's topics, in the editor's order
    image: Picture | None

    @cached_property
    def said(self) -> str:
        """The whole entry as text, for fingerprints: made once, though the entry is in the
        feeds of every entity the article names."""
        return repr(self)


@dataclass(frozen=True)
class Feed:
    title: str
    description: str
    language: str
    home_page_url: str  # the page the feed follows: the home page or the entity's topic page
    self_urls: Mapping[str, str]  # ext -> the feed's own address in that format
    id: str
    updated: datetime
    authors: tuple[Person, ...]  # the publisher
    icon: str | None
    entries: tuple[Entry, ...]  # newest first


# --- addresses and titles ----------------------------------------------------------------------


def feed_urls(urls: Urls, lang: str, entity: Entity | None = None) -> dict[str, str]:
    """A feed's URL in each format (relative to the site root): the site's, or an entity's."""
    if entity is None:
        return {ext: urls.feed(lang, ext) for ext in FORMATS}
    return {ext: urls.entity_feed(entity, lang, ext) for ext in FORMATS}


def feed_title(site_name: str, lang: str, entity: Entity | None = None) -> str:
    if entity is None:
        return _word("site_title", lang, site=site_name)
    return _word("entity_title", lang, site=site_name, name=entity.name(lang))


def feed_links(
    urls: Urls, lang: str, entity: Entity | None = None, *, site_name: str
) -> list[dict[str, str]]:
    """The ``<link rel="alternate">`` tags of a page in ``lang``, Atom before JSON Feed. A topic
    page offers its entity's feeds first (what a reader subscribing there most likely wants),
    then the site's; every other page the site's."""
    feeds = [entity] if entity is not None else []
    return [
        {
            "type": FORMATS[ext],
            "href": urls.href(url),
            "title": _word(
                "link_title",
                lang,
                title=feed_title(site_name, lang, about),
                format=words()["formats"][ext],
            ),
        }
        for about in [*feeds, None]
        for ext, url in feed_urls(urls, lang, about).items()
    ]


# --- building feeds ----------------------------------------------------------------------------


def site_feed(ctx: BuildContext, lang: str, limit: int) -> Feed:
    """The site in one language: its latest published articles."""
    site_name = ctx.publisher.name
    return _feed(
        ctx,
        lang,
        title=feed_title(site_name, lang),
        description=_word("site_description", lang, site=site_name),
        home=ctx.urls.home(lang),
        urls=feed_urls(ctx.urls, lang),
        articles=ctx.site.published(lang)[:limit],
    )


def entity_feed(ctx: BuildContext, entity: Entity, lang: str, limit: int) -> Feed:
    """One entity in one language: the published articles that reference it (an author's: their
    bylines). An entity nobody has written about yet has a valid feed with no entries."""
    site_name = ctx.publisher.name
    key = "author_description" if entity.kind == "authors" else "entity_description"
    articles = ctx.site.referencing_in(entity.id, lang)
    return _feed(
        ctx,
        lang,
        title=feed_title(site_name, lang, entity),
        description=_word(key, lang, site=site_name, name=entity.name(lang)),
        home=ctx.urls.entity(entity, lang),
        urls=feed_urls(ctx.urls, lang, entity),
        articles=articles[:limit],
    )


def _feed(
    ctx: BuildContext,
    lang: str,
    *,
    title: str,
    description: str,
    home: str,
    urls: Mapping[str, str],
    articles: Iterable[Article],
) -> Feed:
    entries = tuple(entry(ctx, a) for a in articles)
    self_urls = {ext: ctx.urls.absolute(url) for ext, url in urls.items()}
    logo = ctx.publisher.logo
    return Feed(
        title=title,
        description=description,
        language=lang,
        home_page_url=ctx.urls.absolute(home),
        self_urls=self_urls,
        id=self_urls["xml"],
        updated=last_change(ctx.site, entries),
        authors=(Person(ctx.publisher.name, ctx.urls.absolute("")),),
        icon=ctx.image_url(logo) if logo else None,
        entries=entries,
    )


def last_change(site: Site, entries: Iterable[Entry]) -> datetime:
    """When a feed last changed: the latest modification among its entries. An empty feed takes
    that of the site's newest published article; never the time of the build."""
    latest = max((e.updated for e in entries), default=None)
    if latest is not None:
        return latest
    newest = next((a for a in site.articles if a.published), None)
    return newest.modified if newest else EPOCH


@once  # an article is an entry of the feeds of every entity it names
def entry(ctx: BuildContext, article: Article) -> Entry:
    site, urls, lang = ctx.site, ctx.urls, article.lang
    link = urls.absolute(urls.article(article))
    images = jsonld.article_images(ctx, article)
    return Entry(
        id=link,
        title=article.title,
        link=link,
        published=article.date,
        updated=article.modified,
        summary=article.data["summary"],
        language=lang,
        authors=tuple(person(ctx, site.entities[a], lang) for a in article.data["authors"]),
        categories=tuple(
            Category(topic, site.entities[topic].name(lang), jsonld.topics_id(urls))
            for topic in article.references.get("topics", ())
        ),
        image=picture(images[0]) if images else None,
    )


def person(ctx: BuildContext, author: Entity, lang: str) -> Person:
    return Person(author.name(lang), ctx.urls.absolute(ctx.urls.entity(author, lang)))


def picture(node: Node) -> Picture:
    url = node["url"]
    return Picture(url, _MIME_TYPES.guess_type(url)[0], node.get("width"), node.get("height"))


# --- Atom 1.0 ----------------------------------------------------------------------------------


class _AtomFeed(Atom1Feed):
    """feedgenerator's Atom 1.0 (RFC 4287) writer, completed where it writes less than we have:
    every author of an entry (it writes one), categories with label and scheme (it writes only
    the term), the summary as text (it declares it HTML, which would turn an editor's ``<b>``
    into markup), the feed's ``updated`` from the content (it falls back to the clock for an
    empty feed), the publisher's icon, and the entry's image.

    The image is Media RSS (``media:content`` with ``medium="image"``, plus ``media:thumbnail``),
    as WordPress.com and YouTube write it, because that is what feed readers show as an entry's
    picture (FreshRSS, Tiny Tiny RSS, Miniflux and QuiteRSS among them). Atom's own
    ``<link rel="enclosure">`` is meant for a download such as a podcast episode: several readers
    list it as an attachment instead of showing it, and feedgenerator always writes a
    ``length`` in bytes, which the site does not otherwise need."""

    def root_attributes(self) -> dict[str, str]:
        return super().root_attributes() | {"xmlns:media": MEDIA_RSS}

    def latest_post_date(self) -> datetime:
        return self.feed["updated"]

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        if self.feed["icon"]:
            handler.addQuickElement("icon", self.feed["icon"])

    def add_item_elements(self, handler, item: dict[str, Any]) -> None:
        e: Entry = item["entry"]
        handler.addQuickElement("title", e.title, {"type": "text"})
        handler.addQuickElement("link", None, {"rel": "alternate", "href": e.link})
        handler.addQuickElement("id", e.id)
        handler.addQuickElement("published", e.published.isoformat())
        handler.addQuickElement("updated", e.updated.isoformat())
        for author in e.authors:
            handler.startElement("author", {})
            handler.addQuickElement("name", author.name)
            handler.addQuickElement("uri", author.url)
            handler.endElement("author")
        handler.addQuickElement("summary", e.summary, {"type": "text"})
        for c in e.categories:
            handler.addQuickElement(
                "category", None, {"term": c.term, "label": c.label, "scheme": c.scheme}
            )
        if e.image:
            size = {
                k: str(v) for k, v in (("width", e.image.width), ("height", e.image.height)) if v
            }
            kind = {"type": e.image.type} if e.image.type else {}
            handler.addQuickElement(
                "media:content", None, {"url": e.image.url, "medium": "image", **kind, **size}
            )
            handler.addQuickElement("media:thumbnail", None, {"url": e.image.url, **size})


def atom(feed: Feed) -> str:
    (publisher,) = feed.authors
    writer = _AtomFeed(
        title=feed.title,
        link=feed.home_page_url,
        description=feed.description,
        language=feed.language,
        author_name=publisher.name,
        author_link=publisher.url,
        feed_url=feed.self_urls["xml"],
        feed_guid=feed.id,
        updated=feed.updated,
        icon=feed.icon,
    )
    for e in feed.entries:
        writer.add_item(title=e.title, link=e.link, description=e.summary, entry=e)
    return writer.writeString("utf-8")


# --- JSON Feed 1.1 -----------------------------------------------------------------------------


def json_feed(feed: Feed) -> str:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1). ``content_text`` repeats the summary:
    the format asks every item for content, and the article's page holds the rest."""
    doc: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home_page_url,
        "feed_url": feed.self_urls["json"],
        "description": feed.description,
        "language": feed.language,
        "authors": [_json_person(p) for p in feed.authors],
        "items": [_json_item(e) for e in feed.entries],
    }
    if feed.icon:
        doc["icon"] = feed.icon
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
    return text + "\n"


def _json_person(person: Person) -> dict[str, str]:
    return {"name": person.name, "url": person.url}


def _json_item(e: Entry) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": e.id,
        "url": e.link,
        "title": e.title,
        "summary": e.summary,
        "content_text": e.summary,
        "date_published": e.published.isoformat(),
        "date_modified": e.updated.isoformat(),
        "authors": [_json_person(p) for p in e.authors],
        "language": e.language,
    }
    if e.categories:
        item["tags"] = [c.label for c in e.categories]
    if e.image:
        item["image"] = e.image.url
    return item


RENDERERS: dict[str, Callable[[Feed], str]] = {"xml": atom, "json": json_feed}  # ext -> format


def feed_file(ext: str, feed: Feed) -> bytes:
    """A feed's file in one format (ext ``xml`` or ``json``), as the site publishes it."""
    return RENDERERS[ext](feed).encode("utf-8")
