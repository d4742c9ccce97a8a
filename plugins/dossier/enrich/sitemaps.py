"""Enrich stage, sitemaps: sitemap.xml (an index when large), the Google News sitemap, robots.txt.

Pure functions turn the model into entries (``pages``, ``news``), entries into XML trees
(``urlset``, ``news_urlset``, ``sitemap_index``) and all of it into file contents
(``sitemap_files``); ``publish.files`` writes them. Every address is absolute
(DOSSIER_SITE_URL), every date W3C with its UTC offset, every list in a fixed order, so the same
content and the same "now" give the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from dossier.enrich.pages import alternates, article_versions
from dossier.enrich.urls import Urls
from dossier.resolve.model import Article, Site, newest_first
from dossier.settings import DossierSettings

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
# Prefixes written as plain names with their xmlns declarations on the root element:
# ET.register_namespace is process-wide (another module registering "" for Atom would take the
# default namespace away), and ET's default_namespace option refuses unqualified attributes.
PREFIXES = {SITEMAP: "", XHTML: "xhtml", NEWS: "news"}

NEWS_WINDOW = timedelta(days=2)  # Google News wants the articles of the last two days
INDEX_FILE, NEWS_FILE, ROBOTS_FILE = "sitemap.xml", "sitemap-news.xml", "robots.txt"
# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Entry:
    """One ``<url>`` of sitemap.xml."""

    loc: str
    lastmod: datetime | None
    alternates: tuple[tuple[str, str], ...]  # (hreflang, URL): the page's own hreflang links


@dataclass(frozen=True, kw_only=True)
class NewsItem:
    """One ``<url>`` of the Google News sitemap."""

    loc: str
    publication: str
    language: str
    date: datetime
    title: str


# --- entries -----------------------------------------------------------------------------------


def pages(site: Site, urls: Urls, default_lang: str) -> list[Entry]:
    """Every canonical page: the language chooser; per language its home, the hub, and each
    kind's index followed by the kind's topic pages; then the published articles, newest first.

    ``lastmod`` is the newest ``modified`` (or ``date``) among the articles the page shows or
    counts, omitted when there are none; the alternates are the set of ``<link rel=alternate
    hreflang>`` the page carries, made by the same function (``enrich.alternates``)."""
    langs = site.languages
    published = site.published()

    def entry(
        url: str, versions: Mapping[str, str], shown: Iterable[Article], x_default=None
    ) -> Entry:
        links = alternates(versions, urls, default_lang, x_default)
        return Entry(
            loc=urls.absolute(url),
            lastmod=newest(shown),
            alternates=tuple((link["hreflang"], link["href"]) for link in links),
        )

    homes = {lang: urls.home(lang) for lang in langs}
    out = [entry("", homes, published, x_default="")]  # the chooser is the homes' x-default
    for lang in langs:
        here = [a for a in published if a.lang == lang]
        out.append(entry(urls.home(lang), homes, here, x_default=""))
        out.append(entry(urls.hub(lang), {other: urls.hub(other) for other in langs}, here))
        for kind in site.kinds:
            entities = site.of_kind(kind)
            counted = [
                a for e in entities for a in site.referencing.get(e.id, ()) if a.lang == lang
            ]
            versions = {other: urls.kind(kind, other) for other in langs}
            out.append(entry(urls.kind(kind, lang), versions, counted))
            for entity in entities:
                versions = {other: urls.entity(entity, other) for other in langs}
                shown = site.referencing.get(entity.id, ())  # in every language
                out.append(entry(urls.entity(entity, lang), versions, shown))
    for article in published:
        out.append(entry(urls.article(article), article_versions(article, site, urls), [article]))
    return out


def newest(articles: Iterable[Article]) -> datetime | None:
    """The latest ``modified`` (``date`` where there is none); the first of equal instants."""
    return max((a.modified for a in articles), default=None)


def news(
    articles: Iterable[Article], urls: Urls, publication: str, now: datetime, limit: int
) -> list[NewsItem]:
    """Published articles whose ``date`` lies in the two days up to ``now``, newest first, at
    most ``limit`` of them. Articles dated after ``now`` are not news yet."""
    recent = sorted(
        (a for a in articles if a.published and now - NEWS_WINDOW <= a.date <= now),
        key=newest_first,
    )
    return [
        NewsItem(
            loc=urls.absolute(urls.article(a)),
            publication=publication,
            language=a.lang,
            date=a.date,
            title=a.title,
        )
        for a in recent[:limit]
    ]


def chunks(entries: Sequence[Entry], size: int) -> list[Sequence[Entry]]:
    return [entries[i : i + size] for i in range(0, len(entries), size)]


# --- XML ---------------------------------------------------------------------------------------


def w3c(value: datetime) -> str:
    """W3C Datetime with seconds and the UTC offset: ``2023-09-13T18:45:00+02:00``."""
    if value.tzinfo is None:
        raise ValueError(f"{value} has no UTC offset")
    return value.isoformat(timespec="seconds")


def urlset(entries: Iterable[Entry]) -> ET.Element:
    root = _root("urlset", XHTML)
    for entry in entries:
        url = _child(root, SITEMAP, "url")
        _child(url, SITEMAP, "loc", entry.loc)
        if entry.lastmod is not None:
            _child(url, SITEMAP, "lastmod", w3c(entry.lastmod))
        for hreflang, href in entry.alternates:
            attributes = {"rel": "alternate", "hreflang": hreflang, "href": _xml_text(href)}
            ET.SubElement(url, f"{PREFIXES[XHTML]}:link", attributes)
    return root


def news_urlset(items: Iterable[NewsItem]) -> ET.Element:
    """The Google News sitemap; an empty ``<urlset>`` when there is no recent article."""
    root = _root("urlset", NEWS)
    for item in items:
        url = _child(root, SITEMAP, "url")
        _child(url, SITEMAP, "loc", item.loc)
        about = _child(url, NEWS, "news")
        publication = _child(about, NEWS, "publication")
        _child(publication, NEWS, "name", item.publication)
        _child(publication, NEWS, "language", item.language)
        _child(about, NEWS, "publication_date", w3c(item.date))
        _child(about, NEWS, "title", item.title)
    return root


def sitemap_index(parts: Iterable[tuple[str, datetime | None]]) -> ET.Element:
    """A ``<sitemapindex>`` of (absolute URL, newest lastmod in it) pairs."""
    root = _root("sitemapindex")
    for loc, lastmod in parts:
        sitemap = _child(root, SITEMAP, "sitemap")
        _child(sitemap, SITEMAP, "loc", loc)
        if lastmod is not None:
            _child(sitemap, SITEMAP, "lastmod", w3c(lastmod))
    return root


def to_bytes(root: ET.Element) -> bytes:
    """UTF-8 with an XML declaration, indented, one trailing newline (indents ``root``)."""
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _root(tag: str, *extensions: str) -> ET.Element:
    declarations = {"xmlns": SITEMAP} | {f"xmlns:{PREFIXES[ns]}": ns for ns in extensions}
    return ET.Element(tag, declarations)


def _child(parent: ET.Element, namespace: str, tag: str, text: str | None = None) -> ET.Element:
    prefix = PREFIXES[namespace]
    element = ET.SubElement(parent, f"{prefix}:{tag}" if prefix else tag)
    if text is not None:
        element.text = _xml_text(text)
    return element


def _xml_text(text: str) -> str:
    """ElementTree escapes markup but writes control characters XML forbids; drop those."""
    return _NOT_XML.sub("", text)


# --- files -------------------------------------------------------------------------------------


def robots_txt(sitemaps: Sequence[str]) -> str:
    lines = ["User-agent: *", "Allow: /", "", *(f"Sitemap: {url}" for url in sitemaps)]
    return "\n".join(lines) + "\n"


def sitemap_files(
    site: Site, urls: Urls, settings: DossierSettings, now: datetime
) -> dict[str, bytes]:
    """File name (below the output folder) -> content, for every file this module makes."""
    files = site_files(site, urls, settings)
    files[NEWS_FILE] = news_file(news_items(site, urls, settings, now))
    return files


def site_files(site: Site, urls: Urls, settings: DossierSettings) -> dict[str, bytes]:
    """The sitemap (an index of parts when large) and robots.txt: made from the model alone."""
    entries = pages(site, urls, settings.default_lang)
    files: dict[str, bytes] = {}
    if len(entries) <= settings.sitemap_max_urls:
        files[INDEX_FILE] = to_bytes(urlset(entries))
    else:
        listed = []
        for number, part in enumerate(chunks(entries, settings.sitemap_max_urls), start=1):
            name = f"sitemap-{number}.xml"
            files[name] = to_bytes(urlset(part))
            lastmods = (e.lastmod for e in part if e.lastmod is not None)
            listed.append((urls.absolute(name), max(lastmods, default=None)))
        files[INDEX_FILE] = to_bytes(sitemap_index(listed))
    sitemaps = [urls.absolute(INDEX_FILE), urls.absolute(NEWS_FILE)]
    files[ROBOTS_FILE] = robots_txt(sitemaps).encode("utf-8")
    return files


def news_items(site: Site, urls: Urls, settings: DossierSettings, now: datetime) -> list[NewsItem]:
    """What the news sitemap lists at ``now``."""
    publication = settings.publisher.name
    return news(site.published(), urls, publication, now, settings.news_sitemap_limit)


def news_file(items: list[NewsItem]) -> bytes:
    return to_bytes(news_urlset(items))
