"""The project's own sample content, built end to end and checked page by page.

Expectations are computed here from the Markdown front matter and the registry YAML (read with
plain PyYAML), never from the plugin's own data.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from .conftest import REPO, Site

LANGS = ("de", "en")
KIND_PATHS = {
    "actors": {"de": "akteure", "en": "actors"},
    "locations": {"de": "orte", "en": "locations"},
    "sanctions": {"de": "sanktionen", "en": "sanctions"},
    "events": {"de": "ereignisse", "en": "events"},
    "topics": {"de": "themen", "en": "topics"},
    "authors": {"de": "autoren", "en": "authors"},
}
REFERENCE_FIELDS = ("actors", "locations", "sanctions", "events", "topics")


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def articles() -> list[dict]:
    out = []
    for path in sorted((REPO / "content" / "articles").rglob("*.md")):
        data = front_matter(path)
        data["date"] = _dt(data["date"])
        data["url"] = f"/{data['lang']}/{data['date']:%Y}/{data['slug']}/"
        out.append(data)
    return out


def _dt(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def published() -> list[dict]:
    return [a for a in articles() if a.get("status", "published") == "published"]


def entities() -> dict[str, dict]:
    out = {}
    for path in sorted((REPO / "content" / "entities").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[path.stem] = data | {"kind": path.parent.name, "id": path.stem}
    return out


def entity_url(entity: dict, lang: str) -> str:
    return f"/{lang}/{KIND_PATHS[entity['kind']][lang]}/{entity['id']}/"


def soup(site: Site, url: str) -> BeautifulSoup:
    path = site.page(url)
    assert path.is_file(), f"no page for {url}"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def graph(page: BeautifulSoup) -> list[dict]:
    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)["@graph"]


def test_sample_content_is_rich_enough() -> None:
    """The issue's minimum: a translated pair plus four more articles, and a draft."""
    slugs = {a["slug"] for a in articles()}
    assert len(slugs) >= 5
    pairs = [s for s in slugs if {a["lang"] for a in articles() if a["slug"] == s} == set(LANGS)]
    assert pairs
    assert any(a.get("status") == "draft" for a in articles())


@pytest.mark.parametrize("article", published(), ids=lambda a: a["url"])
def test_article_page(sample_site: Site, article: dict) -> None:
    page = soup(sample_site, article["url"])
    assert page.html["lang"] == article["lang"]
    assert page.h1.get_text(strip=True) == article["title"]
    assert page.select_one(".summary").get_text(strip=True) == article["summary"]
    registry = entities()
    bylines = [a.get_text(strip=True) for a in page.select('a[rel="author"]')]
    assert bylines == [registry[a]["name"][article["lang"]] for a in article["authors"]]
    time = page.select_one(".meta time")
    assert _dt(time["datetime"]) == article["date"]
    # The facts box links every referenced entity, each to its topic page in this language.
    box = {a["href"] for a in page.select(".facts a")}
    expected = {
        entity_url(registry[i], article["lang"])
        for f in REFERENCE_FIELDS
        for i in article.get(f, [])
    }
    assert box == expected


@pytest.mark.parametrize("article", published(), ids=lambda a: a["url"])
def test_article_json_ld(sample_site: Site, article: dict) -> None:
    nodes = graph(soup(sample_site, article["url"]))
    by_id = {n["@id"]: n for n in nodes}
    (news,) = [n for n in nodes if n["@type"] == "NewsArticle"]
    assert news["headline"] == article["title"]
    assert _dt(news["datePublished"]) == article["date"]
    assert news["inLanguage"] == article["lang"]
    assert by_id[news["publisher"]["@id"]]["name"] == "Dossier"
    authors = [by_id[a["@id"]]["name"] for a in news["author"]]
    registry = entities()
    assert authors == [registry[a]["name"][article["lang"]] for a in article["authors"]]
    about = [by_id[a["@id"]]["name"] for a in news.get("about", [])]
    assert about == [registry[i]["name"][article["lang"]] for i in article["about"]]
    mentioned = {by_id[m["@id"]]["url"] for m in news.get("mentions", [])}
    referenced = [i for f in REFERENCE_FIELDS for i in article.get(f, [])]
    assert mentioned == {
        "https://dossier.example" + entity_url(registry[i], article["lang"])
        for i in referenced
        if i not in article["about"]
    }
    # Every @id a node points to is defined in the same graph.
    for node in nodes:
        for ref in _references(node):
            assert ref in by_id, f"{article['url']}: {node['@id']} refers to missing {ref}"


def _references(value):
    if isinstance(value, dict):
        if set(value) == {"@id"}:
            yield value["@id"]
        else:
            for inner in value.values():
                yield from _references(inner)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def test_entity_iris_are_the_same_in_both_languages(sample_site: Site) -> None:
    seen: dict[str, set[str]] = {}
    for article in published():
        for node in graph(soup(sample_site, article["url"])):
            if "/id/" in node["@id"]:
                seen.setdefault(node["@id"], set()).add(node["@type"])
    assert seen
    for iri, types in seen.items():
        assert len(types) == 1, f"{iri} is typed {types}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_entity_has_a_page_listing_its_articles_newest_first(
    sample_site: Site, lang: str
) -> None:
    registry = entities()
    for entity in registry.values():
        page = soup(sample_site, entity_url(entity, lang))
        assert page.h1.get_text(strip=True) == entity["name"][lang]
        expected = [
            a["url"]
            for a in sorted(published(), key=lambda a: a["date"], reverse=True)
            if a["lang"] == lang
            and (
                entity["id"] in a["authors"]
                or any(entity["id"] in a.get(f, []) for f in REFERENCE_FIELDS)
            )
        ]
        section = page.find(id="articles-title").parent
        listed = [a["href"] for a in section.select(".article-list h3 a")]
        assert listed == expected, entity["id"]


@pytest.mark.parametrize("lang", LANGS)
def test_kind_indexes_list_every_entity(sample_site: Site, lang: str) -> None:
    registry = entities()
    for kind, paths in KIND_PATHS.items():
        page = soup(sample_site, f"/{lang}/{paths[lang]}/")
        listed = {a["href"] for a in page.select(".entity-index a")}
        assert listed == {entity_url(e, lang) for e in registry.values() if e["kind"] == kind}


def test_drafts_are_never_published(sample_site: Site) -> None:
    drafts = [a for a in articles() if a.get("status") == "draft"]
    assert drafts
    for draft in drafts:
        assert not sample_site.page(draft["url"]).exists()
    for path in sample_site.output.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for draft in drafts:
            assert draft["title"] not in text, f"{path} shows draft {draft['slug']}"


def test_translations_link_each_other_with_hreflang(sample_site: Site) -> None:
    by_slug: dict[str, dict[str, dict]] = {}
    for article in published():
        by_slug.setdefault(article["slug"], {})[article["lang"]] = article
    for versions in by_slug.values():
        for article in versions.values():
            page = soup(sample_site, article["url"])
            alternates = {
                link["hreflang"]: urlsplit(link["href"]).path
                for link in page.find_all("link", rel="alternate")
            }
            expected = {other: a["url"] for other, a in versions.items()}
            if "de" in versions:
                expected["x-default"] = versions["de"]["url"]
            assert alternates == expected
            canonical = page.find("link", rel="canonical")["href"]
            assert canonical == "https://dossier.example" + article["url"]


def test_every_internal_link_resolves(sample_site: Site) -> None:
    pages = sorted(sample_site.output.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in page.find_all(["a", "link", "script", "img"]):
            target = tag.get("href") or tag.get("src")
            if not target or urlsplit(target).scheme or target.startswith("#"):
                continue
            resolved = sample_site.page(urlsplit(target).path)
            assert resolved.is_file(), f"{path.relative_to(sample_site.output)} links to {target}"
