"""Search, the pieces on plain data (tests/support/model.py): the search pages' addresses, graph and
view, and how the published articles are packed into index shards and ordered for a page's
language. The index a build writes is in tests/site/test_search.py.
"""

from __future__ import annotations

from dossier.enrich import jsonld, search
from dossier.enrich import pages as enrich
from dossier.enrich.context import BuildContext
from dossier.enrich.urls import Urls

from ..support.facets import FACETS
from ..support.model import article as piece_article
from ..support.model import articles as piece_articles
from ..support.model import context, registry
from ..support.model import settings as piece_settings
from ..support.model import site as piece_site

# --- the search pages --------------------------------------------------------------------------


def test_search_urls_use_each_languages_segment() -> None:
    urls = Urls(piece_settings())
    assert (urls.search("de"), urls.search("en")) == ("de/suche/", "en/search/")
    custom = Urls(piece_settings(DOSSIER_SEARCH_URL="{search}-{lang}/"))
    assert custom.search("de") == "suche-de/"
    assert urls.search_bundle("pagefind-component-ui.js") == "pagefind/pagefind-component-ui.js"


def test_the_search_graph_is_a_search_results_page_below_home() -> None:
    ctx = context(piece_site(registry(), piece_articles()))
    nodes = {n["@id"]: n for n in jsonld.search_graph(ctx, "de")["@graph"]}
    s = piece_settings().site_url
    assert nodes[f"{s}/de/suche/"] == {
        "@type": "SearchResultsPage",
        "@id": f"{s}/de/suche/",
        "url": f"{s}/de/suche/",
        "name": "Suche",
        "inLanguage": "de",
        "isPartOf": {"@id": f"{s}/#website"},
        "breadcrumb": {"@id": f"{s}/de/suche/#breadcrumb"},
    }
    crumbs = nodes[f"{s}/de/suche/#breadcrumb"]["itemListElement"]
    assert [c["item"]["@id"] for c in crumbs] == [f"{s}/de/", f"{s}/de/suche/"]
    assert "potentialAction" not in nodes[f"{s}/#website"]


def test_the_search_view_links_the_bundle_below_siteurl() -> None:
    model = piece_site(registry(), piece_articles())
    urls = Urls(piece_settings(SITEURL="https://static.example/news"))
    ctx = BuildContext(model, urls, context(model).publisher, context(model).default_images)
    shards = search.shards(model, urls, piece_settings().search_shard_pages)
    bundles = [
        {"href": urls.href(f"{s.folder}/"), "lang": s.lang}
        for s in search.search_order(shards, "en")
    ]
    view = enrich.search_view("en", ctx, "de", "Search every article", bundles)
    assert view["ui"] == {
        "script": "https://static.example/news/pagefind/pagefind-component-ui.js",
        "stylesheet": "https://static.example/news/pagefind/pagefind-component-ui.css",
        "bundles": bundles,
        "base_url": "https://static.example/news/",
    }
    assert [b["lang"] for b in bundles] == ["en", "de"]
    assert all(b["href"].startswith("https://static.example/news/pagefind/") for b in bundles)
    assert view["canonical"] == "https://news.example/en/search/"
    assert view["language_filter"] == "language"
    assert [f["key"] for f in view["filters"]] == list(FACETS.values())
    assert view["description"] == "Search every article"


# --- shards ------------------------------------------------------------------------------------


def dated(counts: dict[int, int], lang: str = "de") -> list:
    """Published articles: ``counts[year]`` of them in each year."""
    return [
        piece_article(f"a{year}-{n}", lang, f"{year}-03-0{1 + n % 9}T10:00:00+01:00")
        for year, count in counts.items()
        for n in range(count)
    ]


def test_shards_pack_whole_years_up_to_the_limit() -> None:
    model = piece_site(registry(), dated({2011: 3, 2012: 2, 2013: 4, 2014: 1}))
    urls = Urls(piece_settings())
    planned = search.shards(model, urls, most=5)
    assert [(s.name, len(s.pages)) for s in planned] == [("de-2011-2012", 5), ("de-2013-2014", 5)]
    assert planned[0].pages == tuple(sorted(planned[0].pages))
    assert planned[0].folder == "pagefind/de-2011-2012"
    # A year larger than the limit is a shard of its own, never split.
    big = search.shards(piece_site(registry(), dated({2020: 7, 2021: 1})), urls, most=5)
    assert [(s.name, len(s.pages)) for s in big] == [("de-2020", 7), ("de-2021", 1)]
    # Every published article in exactly one shard.
    pages = [page for s in planned for page in s.pages]
    assert sorted(pages) == sorted(f"{urls.article(a)}index.html" for a in model.published())


def test_the_search_order_opens_the_newest_shard_of_the_page_language() -> None:
    articles = [*dated({2011: 2, 2012: 2}), *dated({2012: 1}, "en")]
    model = piece_site(registry(), articles)
    planned = search.shards(model, Urls(piece_settings()), most=2)
    assert [s.name for s in planned] == ["de-2011", "de-2012", "en-2012"]
    assert [s.name for s in search.search_order(planned, "de")] == [
        "de-2012",
        "de-2011",
        "en-2012",
    ]
    assert [s.name for s in search.search_order(planned, "en")] == [
        "en-2012",
        "de-2011",
        "de-2012",
    ]
