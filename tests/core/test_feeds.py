"""Feeds: what the pure core makes of the plain-data model of tests/support/model.py, with literal
expectations: each feed's entries, dates, people, categories and images, the links a page offers
to its feeds, and the limit. The feeds of built sites are in tests/site/test_feeds.py.
"""

from __future__ import annotations

import json
from datetime import datetime

import feedparser
import pytest
from bs4 import BeautifulSoup
from dossier.enrich import feeds
from dossier.enrich.urls import Urls
from jinja2 import Environment, FileSystemLoader

from ..conftest import REPO
from ..support.model import articles as model_articles
from ..support.model import context, registry, settings
from ..support.model import site as model_site

HOSTILE = '</script><script>alert(1)</script> & <b>bold</b> "quoted"'

N = "https://news.example"


@pytest.fixture
def ctx():
    return context(model_site(registry(), model_articles()))


def by_id(ctx, entity_id: str):
    return ctx.site.entities[entity_id]


def test_a_topic_page_offers_its_entitys_feeds_then_the_sites() -> None:
    urls = Urls(settings())
    kim = next(e for e in registry() if e.id == "kim-jong-un")
    assert feeds.feed_links(urls, "en", kim, site_name="Dossier News") == [
        {
            "type": "application/atom+xml",
            "href": "/en/actors/kim-jong-un/feed.xml",
            "title": "Dossier News – Kim Jong Un (Atom)",
        },
        {
            "type": "application/feed+json",
            "href": "/en/actors/kim-jong-un/feed.json",
            "title": "Dossier News – Kim Jong Un (JSON Feed)",
        },
        {
            "type": "application/atom+xml",
            "href": "/en/feed.xml",
            "title": "Dossier News – Latest articles (Atom)",
        },
        {
            "type": "application/feed+json",
            "href": "/en/feed.json",
            "title": "Dossier News – Latest articles (JSON Feed)",
        },
    ]


def test_any_other_page_offers_the_sites_feeds_in_its_language() -> None:
    urls = Urls(settings(SITEURL="https://cdn.example/"))
    assert feeds.feed_links(urls, "de", site_name="Dossier News") == [
        {
            "type": "application/atom+xml",
            "href": "https://cdn.example/de/feed.xml",
            "title": "Dossier News – Neueste Artikel (Atom)",
        },
        {
            "type": "application/feed+json",
            "href": "https://cdn.example/de/feed.json",
            "title": "Dossier News – Neueste Artikel (JSON Feed)",
        },
    ]


def test_the_head_links_a_pages_feeds_as_text() -> None:
    env = Environment(
        loader=FileSystemLoader(REPO / "theme" / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    head = env.get_template("partials/head.html")
    view = {"feeds": feeds.feed_links(Urls(settings()), "en", site_name=HOSTILE)}
    page = BeautifulSoup(head.render(view=view), "html.parser")
    links = [
        (link["type"], link["href"], link["title"])
        for link in page.find_all("link", rel="alternate", type=True)
    ]
    assert links == [
        ("application/atom+xml", "/en/feed.xml", f"{HOSTILE} – Latest articles (Atom)"),
        ("application/feed+json", "/en/feed.json", f"{HOSTILE} – Latest articles (JSON Feed)"),
    ]
    assert not page.find_all("script", src=True)
    without = BeautifulSoup(head.render(view={}), "html.parser")
    assert not without.find_all("link", rel="alternate", type=True)


def test_an_entity_feed_holds_its_published_articles_in_its_language_newest_first(ctx) -> None:
    feed = feeds.entity_feed(ctx, by_id(ctx, "kim-jong-un"), "en", 50)
    assert [e.id for e in feed.entries] == [
        f"{N}/en/2023/kim-putin-vostochny/",
        f"{N}/en/2023/shoigu-pyongyang/",
    ]
    assert feed.title == "Dossier News – Kim Jong Un"
    assert feed.description == "Articles from Dossier News about Kim Jong Un"
    assert feed.language == "en"
    assert feed.home_page_url == f"{N}/en/actors/kim-jong-un/"
    assert feed.self_urls == {
        "xml": f"{N}/en/actors/kim-jong-un/feed.xml",
        "json": f"{N}/en/actors/kim-jong-un/feed.json",
    }
    # The latest change among the entries: neither the first entry's date nor the clock.
    assert feed.updated == datetime.fromisoformat("2023-09-13T18:00:00+02:00")


def test_an_authors_feed_lists_their_bylines_and_never_a_draft(ctx) -> None:
    desk = by_id(ctx, "dossier-desk")
    english = feeds.entity_feed(ctx, desk, "en", 50)
    assert [e.id for e in english.entries] == [f"{N}/en/2023/kim-putin-vostochny/"]
    assert english.description == "Articles by Dossier desk for Dossier News"
    german = feeds.entity_feed(ctx, desk, "de", 50)
    assert [e.id for e in german.entries] == [f"{N}/de/2023/sanctions-regime-explained/"]
    assert german.description == "Artikel von Dossier-Redaktion für Dossier News"


def test_an_entry_carries_summary_dates_authors_topics_and_image(ctx) -> None:
    feed = feeds.site_feed(ctx, "de", 50)
    (entry,) = [e for e in feed.entries if e.id.endswith("/kim-putin-vostochny/")]
    assert entry == feeds.Entry(
        id=f"{N}/de/2023/kim-putin-vostochny/",
        title="Kim trifft Putin in Wostotschny",
        link=f"{N}/de/2023/kim-putin-vostochny/",
        published=datetime.fromisoformat("2023-09-13T16:00:00+02:00"),
        updated=datetime.fromisoformat("2023-09-14T09:30:00+02:00"),
        summary="Kim Jong Un und Wladimir Putin treffen sich im Fernen Osten.",
        language="de",
        authors=(feeds.Person("Anna Berger", f"{N}/de/autoren/anna-berger/"),),
        categories=(
            feeds.Category(
                "russia-north-korea-relations",
                "Beziehungen zwischen Russland und Nordkorea",
                f"{N}/#topics",
            ),
        ),
        image=feeds.Picture(f"{N}/images/summit.jpg", "image/jpeg", 1600, 900),
    )
    assert feed.updated == entry.updated
    (launch,) = [e for e in feed.entries if e.id.endswith("/missile-launches-sunan/")]
    assert launch.image == feeds.Picture(f"{N}/images/default-16x9.png", "image/png", 1200, 675)


def test_an_entry_lists_every_author_in_byline_order(ctx) -> None:
    (entry,) = feeds.entity_feed(ctx, by_id(ctx, "dossier-desk"), "en", 50).entries
    assert entry.authors == (
        feeds.Person("Anna Berger", f"{N}/en/authors/anna-berger/"),
        feeds.Person("Dossier desk", f"{N}/en/authors/dossier-desk/"),
    )
    atom = feedparser.parse(
        feeds.atom(feeds.entity_feed(ctx, by_id(ctx, "dossier-desk"), "en", 50))
    )
    assert [(a["name"], a["href"]) for a in atom.entries[0].authors] == [
        ("Anna Berger", f"{N}/en/authors/anna-berger/"),
        ("Dossier desk", f"{N}/en/authors/dossier-desk/"),
    ]


def test_an_entity_nobody_wrote_about_has_a_valid_empty_feed(ctx) -> None:
    feed = feeds.entity_feed(ctx, by_id(ctx, "amur-oblast"), "en", 50)
    assert feed.entries == ()
    # Dated by the content (the site's newest article), not by the time of the build.
    assert feed.updated == datetime.fromisoformat("2023-09-13T18:00:00+02:00")
    atom = feedparser.parse(feeds.atom(feed))
    assert atom.bozo == 0
    assert atom.entries == []
    assert atom.feed.updated == "2023-09-13T18:00:00+02:00"
    doc = json.loads(feeds.json_feed(feed))
    assert doc["items"] == []
    assert doc["title"] == "Dossier News – Amur Oblast"


def test_the_limit_keeps_the_newest_entries(ctx) -> None:
    feed = feeds.site_feed(ctx, "en", 2)
    assert [e.id for e in feed.entries] == [
        f"{N}/en/2023/kim-putin-vostochny/",
        f"{N}/en/2023/missile-launches-sunan/",
    ]
    assert settings().feed_limit == 50
    assert settings(DOSSIER_FEED_LIMIT=3).feed_limit == 3
    for wrong in (0, -1, "10", 2.5, True):
        with pytest.raises(ValueError, match="DOSSIER_FEED_LIMIT"):
            settings(DOSSIER_FEED_LIMIT=wrong)
