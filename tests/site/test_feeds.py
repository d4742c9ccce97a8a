"""Feeds on built sites: Atom and JSON Feed 1.1 for the site and every entity, per language.

The built sites are checked by parsing what was written (feedparser for Atom, json for JSON
Feed), against expectations computed from the Markdown front matter and the registry YAML, never
from the plugin's own data. The pure core, on plain data, is in tests/core/test_feeds.py.
"""

from __future__ import annotations

import hashlib
import json
import runpy
from datetime import datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest

from ..conftest import REPO, Site
from ..support.sample import (
    LANGS,
    REFERENCE_FIELDS,
    SITE,
    _dt,
    articles,
    entities,
    entity_url,
    front_matter,
)

HOSTILE = '</script><script>alert(1)</script> & <b>bold</b> "quoted"'
JSON_FEED = "https://jsonfeed.org/version/1.1"
EXTS = ("xml", "json")
# The image an article without its own gets: the first default image of the project's settings.
DEFAULT_IMAGE = runpy.run_path(str(REPO / "pelicanconf.py"))["DOSSIER_DEFAULT_IMAGES"][0]


# --- reading what a build wrote ----------------------------------------------------------------


def feed_url(lang: str, ext: str, entity: dict | None = None) -> str:
    base = entity_url(entity, lang) if entity else f"/{lang}/"
    return f"{base}feed.{ext}"


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def is_absolute(url: Any) -> bool:
    return isinstance(url, str) and url.startswith(SITE + "/")


def served(site: Site, url: str) -> Path:
    assert is_absolute(url), url
    return site.page(url.removeprefix(SITE))


def has_offset(value: str) -> bool:
    return datetime.fromisoformat(value).utcoffset() is not None


def read_atom(site: Site, url: str) -> feedparser.FeedParserDict:
    path = site.page(url)
    assert path.is_file(), f"no feed at {url}"
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
    assert parsed.version == "atom10", url
    assert [link.href for link in parsed.feed.links if link.rel == "self"] == [SITE + url]
    assert served(site, parsed.feed.link).is_file(), url  # the page the feed follows
    assert has_offset(parsed.feed.updated), url
    for entry in parsed.entries:
        assert is_absolute(entry.id), url
        assert entry.link == entry.id, url
        assert has_offset(entry.published), url
        assert has_offset(entry.updated), url
    return parsed


def assert_people(people: list[dict[str, Any]], where: str) -> None:
    assert people, where
    for person in people:
        assert isinstance(person["name"], str), where
        assert is_absolute(person["url"]), where


def read_json(site: Site, url: str) -> dict[str, Any]:
    """A JSON Feed 1.1, checked for the keys and types the format requires and absolute URLs."""
    path = site.page(url)
    assert path.is_file(), f"no feed at {url}"
    doc = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constants)
    assert doc["version"] == JSON_FEED
    for key in ("title", "description", "language"):
        assert isinstance(doc[key], str), (url, key)
        assert doc[key], (url, key)
    assert doc["feed_url"] == SITE + url
    assert served(site, doc["home_page_url"]).is_file(), url
    assert_people(doc["authors"], url)
    assert isinstance(doc["items"], list), url
    for item in doc["items"]:
        assert isinstance(item["id"], str), url
        assert item["id"], url
        assert is_absolute(item["url"]), url
        assert isinstance(item["title"], str)
        assert isinstance(item.get("content_text") or item.get("content_html"), str), url
        assert has_offset(item["date_published"]), url
        assert has_offset(item["date_modified"]), url
        assert_people(item["authors"], url)
        assert all(isinstance(tag, str) for tag in item.get("tags", [])), url
        assert "image" not in item or is_absolute(item["image"]), url
    return doc


def references(article: dict, entity_id: str) -> bool:
    return entity_id in article["authors"] or any(
        entity_id in article.get(f, []) for f in REFERENCE_FIELDS
    )


def expected_entries(
    every: list[dict], lang: str, entity_id: str | None = None, limit: int = 50
) -> list[dict]:
    """The published articles of a language (that reference the entity), newest first."""
    chosen = [
        a
        for a in every
        if a.get("status", "published") == "published"
        and a["lang"] == lang
        and (entity_id is None or references(a, entity_id))
    ]
    chosen.sort(key=lambda a: (-a["date"].timestamp(), a["slug"]))
    return chosen[:limit]


def site_articles(content: Path) -> list[dict]:
    """Like sample.articles, for a fixture site's content folder."""
    out = []
    for path in sorted((content / "articles").rglob("*.md")):
        data = front_matter(path)
        data["date"] = _dt(data["date"])
        data["url"] = f"/{data['lang']}/{data['date']:%Y}/{data['slug']}/"
        out.append(data)
    return out


def feed_files(site: Site) -> dict[str, str]:
    return {
        p.relative_to(site.output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.output.rglob("feed.*"))
    }


# --- the sample site ---------------------------------------------------------------------------


def test_every_language_and_entity_has_both_feeds_and_nothing_else(sample_site: Site) -> None:
    registry_ = entities()
    expected = {
        feed_url(lang, ext, entity).lstrip("/")
        for lang in LANGS
        for entity in [None, *registry_.values()]
        for ext in EXTS
    }
    assert set(feed_files(sample_site)) == expected
    for lang in LANGS:
        for entity in [None, *registry_.values()]:
            atom = read_atom(sample_site, feed_url(lang, "xml", entity))
            doc = read_json(sample_site, feed_url(lang, "json", entity))
            assert doc["language"] == lang
            assert atom.feed.title == doc["title"]
            if entity:
                assert atom.feed.link == SITE + entity_url(entity, lang)
                assert entity["name"][lang] in doc["title"]


@pytest.mark.parametrize("lang", LANGS)
def test_each_feed_holds_exactly_its_published_articles_newest_first(
    sample_site: Site, lang: str
) -> None:
    every = articles()
    for entity in [None, *entities().values()]:
        entity_id = entity["id"] if entity else None
        expected = [SITE + a["url"] for a in expected_entries(every, lang, entity_id)]
        atom = read_atom(sample_site, feed_url(lang, "xml", entity))
        doc = read_json(sample_site, feed_url(lang, "json", entity))
        assert [e.id for e in atom.entries] == expected, (lang, entity_id)
        assert [item["id"] for item in doc["items"]] == expected, (lang, entity_id)
    assert read_json(sample_site, feed_url(lang, "json"))["items"], "the site feed is empty"


@pytest.mark.parametrize("lang", LANGS)
def test_entries_carry_summary_dates_authors_topics_and_image(sample_site: Site, lang: str) -> None:
    registry_ = entities()
    chosen = expected_entries(articles(), lang)
    atom = read_atom(sample_site, feed_url(lang, "xml"))
    items = read_json(sample_site, feed_url(lang, "json"))["items"]
    assert len(atom.entries) == len(items) == len(chosen)
    for article, entry, item in zip(chosen, atom.entries, items, strict=True):
        where = article["url"]
        published = article["date"]
        modified = _dt(article.get("modified", article["date"]))
        authors = [
            (registry_[a]["name"][lang], SITE + entity_url(registry_[a], lang))
            for a in article["authors"]
        ]
        topics = [(t, registry_[t]["name"][lang]) for t in article.get("topics", [])]
        image = SITE + "/" + article.get("image", {}).get("src", DEFAULT_IMAGE)
        # Atom
        assert entry.title == article["title"], where
        assert entry.summary == article["summary"], where
        assert entry.summary_detail.type == "text/plain", where
        assert _dt(entry.published) == published, where
        assert _dt(entry.updated) == modified, where
        assert [(a["name"], a["href"]) for a in entry.authors] == authors, where
        tags = entry.get("tags", [])
        assert [(t.term, t.label) for t in tags] == topics, where
        assert all(t.scheme == SITE + "/#topics" for t in tags), where
        (content,) = entry.media_content
        assert content["url"] == image, where
        assert content["medium"] == "image", where
        assert int(content["width"]) >= 1200, where
        assert [t["url"] for t in entry.media_thumbnail] == [image], where
        # JSON Feed
        assert item["url"] == SITE + where
        assert item["title"] == article["title"], where
        assert item["summary"] == item["content_text"] == article["summary"], where
        assert _dt(item["date_published"]) == published, where
        assert _dt(item["date_modified"]) == modified, where
        assert [(a["name"], a["url"]) for a in item["authors"]] == authors, where
        assert item.get("tags", []) == [name for _, name in topics], where
        assert item["language"] == lang, where
        assert item["image"] == image, where
        assert served(sample_site, image).is_file(), where


def test_drafts_appear_in_no_feed(sample_site: Site) -> None:
    drafts = [a for a in articles() if a.get("status") == "draft"]
    assert drafts
    for path in sorted(sample_site.output.rglob("feed.*")):
        text = path.read_text(encoding="utf-8")
        for draft in drafts:
            assert draft["url"] not in text, f"{path} lists draft {draft['slug']}"
            assert draft["title"] not in text, f"{path} shows draft {draft['slug']}"


# --- small fixture sites -----------------------------------------------------------------------


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_hostile_strings_round_trip_through_both_formats(fixture_site: Site) -> None:
    summit = fixture_site.content / "articles/2023/summit.en.md"
    _replace(summit, "title: Kim meets Putin at Vostochny", f"title: '{HOSTILE}'")
    _replace(
        summit,
        "summary: Kim Jong Un and Vladimir Putin meet at the cosmodrome.",
        f"summary: '{HOSTILE}'\nimage:\n  src: images/dossier-default-4x3.png\n  alt: A summit",
    )
    author = fixture_site.content / "entities/authors/anna-berger.yaml"
    _replace(author, "en: Anna Berger", f"en: '{HOSTILE}'")
    result = fixture_site.build()
    assert result.exit_code == 0, result.output

    for url in ("/en/feed.xml", "/en/actors/kim-jong-un/feed.xml"):
        atom = read_atom(fixture_site, url)
        (entry,) = [e for e in atom.entries if e.id == f"{SITE}/en/2023/summit/"]
        assert entry.title == HOSTILE
        assert entry.summary == HOSTILE
        assert [a["name"] for a in entry.authors] == [HOSTILE]
        raw = fixture_site.page(url).read_text(encoding="utf-8")
        assert "<script>" not in raw
        assert "<b>" not in raw
    for url in ("/en/feed.json", "/en/actors/kim-jong-un/feed.json"):
        doc = read_json(fixture_site, url)
        (item,) = [i for i in doc["items"] if i["id"] == f"{SITE}/en/2023/summit/"]
        assert item["title"] == item["summary"] == item["content_text"] == HOSTILE
        assert [a["name"] for a in item["authors"]] == [HOSTILE]
        assert item["image"] == f"{SITE}/images/dossier-default-4x3.png"
    # The author's own feeds carry the name in their titles.
    atom = read_atom(fixture_site, "/en/authors/anna-berger/feed.xml")
    doc = read_json(fixture_site, "/en/authors/anna-berger/feed.json")
    assert atom.feed.title == doc["title"] == f"Dossier – {HOSTILE}"
    (content,) = next(e for e in atom.entries if e.id.endswith("/summit/")).media_content
    assert content["url"] == f"{SITE}/images/dossier-default-4x3.png"
    assert served(fixture_site, content["url"]).is_file()


def test_the_limit_setting_caps_every_feed(fixture_site: Site) -> None:
    with (fixture_site.root / "settings.py").open("a", encoding="utf-8") as settings:
        settings.write("DOSSIER_FEED_LIMIT = 1\n")
    assert fixture_site.build().exit_code == 0
    every = site_articles(fixture_site.content)
    for lang in LANGS:
        for entity_id, kind in [
            (None, None),
            ("anna-berger", "authors"),
            ("kim-jong-un", "actors"),
        ]:
            entity = {"id": entity_id, "kind": kind} if entity_id else None
            full = expected_entries(every, lang, entity_id)
            expected = [SITE + a["url"] for a in full[:1]]
            atom = read_atom(fixture_site, feed_url(lang, "xml", entity))
            doc = read_json(fixture_site, feed_url(lang, "json", entity))
            assert [e.id for e in atom.entries] == expected, (lang, entity_id)
            assert [i["id"] for i in doc["items"]] == expected, (lang, entity_id)
    # The English site feed would have two entries without the limit: the newer one stays.
    assert len(expected_entries(every, "en")) == 2


def test_an_empty_feed_is_dated_by_the_content(fixture_site: Site) -> None:
    """No German article mentions ballistic missiles: the feed is valid, empty, and its
    `updated` is the newest article's last change, not the time of the build."""
    assert fixture_site.build().exit_code == 0
    every = [a for a in site_articles(fixture_site.content) if a.get("status") != "draft"]
    newest = max(every, key=lambda a: a["date"])
    topic = {"id": "ballistic-missiles", "kind": "topics"}
    atom = read_atom(fixture_site, feed_url("de", "xml", topic))
    assert atom.entries == []
    assert _dt(atom.feed.updated) == _dt(newest.get("modified", newest["date"]))
    assert read_json(fixture_site, feed_url("de", "json", topic))["items"] == []


def test_two_builds_write_the_same_feed_bytes(fixture_site: Site) -> None:
    assert fixture_site.build().exit_code == 0
    first = feed_files(fixture_site)
    assert fixture_site.build().exit_code == 0
    assert feed_files(fixture_site) == first
    entities_ = len(list((fixture_site.content / "entities").glob("*/*.yaml")))
    assert len(first) == len(LANGS) * (entities_ + 1) * len(EXTS)
