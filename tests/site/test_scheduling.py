"""Scheduled publishing: a story dated after the build time is published nowhere until a build
at or after its date, then everywhere. The build time is fixed with SOURCE_DATE_EPOCH, as a
reproducible build fixes it; ``dossier status`` reports the same from the same time.

A story in two languages, the German version dated two hours before the English one, is added
to the fixture site and built three times: before both dates, between them, after both. Every
file of each build is read as what it says (a page's text, attributes and JSON-LD; every text
and attribute of an XML file; every string of a JSON file; the search index's pages).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from ..conftest import Site, catalogue
from ..support.pagefind import fragments
from ..support.pages import graph, soup
from ..support.serving import serving, without_script
from ..support.sitemap_xml import NS, news_entries

ATOM = {"a": "http://www.w3.org/2005/Atom"}
TITLES = {"de": "Neue Raketentests angekündigt", "en": "New missile tests announced"}
DATES = {"de": "2024-03-01T08:00:00+01:00", "en": "2024-03-01T10:00:00+01:00"}
URLS = {lang: f"/{lang}/2024/panel/" for lang in TITLES}


def epoch(when: str) -> str:
    return str(int(datetime.fromisoformat(when).timestamp()))


BEFORE = epoch("2024-02-29T12:00:00+00:00")  # both scheduled
BETWEEN = epoch("2024-03-01T08:30:00+01:00")  # the German version due, the English not
AFTER = epoch("2024-03-01T12:00:00+00:00")  # both due (and within the news sitemap's two days)


def story(lang: str) -> str:
    return f"""\
---
title: {TITLES[lang]}
slug: panel
lang: {lang}
date: {DATES[lang]}
authors: [anna-berger]
summary: {TITLES[lang]}.
actors: [north-korea]
topics: [ballistic-missiles]
about: [ballistic-missiles]
---
{TITLES[lang]}.
"""


@pytest.fixture
def scheduled_site(fixture_site: Site) -> Site:
    for lang in TITLES:
        fixture_site.write(f"articles/2024/panel.{lang}.md", story(lang))
    return fixture_site


def build_at(site: Site, when: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", when)
    result = site.build()
    assert result.exit_code == 0, result.output


# --- what a built site says ---------------------------------------------------------------------


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from strings(inner)


def said(site: Site) -> dict[str, list[str]]:
    """Every file of the built site -> what it says, parsed by kind; the search index's pages
    under 'pagefind'."""
    out: dict[str, list[str]] = {}
    for path in sorted(site.output.rglob("*")):
        name = path.relative_to(site.output).as_posix()
        if not path.is_file() or name.startswith("pagefind/"):
            continue
        if path.suffix == ".html":
            page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            found = [page.get_text(" ")]
            for tag in page.find_all(True):
                for value in tag.attrs.values():
                    found += value if isinstance(value, list) else [value]
            for script in page.find_all("script", type="application/ld+json"):
                found += strings(json.loads(script.string))
        elif path.suffix == ".xml":
            root = etree.parse(str(path)).getroot()
            found = [t for e in root.iter() for t in (e.text or "", *e.attrib.values())]
        elif path.suffix == ".json":
            found = list(strings(json.loads(path.read_text(encoding="utf-8"))))
        else:
            continue
        out[name] = found
    out["pagefind"] = [
        s for url, fragment in fragments(site.output).items() for s in (url, *strings(fragment))
    ]
    return out


def naming(site: Site, lang: str) -> list[str]:
    """The files that name the story's ``lang`` version: its title or its address."""
    needles = (TITLES[lang], URLS[lang])
    return [
        name for name, found in said(site).items() if any(n in s for s in found for n in needles)
    ]


def article_links(page: BeautifulSoup) -> list[str]:
    return [
        a["href"] for a in page.main.find_all("a", href=True) if re.search(r"/\d{4}/", a["href"])
    ]


# --- the tests ----------------------------------------------------------------------------------


def test_a_scheduled_story_is_nowhere_until_its_date_then_everywhere(
    scheduled_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = scheduled_site
    build_at(site, BEFORE, monkeypatch)
    for lang in TITLES:
        assert not site.page(URLS[lang]).exists()
        assert naming(site, lang) == []
    topic = soup(site, "/en/topics/ballistic-missiles/")
    assert article_links(topic) == ["/en/2023/launches/"]
    neighbours = [a["href"] for a in soup(site, "/en/2023/summit/").select(".prev-next a")]
    assert neighbours == ["/en/2023/launches/"]  # the newest: no newer one

    build_at(site, BETWEEN, monkeypatch)  # the German version goes live, the English not yet
    assert site.page(URLS["de"]).is_file()
    assert not site.page(URLS["en"]).exists()
    assert naming(site, "en") == []
    named = naming(site, "de")
    assert {"sitemap.xml", "sitemap-news.xml", "de/feed.xml", "de/feed.json", "pagefind"} <= set(
        named
    )
    assert "de/index.html" in named  # the home page lists it
    german = soup(site, URLS["de"])
    assert not german.find_all("link", hreflang="en")  # no English version to point to yet
    (article,) = [
        n for n in graph(german) if n["@type"] == "NewsArticle" and "mainEntityOfPage" in n
    ]
    assert "workTranslation" not in article

    build_at(site, AFTER, monkeypatch)
    for lang, title in TITLES.items():
        page = soup(site, URLS[lang])
        assert page.h1.get_text() == title
        assert not page.select(".draft-banner")
        assert not page.head.find_all("meta", attrs={"name": "robots"})
    named = set(naming(site, "en"))
    assert {
        "sitemap.xml",
        "sitemap-news.xml",
        "en/feed.xml",
        "en/feed.json",
        "en/topics/ballistic-missiles/index.html",
        "en/topics/ballistic-missiles/feed.xml",
        "en/topics/ballistic-missiles/feed.json",
        "en/actors/north-korea/index.html",
        "en/index.html",
        "en/2023/summit/index.html",  # its older neighbour, which links it as the newer
        "en/2023/launches/index.html",  # "more on" the topic they share
        "de/2024/panel/index.html",  # the other language version
        "pagefind",
    } <= named
    topic = soup(site, "/en/topics/ballistic-missiles/")
    assert article_links(topic) == [URLS["en"], "/en/2023/launches/"]
    neighbours = [a["href"] for a in soup(site, "/en/2023/summit/").select(".prev-next a")]
    assert neighbours == [URLS["en"], "/en/2023/launches/"]  # newer, older
    english = graph(soup(site, URLS["en"]))
    (article,) = [n for n in english if n["@type"] == "NewsArticle" and "mainEntityOfPage" in n]
    assert article["headline"] == TITLES["en"]
    assert article["datePublished"] == DATES["en"]
    sitemap = etree.parse(str(site.output / "sitemap.xml")).getroot()
    locs = {urlsplit(loc).path for loc in sitemap.xpath("//sm:loc/text()", namespaces=NS)}
    assert set(URLS.values()) <= locs
    news = news_entries(etree.parse(str(site.output / "sitemap-news.xml")).getroot())
    assert {e["title"] for e in news} >= set(TITLES.values())
    feed = etree.parse(str(site.output / "en/feed.xml")).getroot()
    entries = [e.findtext("a:title", namespaces=ATOM) for e in feed.findall("a:entry", ATOM)]
    assert entries[0] == TITLES["en"]  # the newest
    items = json.loads((site.output / "en/feed.json").read_text(encoding="utf-8"))["items"]
    assert items[0]["title"] == TITLES["en"]


def status(site: Site, when: str, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", when)
    result = site.run("status", *args)
    assert result.exit_code == 0, result.output
    return result.output


def stories(found: list[dict]) -> list[tuple[str, str, str]]:
    return [(s["state"], s["lang"], s["date"]) for s in found]


def test_status_lists_drafts_scheduled_stories_and_what_the_next_build_publishes(
    scheduled_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = scheduled_site
    data = json.loads(status(site, BEFORE, monkeypatch, "--format", "json"))
    assert data["build_time"] == "2024-02-29T13:00:00+01:00"  # in TIMEZONE, Europe/Berlin
    assert data["timezone"] == "Europe/Berlin"
    assert data["last_build"] == {"output": "output", "found": False, "why": "no sitemap.xml"}
    assert data["new"] is None  # nothing to compare with
    assert data["published"] == 3  # the fixture site's articles, its draft aside
    assert stories(data["scheduled"]) == [
        ("scheduled", "de", DATES["de"]),
        ("scheduled", "en", DATES["en"]),
    ]
    assert data["scheduled"][1]["file"] == "content/articles/2024/panel.en.md"
    assert data["scheduled"][1]["url"] == "https://dossier.example/en/2024/panel/"
    assert [(d["state"], d["slug"], d["lang"]) for d in data["drafts"]] == [
        ("draft", "resolution", "de")
    ]
    build_at(site, BEFORE, monkeypatch)
    data = json.loads(status(site, BEFORE, monkeypatch, "--format", "json"))
    assert data["last_build"] == {"output": "output", "found": True}
    assert data["new"] == []  # the build has published what is due
    data = json.loads(status(site, BETWEEN, monkeypatch, "--format", "json"))
    assert stories(data["new"]) == [("new", "de", DATES["de"])]
    assert stories(data["scheduled"]) == [("scheduled", "en", DATES["en"])]

    text = status(site, AFTER, monkeypatch)
    lines = text.splitlines()
    assert lines[0] == "Build time 2024-03-01 13:00 CET (Europe/Berlin): 1 draft, 0 scheduled."
    assert lines[1] == "The next build publishes 2 articles that the last build in output/ did not."
    header = lines.index(next(line for line in lines if line.startswith("state")))
    assert re.split(r"\s{2,}", lines[header]) == [
        "state",
        "date (Europe/Berlin)",
        "lang",
        "title",
        "file",
    ]
    rows = [re.split(r"\s{2,}", line.strip()) for line in lines[header + 2 :] if line.strip()]
    assert rows == [
        ["new", "2024-03-01 08:00", "de", TITLES["de"], "content/articles/2024/panel.de.md"],
        ["new", "2024-03-01 10:00", "en", TITLES["en"], "content/articles/2024/panel.en.md"],
        [
            "draft",
            "2006-10-14 20:00",
            "de",
            "Der Sicherheitsrat verhängt Sanktionen",
            "content/articles/2006/resolution.de.md",
        ],
    ]


def test_status_of_content_with_errors_says_the_next_build_publishes_nothing(
    fixture_site: Site,
) -> None:
    fixture_site.write("articles/2024/panel.en.md", story("en").replace("slug: panel", "slug: x"))
    result = fixture_site.run("status")
    assert result.exit_code == 1
    assert "the next build publishes nothing" in result.output
    assert "panel.en.md" in result.output


def test_serve_shows_a_scheduled_story_under_its_banner_and_published_only_hides_it(
    scheduled_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In each language, the time it goes live in the newsroom's time zone; noindex, as a
    draft; with --published-only, its address is what it is on the published site: 404."""
    summit = scheduled_site.content / "articles/2023/summit.en.md"
    linking = "\nSee [the announcement]({filename}../2024/panel.en.md).\n"
    summit.write_text(summit.read_text(encoding="utf-8") + linking, encoding="utf-8")
    build_at(scheduled_site, BEFORE, monkeypatch)
    expected = {"de": "1. März 2024, 08:00 MEZ", "en": "1 March 2024, 10:00 CET"}
    with serving(scheduled_site) as served:
        # A published article's link to it goes where the build sends it: no address yet.
        status_code, body, _ = served.get("/en/2023/summit/")
        assert without_script(body) == scheduled_site.page("/en/2023/summit/").read_bytes()
        link = soup(scheduled_site, "/en/2023/summit/").find("a", string="the announcement")
        assert link["href"] != URLS["en"]
        for lang, when in expected.items():
            status_code, body, _ = served.get(URLS[lang])
            assert status_code == 200
            page = BeautifulSoup(body.decode("utf-8"), "html.parser")
            assert page.h1.get_text() == TITLES[lang]
            (banner,) = page.main.select(".scheduled-banner")
            assert banner.get_text(strip=True) == catalogue(lang)["scheduled_banner"].format(
                when=when
            )
            assert banner["role"] == "note"
            assert page.main.find(True) is banner
            (robots,) = page.head.find_all("meta", attrs={"name": "robots"})
            assert robots["content"] == "noindex"
    with serving(scheduled_site, "--published-only") as served:
        for lang in TITLES:
            status_code, body, _ = served.get(URLS[lang])
            assert status_code == 404
            assert without_script(body) == (scheduled_site.output / "404.html").read_bytes()


def test_a_scheduled_story_that_is_a_draft_too_is_served_as_a_draft(
    scheduled_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = scheduled_site.content / "articles/2024/panel.en.md"
    path.write_text(story("en").replace("authors:", "status: draft\nauthors:"), encoding="utf-8")
    build_at(scheduled_site, AFTER, monkeypatch)
    assert not scheduled_site.page(URLS["en"]).exists()
    data = json.loads(status(scheduled_site, AFTER, monkeypatch, "--format", "json"))
    assert [d["slug"] for d in data["drafts"]] == ["panel", "resolution"]
    assert data["scheduled"] == []
