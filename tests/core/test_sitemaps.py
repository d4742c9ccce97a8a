"""Sitemaps without Pelican: the Google News window, and the XML the sitemap writer makes of
its items (escaped text, dates with their offsets). The sitemaps of built sites are in
tests/site/test_sitemaps.py.
"""

from __future__ import annotations

import runpy
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from dossier.enrich import sitemaps
from dossier.enrich.urls import Urls
from dossier.resolve.model import Article
from dossier.settings import DossierSettings, of
from lxml import etree

from ..conftest import REPO
from ..support.sample import SITE
from ..support.sitemap_xml import news_entries

HOSTILE = """</script> & <b>"Kim" 'trifft' Putin</b>"""


@cache
def settings() -> DossierSettings:
    """The project's settings, with Pelican's default output folder."""
    return of({"OUTPUT_PATH": "output", **runpy.run_path(str(REPO / "pelicanconf.py"))})


def model(slug: str, lang: str, date: str, title: str = "A title", **data) -> Article:
    data = {"slug": slug, "lang": lang, "date": date, "title": title, **data}
    return Article(source=slug, path=Path(f"{slug}.{lang}.md"), data=data, references={})


def test_news_window_includes_both_ends_and_nothing_later() -> None:
    now = datetime.fromisoformat("2024-05-02T12:00:00+00:00")
    articles = [
        model("before", "en", "2024-04-30T11:59:59+00:00"),
        model("start", "en", "2024-04-30T14:00:00+02:00"),  # exactly now - 2 days
        model("middle", "de", "2024-05-01T12:00:00+00:00"),
        model("draft", "de", "2024-05-01T13:00:00+00:00", status="draft"),
        model("end", "de", "2024-05-02T12:00:00+00:00"),
        model("future", "en", "2024-05-02T12:00:01+00:00"),
    ]
    items = sitemaps.news(articles, Urls(settings()), "Dossier", now, 1000)
    assert [urlsplit(i.loc).path for i in items] == [
        "/de/2024/end/",
        "/de/2024/middle/",
        "/en/2024/start/",
    ]
    assert items[-1].date.isoformat() == "2024-04-30T14:00:00+02:00"
    assert [i.loc for i in sitemaps.news(articles, Urls(settings()), "D", now, 1)] == [items[0].loc]


def test_text_is_escaped_and_characters_xml_cannot_carry_are_dropped() -> None:
    item = sitemaps.NewsItem(
        loc=f"{SITE}/de/2024/x/?a=1&b=2",
        publication="Dossier & Co <GmbH>",
        language="de",
        date=datetime.fromisoformat("2024-05-01T12:00:00+02:00"),
        title=HOSTILE + "\x0b\x1f",
    )
    raw = sitemaps.to_bytes(sitemaps.news_urlset([item]))
    assert raw.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n")
    root = etree.fromstring(raw)
    (parsed,) = news_entries(root)
    assert parsed["title"] == HOSTILE
    assert parsed["name"] == "Dossier & Co <GmbH>"
    assert parsed["loc"] == f"{SITE}/de/2024/x/?a=1&b=2"
    assert parsed["date"] == "2024-05-01T12:00:00+02:00"


def test_a_date_without_offset_is_refused() -> None:
    with pytest.raises(ValueError, match="no UTC offset"):
        sitemaps.w3c(datetime(2024, 5, 1, 12, 0))
