"""The project's own sample content, built end to end and checked page by page.

Expectations are computed here from the Markdown front matter and the registry YAML (read with
plain PyYAML), never from the plugin's own data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.dates import format_date
from bs4 import BeautifulSoup
from dossier.lint.jsonld_check import check_site

from ..conftest import Site, catalogue
from ..support.pages import broken_links, graph, soup
from ..support.sample import (
    KIND_PATHS,
    LANGS,
    LOCALES,
    REFERENCE_FIELDS,
    SITE,
    _dt,
    articles,
    entities,
    entity_url,
    published,
)


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
    # Sources, each with its date as the page's language writes it; a date stays a date.
    items = page.select("section.sources li")
    assert [li.a["href"] for li in items] == [s["url"] for s in article.get("sources", [])]
    for li, source in zip(items, article.get("sources", []), strict=True):
        time = li.find("time")
        if "date" not in source:
            assert time is None
            continue
        assert time["datetime"] == str(source["date"])
        assert time.get_text() == format_date(
            source["date"], "long", locale=LOCALES[article["lang"]]
        )


def test_the_facts_box_gives_the_first_sentence_of_each_description(sample_site: Site) -> None:
    """One line per entity: the description up to where its first sentence ends (a mark, then a
    space and a capital), never after a lone letter or a short number such as the German
    ordinal in "47. Präsident"; the topic page keeps the whole description."""
    registry, shortened = entities(), 0
    for article in published():
        lang = article["lang"]
        page = soup(sample_site, article["url"])
        for dd in page.select("aside.facts dd"):
            entity = next(e for e in registry.values() if entity_url(e, lang) == dd.a["href"])
            full = entity.get("description", {}).get(lang, "")
            shown = dd.small.get_text() if dd.small else ""
            assert full.startswith(shown), (article["url"], entity["id"])
            if shown == full:
                continue
            shortened += 1
            rest = full[len(shown) :]
            assert re.fullmatch(r"\s+[\"'‘“„«(]*[A-ZÄÖÜ].*", rest, re.DOTALL), (entity["id"], shown)
            assert re.search(r"[.!?][\"'’”“»)]*$", shown), (entity["id"], shown)
            assert not re.search(r"(^|\s)(\w|\d{1,3})\.$", shown), (entity["id"], shown)
            topic = soup(sample_site, entity_url(entity, lang))
            assert topic.select_one("header .summary").get_text() == full
    assert shortened > 10


def main_article(nodes: list[dict], url: str) -> dict:
    (news,) = [n for n in nodes if n["@id"] == f"{SITE}{url}#article"]
    return news


@pytest.mark.parametrize("article", published(), ids=lambda a: a["url"])
def test_article_json_ld(sample_site: Site, article: dict) -> None:
    nodes = graph(soup(sample_site, article["url"]))
    by_id = {n["@id"]: n for n in nodes if "@id" in n}
    news = main_article(nodes, article["url"])
    assert news["@type"] == "NewsArticle"
    assert news["headline"] == article["title"]
    assert news["description"] == article["summary"]
    assert _dt(news["datePublished"]) == article["date"]
    assert _dt(news["dateModified"]) == _dt(article.get("modified", article["date"]))
    assert news["inLanguage"] == article["lang"]
    assert news["isAccessibleForFree"] is True
    assert news["mainEntityOfPage"] == {"@id": SITE + article["url"]}
    assert by_id[news["publisher"]["@id"]]["name"] == "Dossier"
    registry = entities()
    authors = [by_id[a["@id"]] for a in news["author"]]
    assert [a["name"] for a in authors] == [
        registry[a]["name"][article["lang"]] for a in article["authors"]
    ]
    assert [a["url"] for a in authors] == [
        SITE + entity_url(registry[a], article["lang"]) for a in article["authors"]
    ]
    about = [by_id[a["@id"]]["name"] for a in news.get("about", [])]
    assert about == [registry[i]["name"][article["lang"]] for i in article["about"]]
    mentioned = {by_id[m["@id"]]["mainEntityOfPage"] for m in news.get("mentions", [])}
    referenced = [i for f in REFERENCE_FIELDS for i in article.get(f, [])]
    assert mentioned == {
        SITE + entity_url(registry[i], article["lang"])
        for i in referenced
        if i not in article["about"]
    }
    places = [by_id[p["@id"]]["name"] for p in news.get("contentLocation", [])]
    assert places == [registry[i]["name"][article["lang"]] for i in article.get("locations", [])]
    assert news.get("keywords", []) == [
        registry[i]["name"][article["lang"]] for i in article.get("topics", [])
    ]
    citations = [(c["url"], c["name"], c["publisher"]["name"]) for c in news.get("citation", [])]
    assert citations == [(s["url"], s["title"], s["publisher"]) for s in article["sources"]]
    # Every image is absolute and large enough for Google's article guidance.
    images = [by_id[i["@id"]] for i in news["image"]]
    assert images
    for image in images:
        assert image["url"].startswith(SITE + "/"), image
        assert image["width"] >= 1200
        assert image["width"] * image["height"] >= 800_000
    # The word count is the body's, give or take how hyphens and dashes are counted.
    body = soup(sample_site, article["url"]).select_one(".body").get_text(" ")
    assert abs(news["wordCount"] - len(body.split())) <= 0.03 * len(body.split())
    # Every @id a node points to is defined in the same graph.
    for node in nodes:
        for ref in _references(node):
            assert ref in by_id, f"{article['url']}: {node['@id']} refers to missing {ref}"


@pytest.mark.parametrize("article", published(), ids=lambda a: a["url"])
def test_language_versions_link_original_and_translations(sample_site: Site, article: dict) -> None:
    versions = sorted(
        (a for a in published() if a["slug"] == article["slug"]),
        key=lambda a: (a["date"], LANGS.index(a["lang"])),
    )
    news = main_article(graph(soup(sample_site, article["url"])), article["url"])
    original, translations = versions[0], versions[1:]
    if article is original or article["url"] == original["url"]:
        assert "translationOfWork" not in news
        expected = [{"@id": f"{SITE}{a['url']}#article"} for a in translations]
        assert news.get("workTranslation", []) == expected
    else:
        assert news["translationOfWork"] == {"@id": f"{SITE}{original['url']}#article"}
        assert "workTranslation" not in news


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
                seen.setdefault(node["@id"], set()).add(json.dumps(node["@type"]))
    assert seen
    for iri, types in seen.items():
        assert len(types) == 1, f"{iri} is typed {types}"


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
                for link in page.find_all("link", rel="alternate", hreflang=True)
            }
            expected = {other: a["url"] for other, a in versions.items()}
            # The default language's version, else the first there is in the site's order.
            fallback = next(versions[lang] for lang in LANGS if lang in versions)
            expected["x-default"] = fallback["url"]
            assert alternates == expected
            canonical = page.find("link", rel="canonical")["href"]
            assert canonical == "https://dossier.example" + article["url"]


def test_every_internal_link_resolves(sample_site: Site) -> None:
    pages = sorted(sample_site.output.rglob("*.html"))
    assert len(pages) > 100
    assert broken_links(sample_site) == []


def _served(site: Site, url: str) -> Path:
    """The output file an absolute URL on the canonical host is served from."""
    assert url.startswith(SITE + "/"), url
    return site.page(urlsplit(url).path)


def _strings(value):
    if isinstance(value, dict):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def test_every_page_has_social_meta_and_json_ld_whose_site_urls_resolve(
    sample_site: Site,
) -> None:
    for path in sorted(sample_site.output.rglob("*.html")):
        where = path.relative_to(sample_site.output).as_posix()
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        meta = {
            m.get("property") or m.get("name"): m["content"]
            for m in page.find_all("meta", content=True)
        }
        if where == "404.html":  # served for any missing address: no address of its own
            assert page.find("link", rel="canonical") is None
            assert meta["robots"] == "noindex"
            continue
        canonical = page.find("link", rel="canonical")["href"]
        assert _served(sample_site, canonical) == path, where
        # Every page names one x-default, even one that exists in a single language.
        (x_default,) = page.find_all("link", rel="alternate", hreflang="x-default")
        assert _served(sample_site, x_default["href"]).is_file(), where
        assert meta["og:url"] == canonical, where
        assert meta["description"], where
        assert meta["og:title"], where
        assert meta["og:description"] == meta["description"], where
        assert meta["twitter:card"] == "summary_large_image", where
        assert meta["og:locale"] == {"de": "de_DE", "en": "en_US"}[page.html["lang"]], where
        for key in ("og:image", "twitter:image"):
            assert _served(sample_site, meta[key]).is_file(), (where, key)
        (script,) = page.find_all("script", type="application/ld+json")
        data = json.loads(script.string)
        assert data["@context"] == "https://schema.org"
        # Every address on our own host that the graph names is a real page or file, except
        # entity IRIs (names, not pages) and fragment ids of nodes.
        for url in _strings(data["@graph"]):
            if url.startswith(SITE + "/") and "#" not in url and "/id/" not in url:
                assert _served(sample_site, url).is_file(), f"{where}: {url}"


def test_the_whole_site_passes_the_schema_org_check(sample_site: Site, schemaorg: Path) -> None:
    """Types, domains, ranges, @id references and consistency, Google's article guidance and the
    SHACL shapes, on every page, offline against the schema.org 30.0 vocabulary."""
    report = check_site(sample_site.output, schemaorg)
    assert [d.format() for d in report.diagnostics] == []
    assert report.pages == len(list(sample_site.output.rglob("*.html")))
    assert report.nodes > 20 * report.pages


def test_the_404_page_leads_home_in_every_language(sample_site: Site) -> None:
    page = BeautifulSoup(
        (sample_site.output / "404.html").read_text(encoding="utf-8"), "html.parser"
    )
    sections = page.select("main section.not-found")
    assert [s["lang"] for s in sections] == list(LANGS)
    for section in sections:
        lang = section["lang"]
        assert [a["href"] for a in section.select("a")] == [f"/{lang}/", f"/{lang}/dossiers/"]
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"


# --- what the theme promises -------------------------------------------------------------------


def test_the_theme_is_one_small_stylesheet(sample_site: Site) -> None:
    """Under 20 KB uncompressed, and the only stylesheet outside the search pages."""
    css = sample_site.output / "theme" / "css" / "site.css"
    assert css.stat().st_size < 20_000
    search = {sample_site.page(url) for url in ("/de/suche/", "/en/search/")}
    for path in sorted(set(sample_site.output.rglob("*.html")) - search):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        sheets = [link["href"] for link in page.find_all("link", rel="stylesheet")]
        assert sheets == ["/theme/css/site.css"], path


FOCUSABLE = (
    "a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]"
)


def test_the_skip_link_comes_first_and_leads_to_the_main_content(sample_site: Site) -> None:
    for path in sorted(sample_site.output.rglob("*.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(sample_site.output)
        focusable = [tag for tag in page.body.select(FOCUSABLE) if tag.get("tabindex") != "-1"]
        first = focusable[0]
        if first.find_parent("main") is not None:  # the language chooser: no header to skip
            assert page.find("header") is None, where
            continue
        assert first["class"] == ["skip"], where
        assert first.get_text() == catalogue(page.html["lang"])["skip_to_content"], where
        (target,) = page.select(first["href"])
        assert target.name == "main", where


def newest_first(found: list[dict]) -> list[dict]:
    return sorted(found, key=lambda a: (-a["date"].timestamp(), a["slug"]))


def naming(entity_id: str, lang: str) -> list[dict]:
    """The published articles in one language that reference an entity, newest first."""
    return newest_first(
        [
            a
            for a in published()
            if a["lang"] == lang and any(entity_id in a.get(f, []) for f in REFERENCE_FIELDS)
        ]
    )


@pytest.mark.parametrize("article", published(), ids=lambda a: a["url"])
def test_after_an_article_more_on_its_subjects_then_its_neighbours(
    sample_site: Site, article: dict
) -> None:
    lang, registry = article["lang"], entities()
    page = soup(sample_site, article["url"])
    # For each main subject, its latest three other articles in this language.
    expected = []
    for entity_id in article.get("about", []):
        others = [a["url"] for a in naming(entity_id, lang) if a["url"] != article["url"]][:3]
        if others:
            expected.append((entity_url(registry[entity_id], lang), others))
    section = page.select_one("section.more-on")
    shown = [
        (h3.a["href"], [a["href"] for a in h3.find_next_sibling("ul").select("li > a")])
        for h3 in (section.select("h3") if section else [])
    ]
    assert shown == expected
    # The next newer and next older article in this language.
    ordered = [a["url"] for a in newest_first([a for a in published() if a["lang"] == lang])]
    at = ordered.index(article["url"])
    neighbours = {
        "newer": ordered[at - 1] if at > 0 else None,
        "older": ordered[at + 1] if at + 1 < len(ordered) else None,
    }
    for side, url in neighbours.items():
        link = page.select_one(f"nav.prev-next li.{side} a")
        assert (link["href"] if link else None) == url, side
        if link:
            assert link.get_text() == next(a["title"] for a in published() if a["url"] == url)


@pytest.mark.parametrize("lang", LANGS)
def test_the_home_page_shows_the_most_active_dossiers(sample_site: Site, lang: str) -> None:
    """The eight entities (authors aside) with the most articles in the language; ties go to
    the most recent story, then the id."""
    ranked = sorted(
        (
            (len(here), here[0]["date"], entity)
            for entity in entities().values()
            if entity["kind"] != "authors" and (here := naming(entity["id"], lang))
        ),
        key=lambda row: (-row[0], -row[1].timestamp(), row[2]["id"]),
    )[:8]
    page = soup(sample_site, f"/{lang}/")
    shown = [
        (li.a["href"], int(re.search(r"\d+", li.select_one(".count").get_text())[0]))
        for li in page.select("ul.active li")
    ]
    assert shown == [(entity_url(entity, lang), n) for n, _, entity in ranked]
    assert len(shown) == 8


def test_every_page_but_the_homes_and_chooser_has_a_breadcrumb_of_two_or_more(
    sample_site: Site,
) -> None:
    """Google shows breadcrumbs of two crumbs or more; a home page's trail would be itself."""
    without = {"index.html", "de/index.html", "en/index.html", "404.html"}
    for path in sorted(sample_site.output.rglob("*.html")):
        where = path.relative_to(sample_site.output).as_posix()
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        trails = [n for n in graph(page) if n["@type"] == "BreadcrumbList"]
        if where in without:
            assert trails == [], where
            continue
        (trail,) = trails
        assert len(trail["itemListElement"]) >= 2, where
        assert urlsplit(trail["itemListElement"][0]["item"]["@id"]).path == f"/{page.html['lang']}/"
