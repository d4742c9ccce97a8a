"""Search: the Pagefind index every build writes, the pages that feed it and the pages that show
it.

Expectations come from the Markdown front matter and the registry YAML (tests/support/sample.py,
plain PyYAML), from the theme's catalogues, and from Pagefind's own files: its entry file (JSON) and
its fragments (gzip, then JSON), one fragment per indexed page. No browser: the browser test types a
query and applies a facet. The pieces on plain data are in tests/core/test_search.py, the indexer
alone in tests/core/test_search_index.py."""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from dossier.publish import search_index

from ..conftest import REPO, Site
from ..support.facets import FACETS, LANGUAGE_FACET
from ..support.pagefind import bundles, entry, facets, failing_indexer, fragments
from ..support.pages import graph, soup
from ..support.sample import LANGS, SITE, articles, entities, entity_url, published, strings

SEARCH_URLS = {"de": "/de/suche/", "en": "/en/search/"}
HUB_URLS = {"de": "/de/dossiers/", "en": "/en/dossiers/"}
UI_SCRIPT = "/pagefind/pagefind-component-ui.js"
UI_STYLESHEET = "/pagefind/pagefind-component-ui.css"


def kind_words() -> dict:
    path = REPO / "plugins" / "dossier" / "data" / "kinds.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def facet_values(article: dict) -> dict[str, list[str]]:
    """The names a reader can filter this article by, in its language, as the editor listed them,
    and its language, by the name it has in itself."""
    registry = entities()
    lang = article["lang"]
    return {
        FACETS[field]: [registry[i]["name"][lang] for i in article[field]]
        for field in FACETS
        if article.get(field)
    } | {LANGUAGE_FACET: [strings()["language_name"][lang]]}


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# --- the index ---------------------------------------------------------------------------------


def test_the_build_writes_one_index_shard_per_language(sample_site: Site) -> None:
    """The sample site is small: one shard per language, named by its years."""
    written = {bundle.name: entry(bundle) for bundle in bundles(sample_site.output)}
    expected = {}
    for lang in LANGS:
        years = sorted({a["date"].year for a in published() if a["lang"] == lang})
        name = f"{lang}-{years[0]}" if years[0] == years[-1] else f"{lang}-{years[0]}-{years[-1]}"
        expected[name] = lang
    assert sorted(written) == sorted(expected)
    for name, lang in expected.items():
        bundle = sample_site.output / "pagefind" / name
        # Written by the binary the requirements pin, which the UI must match.
        assert written[name]["version"] == version("pagefind_bin")
        (index,) = written[name]["languages"].values()
        assert list(written[name]["languages"]) == [lang]
        assert index["page_count"] == len([a for a in published() if a["lang"] == lang])
        assert (bundle / f"pagefind.{index['hash']}.pf_meta").is_file()
        assert (bundle / f"wasm.{index['wasm']}.pagefind").is_file()
    # The UI, the same in every bundle, once where the search pages load it.
    for name in ("pagefind-component-ui.js", "pagefind-component-ui.css"):
        assert (sample_site.output / "pagefind" / name).is_file()


def test_the_index_holds_the_published_articles_and_nothing_else(sample_site: Site) -> None:
    indexed = fragments(sample_site.output)
    assert set(indexed) == {a["url"] for a in published()}
    drafts = [a for a in articles() if a.get("status") == "draft"]
    assert drafts
    for draft in drafts:
        assert draft["title"] not in json.dumps(indexed, ensure_ascii=False), draft["slug"]


@pytest.mark.parametrize("article", published(), ids=lambda a: a["url"])
def test_an_indexed_article_has_its_facets_date_and_summary(
    sample_site: Site, article: dict
) -> None:
    fragment = fragments(sample_site.output)[article["url"]]
    # In the index of its own language, so its page's search page finds it.
    assert fragment["file"].startswith(f"{article['lang']}_")
    assert fragment["filters"] == facet_values(article)
    page = soup(sample_site, article["url"])
    shown_date = page.select_one('time[data-pagefind-meta="date"]')
    assert fragment["meta"] == {
        "title": article["title"],
        "summary": article["summary"],
        "date": shown_date.get_text(),
    }
    # Only the article is searchable text: not the header, the facts box or the footer.
    text = strings()
    assert text["skip_to_content"][article["lang"]] not in fragment["content"]
    assert text["site_tagline"][article["lang"]] not in fragment["content"]
    assert text["facts"][article["lang"]] not in fragment["content"]


@pytest.mark.parametrize("lang", LANGS)
def test_each_facet_value_finds_exactly_the_articles_that_name_it(
    sample_site: Site, lang: str
) -> None:
    expected: dict[str, dict[str, list[str]]] = {}
    for article in published():
        if article["lang"] == lang:
            for key, names in facet_values(article).items():
                for name in names:
                    expected.setdefault(key, {}).setdefault(name, []).append(article["url"])
    assert facets(sample_site.output)[lang] == {
        key: {name: sorted(urls) for name, urls in values.items()}
        for key, values in expected.items()
    }


# --- the pages that feed it --------------------------------------------------------------------


@pytest.mark.parametrize("article", published(), ids=lambda a: a["url"])
def test_an_article_page_marks_its_body_facets_and_result_meta(
    sample_site: Site, article: dict
) -> None:
    page = soup(sample_site, article["url"])
    (body,) = page.select("[data-pagefind-body]")
    assert body.name == "article"
    assert body.h1.get_text(strip=True) == article["title"]
    # The article's language as a facet value: one value per language on every search page.
    language = strings()["language_name"][article["lang"]]
    assert body["data-pagefind-filter"] == f"{LANGUAGE_FACET}:{language}"
    registry = entities()
    for field, key in FACETS.items():
        links = page.select(f'a[data-pagefind-filter="{key}"]')
        assert [a.get_text() for a in links] == facet_values(article).get(key, [])
        # Each facet value is the facts box's link to the entity's topic page.
        assert [a["href"] for a in links] == [
            entity_url(registry[i], article["lang"]) for i in article.get(field, [])
        ]
        assert all(a.find_parent("aside", class_="facts") for a in links)
    (summary,) = page.select('[data-pagefind-meta="summary"]')
    assert summary.get_text() == article["summary"]
    (published_at,) = page.select('[data-pagefind-meta="date"]')
    assert published_at.name == "time"
    assert published_at["datetime"] == article["date"].isoformat()


def test_no_other_page_is_marked_for_search_or_runs_a_script(sample_site: Site) -> None:
    article_pages = {sample_site.page(a["url"]) for a in published()}
    search_pages = {sample_site.page(url) for url in SEARCH_URLS.values()}
    others = sorted(set(sample_site.output.rglob("*.html")) - article_pages)
    assert len(others) > 100
    for path in others:
        where = path.relative_to(sample_site.output).as_posix()
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for attribute in ("data-pagefind-body", "data-pagefind-filter", "data-pagefind-meta"):
            assert not page.find_all(attrs={attribute: True}), f"{where}: {attribute}"
        if path not in search_pages:
            scripts = [s.get("type") for s in page.find_all("script")]
            assert set(scripts) <= {"application/ld+json"}, where


def test_every_page_links_the_search_page_of_its_language(sample_site: Site) -> None:
    for path in sorted(sample_site.output.rglob("*.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if page.find("header", class_="site-header") is None:
            continue  # the language chooser at / has no header
        (link,) = page.select('header a[rel="search"]')
        lang = page.html["lang"]
        assert link["href"] == SEARCH_URLS[lang], path
        assert link.get_text() == strings()["search"][lang]
        assert sample_site.page(link["href"]).is_file()


# --- the pages that show it --------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_search_page_of_a_language(sample_site: Site, lang: str) -> None:
    url = SEARCH_URLS[lang]
    page = soup(sample_site, url)
    text = strings()
    assert page.html["lang"] == lang  # Pagefind loads this language's index, in this language
    assert page.h1.get_text(strip=True) == text["search"][lang]
    # The UI comes from the bundle the build wrote, plus the theme's script that configures it
    # and names the filter buttons for screen readers; both modules, nothing runs inline.
    script, theirs = page.select("script[src]")
    assert (script["src"], script["type"]) == (UI_SCRIPT, "module")
    assert (theirs["src"], theirs["type"]) == ("/theme/js/search.js", "module")
    assert (sample_site.output / "theme/js/search.js").is_file()
    assert not script.string
    assert not theirs.string
    (stylesheet,) = page.select(f'link[rel="stylesheet"][href="{UI_STYLESHEET}"]')
    for asset in (script["src"], stylesheet["href"]):
        assert sample_site.page(asset).is_file(), asset
    # Without JavaScript: the reason, in the page's language, and the way to the topics.
    (noscript,) = page.find_all("noscript")
    message = BeautifulSoup(noscript.decode_contents(), "html.parser")
    assert text["search_noscript"][lang] in message.get_text()
    (hub,) = message.find_all("a")
    assert (hub["href"], hub.get_text()) == (HUB_URLS[lang], text["search_browse"][lang])
    # The components wait in a template for search.js, which opens the newest shard of the
    # page's language and merges in the others, and every other language's, with result links
    # below the site's root.
    (ui,) = page.select("div.search > template#search-ui")
    assert (ui["data-lang"], ui["data-base-url"]) == (lang, "/")
    shards = json.loads(ui["data-bundles"])
    written = {f"/pagefind/{b.name}/": entry(b) for b in bundles(sample_site.output)}
    assert sorted(s["href"] for s in shards) == sorted(written)
    for shard in shards:
        assert list(written[shard["href"]]["languages"]) == [shard["lang"]]
    langs = [s["lang"] for s in shards]
    assert langs == sorted(langs, key=lambda other: other != lang)  # its own language first
    # The facets, labelled in the page's language: first the language, one at a time (an
    # article has one), then the registry kinds.
    words = kind_words()
    language, *kinds = ui.find_all("pagefind-filter-dropdown")
    assert (language["filter"], language["label"]) == (
        LANGUAGE_FACET,
        text["search_language"][lang],
    )
    assert language.has_attr("single-select")
    assert [(f["filter"], f["label"]) for f in kinds] == [
        (key, words[kind]["plural"][lang]) for kind, key in FACETS.items()
    ]
    assert not any(f.has_attr("single-select") for f in kinds)
    assert ui.find("pagefind-results").find("script", type="text/pagefind-template")


@pytest.mark.parametrize("lang", LANGS)
def test_the_search_page_is_a_search_results_page_with_language_versions(
    sample_site: Site, lang: str
) -> None:
    url = SEARCH_URLS[lang]
    page = soup(sample_site, url)
    assert page.find("link", rel="canonical")["href"] == SITE + url
    alternates = {
        link["hreflang"]: urlsplit(link["href"]).path
        for link in page.find_all("link", rel="alternate", hreflang=True)
    }
    assert alternates == {**SEARCH_URLS, "x-default": SEARCH_URLS["de"]}
    nodes = {n["@id"]: n for n in graph(page)}
    assert nodes[SITE + url]["@type"] == "SearchResultsPage"
    assert nodes[SITE + url]["inLanguage"] == lang
    # Pagefind's UI cannot take a query from the address, so the site offers no SearchAction.
    assert "potentialAction" not in nodes[f"{SITE}/#website"]


# --- publishing --------------------------------------------------------------------------------


def test_a_failed_index_leaves_the_published_site_untouched(
    fixture_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert fixture_site.build().exit_code == 0
    before = tree(fixture_site.output)
    # A change that a successful build would publish.
    path = fixture_site.content / "articles/2023/summit.en.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Kim meets Putin", "title: Kim sees Putin"), "utf-8")
    monkeypatch.setattr(search_index, "PAGEFIND", failing_indexer("Error: no space left on device"))

    result = fixture_site.build()

    assert result.exit_code == 1
    assert "Indexing for search failed: Error: no space left on device" in result.output
    assert f"Nothing was published; {fixture_site.output.resolve()} is unchanged." in (
        result.output
    )
    assert tree(fixture_site.output) == before
    leftovers = [p.name for p in fixture_site.root.iterdir() if p.name.startswith(".dossier-build")]
    assert leftovers == []


def test_a_first_build_without_an_indexer_publishes_nothing(
    fixture_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "PAGEFIND", (str(fixture_site.root / "no-such-pagefind"),))
    result = fixture_site.build()
    assert result.exit_code == 1
    assert "Indexing for search failed:" in result.output
    assert not fixture_site.output.exists()


# --- shards ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, "2000", True])
def test_a_shard_size_that_is_no_count_is_refused(fixture_site: Site, value: object) -> None:
    settings = fixture_site.root / "settings.py"
    settings.write_text(
        settings.read_text("utf-8") + f"DOSSIER_SEARCH_SHARD_PAGES = {value!r}\n", "utf-8"
    )
    result = fixture_site.check()
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "settings:1:1: DOSSIER_SEARCH_SHARD_PAGES: must be a whole number from 1 to "
        f"1,000,000, not {value!r}"
    )
