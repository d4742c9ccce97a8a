"""Reading sitemap XML: the namespaces of the sitemap protocol and its extensions, and the
entries of a Google News sitemap."""

from __future__ import annotations

from lxml import etree

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def news_entries(root: etree._Element) -> list[dict[str, str]]:
    out = []
    for url in root.findall("sm:url", NS):
        (item,) = url.findall("news:news", NS)
        out.append(
            {
                "loc": url.findtext("sm:loc", namespaces=NS),
                "name": item.findtext("news:publication/news:name", namespaces=NS),
                "language": item.findtext("news:publication/news:language", namespaces=NS),
                "date": item.findtext("news:publication_date", namespaces=NS),
                "title": item.findtext("news:title", namespaces=NS),
            }
        )
    return out
