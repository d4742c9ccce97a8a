"""The JSON-LD pieces of ``dossier.enrich.jsonld``, one at a time, on a small plain-data model.

No Pelican and no files. The entities and articles are plain dicts (tests/support/model.py). Tiny
helpers wrap them in the resolve stage's dataclasses and fill each field as its declaration
describes. Expected nodes, URLs and names are written out literally. The only checks that compare
the plugin's output with itself are consistency checks: a summary node agrees with the full node,
and an @id says the same on every page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from dossier.enrich import jsonld
from dossier.enrich.context import BuildContext, Node
from dossier.enrich.pages import social_meta
from dossier.enrich.text import word_count
from dossier.resolve.model import Article

from ..support.model import (
    KIND_PATHS,
    KINDS,
    LANGUAGES,
    S,
    article,
    articles,
    context,
    registry,
    site,
)


@pytest.fixture
def ctx() -> BuildContext:
    return context(site(registry(), articles()))


# --- reading graphs ----------------------------------------------------------------------------


def find(ctx: BuildContext, slug: str, lang: str) -> Article:
    (match,) = [a for a in ctx.site.articles if a.slug == slug and a.lang == lang]
    return match


def nodes(graph: Node) -> dict[str, Node]:
    """The graph's top-level nodes by @id; no @id may appear twice."""
    ids = [node["@id"] for node in graph["@graph"]]
    assert len(ids) == len(set(ids)), ids
    return dict(zip(ids, graph["@graph"], strict=True))


def of_type(graph: Node, node_type: str) -> list[Node]:
    return [n for n in graph["@graph"] if n["@type"] == node_type]


def references(value: Any) -> Iterator[str]:
    """Every `{"@id": …}` reference (a mapping with nothing but an @id) anywhere in a value."""
    if isinstance(value, dict):
        if set(value) == {"@id"}:
            yield value["@id"]
        for item in value.values():
            yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def ref(url: str) -> dict[str, str]:
    return {"@id": url}


def iri(kind: str, entity_id: str) -> str:
    return f"{S}/id/{kind}/{entity_id}"


def article_graph(ctx: BuildContext, slug: str, lang: str, words: int = 250) -> Node:
    return jsonld.article_graph(ctx, find(ctx, slug, lang), words)


def news_article(ctx: BuildContext, slug: str, lang: str) -> Node:
    return nodes(article_graph(ctx, slug, lang))[article_id_of(find(ctx, slug, lang))]


def article_id_of(a: Article) -> str:
    return f"{S}/{a.lang}/{a.date:%Y}/{a.slug}/#article"


# --- entity_node, kind by kind -----------------------------------------------------------------


def entity_node(ctx: BuildContext, entity_id: str, lang: str) -> Node:
    return jsonld.entity_node(ctx, ctx.site.entities[entity_id], lang)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "de",
            {
                "@type": "Person",
                "@id": f"{S}/id/actors/kim-jong-un",
                "name": "Kim Jong Un",
                "url": f"{S}/de/akteure/kim-jong-un/",
                "mainEntityOfPage": f"{S}/de/akteure/kim-jong-un/",
                "description": "Machthaber Nordkoreas seit 2011.",
                "sameAs": [
                    "https://www.wikidata.org/wiki/Q56226",
                    "https://en.wikipedia.org/wiki/Kim_Jong_Un",
                ],
                "alternateName": ["Kim Jong-un", "Kim Dschong Un"],
                "jobTitle": "Oberster Führer Nordkoreas",
                "nationality": {"@id": f"{S}/id/locations/country-north-korea"},
            },
        ),
        (
            "en",
            {
                "@type": "Person",
                "@id": f"{S}/id/actors/kim-jong-un",
                "name": "Kim Jong Un",
                "url": f"{S}/en/actors/kim-jong-un/",
                "mainEntityOfPage": f"{S}/en/actors/kim-jong-un/",
                "description": "Leader of North Korea since 2011.",
                "sameAs": [
                    "https://www.wikidata.org/wiki/Q56226",
                    "https://en.wikipedia.org/wiki/Kim_Jong_Un",
                ],
                "alternateName": ["Kim Jong-un", "Kim Dschong Un"],
                "jobTitle": "Supreme Leader of North Korea",
                "nationality": {"@id": f"{S}/id/locations/country-north-korea"},
            },
        ),
    ],
)
def test_a_person_actor_in_each_language(ctx: BuildContext, lang: str, expected: Node) -> None:
    assert entity_node(ctx, "kim-jong-un", lang) == expected


def test_a_country_actor_is_also_an_organization(ctx: BuildContext) -> None:
    assert entity_node(ctx, "north-korea", "en") == {
        "@type": ["Country", "Organization"],
        "@id": f"{S}/id/actors/north-korea",
        "name": "North Korea",
        "url": f"{S}/en/actors/north-korea/",
        "mainEntityOfPage": f"{S}/en/actors/north-korea/",
        "sameAs": ["https://www.wikidata.org/wiki/Q423"],
        "alternateName": ["DPRK"],
    }


def test_a_country_location_is_only_a_country(ctx: BuildContext) -> None:
    assert entity_node(ctx, "country-north-korea", "de")["@type"] == "Country"


def test_a_government_organization_names_its_parent(ctx: BuildContext) -> None:
    assert entity_node(ctx, "un-security-council", "de") == {
        "@type": "GovernmentOrganization",
        "@id": f"{S}/id/actors/un-security-council",
        "name": "UN-Sicherheitsrat",
        "url": f"{S}/de/akteure/un-security-council/",
        "mainEntityOfPage": f"{S}/de/akteure/un-security-council/",
        "parentOrganization": {"@id": f"{S}/id/actors/united-nations"},
    }


def test_a_location_has_numeric_coordinates_and_the_place_it_lies_in(ctx: BuildContext) -> None:
    node = entity_node(ctx, "sunan", "en")
    assert node == {
        "@type": "AdministrativeArea",
        "@id": f"{S}/id/locations/sunan",
        "name": "Sunan",
        "url": f"{S}/en/locations/sunan/",
        "mainEntityOfPage": f"{S}/en/locations/sunan/",
        "description": "District of Pyongyang.",
        "geo": {"@type": "GeoCoordinates", "latitude": 39.2, "longitude": 125.67},
        "containedInPlace": {"@id": f"{S}/id/locations/pyongyang"},
    }
    assert all(isinstance(node["geo"][key], float) for key in ("latitude", "longitude"))


def test_a_sanction_is_legislation_whose_url_is_the_official_text(ctx: BuildContext) -> None:
    assert entity_node(ctx, "unsc-resolution-2397", "de") == {
        "@type": "Legislation",
        "@id": f"{S}/id/sanctions/unsc-resolution-2397",
        "name": "Resolution 2397 des UN-Sicherheitsrats",
        "url": "https://undocs.org/S/RES/2397(2017)",
        "mainEntityOfPage": f"{S}/de/sanktionen/unsc-resolution-2397/",
        "description": "Senkt die Ölobergrenze.",
        "alternateName": ["UNSCR 2397", "S/RES/2397"],
        "legislationIdentifier": "S/RES/2397 (2017)",
        "legislationDate": "2017-12-22",
        "legislationType": "Resolution des UN-Sicherheitsrats",
        "legislationPassedBy": {"@id": f"{S}/id/actors/un-security-council"},
        "legislationChanges": [
            {"@id": f"{S}/id/sanctions/unsc-resolution-1718"},
            {"@id": f"{S}/id/sanctions/unsc-resolution-1874"},
        ],
    }


def test_a_sanction_without_an_official_text_links_its_topic_page(ctx: BuildContext) -> None:
    node = entity_node(ctx, "unsc-resolution-1874", "en")
    assert node["url"] == node["mainEntityOfPage"] == f"{S}/en/sanctions/unsc-resolution-1874/"
    assert "legislationType" not in node
    # one amended resolution is still a list: legislationChanges comes from a list field
    assert node["legislationChanges"] == [{"@id": f"{S}/id/sanctions/unsc-resolution-1718"}]


def test_an_event_has_its_dates_place_and_attendees(ctx: BuildContext) -> None:
    assert entity_node(ctx, "kim-putin-summit-2023", "en") == {
        "@type": "Event",
        "@id": f"{S}/id/events/kim-putin-summit-2023",
        "name": "Vostochny summit, 2023",
        "url": f"{S}/en/events/kim-putin-summit-2023/",
        "mainEntityOfPage": f"{S}/en/events/kim-putin-summit-2023/",
        "startDate": "2023-09-13",
        "endDate": "2023-09-14",
        "location": {"@id": f"{S}/id/locations/vostochny-cosmodrome"},
        "attendee": [
            {"@id": f"{S}/id/actors/kim-jong-un"},
            {"@id": f"{S}/id/actors/vladimir-putin"},
        ],
    }


def test_an_event_without_an_end_has_no_end_date(ctx: BuildContext) -> None:
    node = entity_node(ctx, "missile-launch-2023-08-30", "de")
    assert node["startDate"] == "2023-08-30T23:38:00+09:00"
    assert "endDate" not in node
    assert node["attendee"] == [{"@id": f"{S}/id/actors/north-korea"}]


def test_a_topic_is_a_term_of_the_sites_vocabulary(ctx: BuildContext) -> None:
    assert entity_node(ctx, "russia-north-korea-relations", "de") == {
        "@type": "DefinedTerm",
        "@id": f"{S}/id/topics/russia-north-korea-relations",
        "name": "Beziehungen zwischen Russland und Nordkorea",
        "url": f"{S}/de/themen/russia-north-korea-relations/",
        "mainEntityOfPage": f"{S}/de/themen/russia-north-korea-relations/",
        "description": "Moskau und Pjöngjang.",
        "inDefinedTermSet": {"@id": f"{S}/#topics"},
    }


def test_an_authors_profile_url_is_a_same_as_not_the_url(ctx: BuildContext) -> None:
    assert entity_node(ctx, "anna-berger", "en") == {
        "@type": "Person",
        "@id": f"{S}/id/authors/anna-berger",
        "name": "Anna Berger",
        "url": f"{S}/en/authors/anna-berger/",
        "mainEntityOfPage": f"{S}/en/authors/anna-berger/",
        "sameAs": ["https://mastodon.example/@anna"],
        "jobTitle": "East Asia correspondent",
    }


def test_an_authors_same_as_is_wikidata_then_same_as_then_profile_each_once(
    ctx: BuildContext,
) -> None:
    node = entity_node(ctx, "dossier-desk", "de")
    assert node["@type"] == "Organization"
    assert node["sameAs"] == [
        "https://www.wikidata.org/wiki/Q1",
        "https://desk.example/",
        "https://social.example/@desk",
    ]


def test_only_an_authors_url_becomes_a_same_as(ctx: BuildContext) -> None:
    """A sanction's `url` is its official text, not another name for the entity."""
    assert "sameAs" not in entity_node(ctx, "unsc-resolution-2397", "en")


@pytest.mark.parametrize("entity_id", [e.id for e in registry()])
def test_an_entity_has_one_id_and_a_topic_page_per_language(
    ctx: BuildContext, entity_id: str
) -> None:
    kind = ctx.site.entities[entity_id].kind
    de, en = entity_node(ctx, entity_id, "de"), entity_node(ctx, entity_id, "en")
    assert de["@id"] == en["@id"] == iri(kind, entity_id)
    for lang, node in (("de", de), ("en", en)):
        assert node["mainEntityOfPage"] == f"{S}/{lang}/{KIND_PATHS[lang][kind]}/{entity_id}/"
        assert node["name"] == ctx.site.entities[entity_id].data["name"][lang]


# --- entity_closure ----------------------------------------------------------------------------


def test_the_closure_follows_links_through_links(ctx: BuildContext) -> None:
    closure = jsonld.entity_closure(["kim-putin-summit-2023"], ctx.site)
    assert [e.id for e in closure] == [
        "amur-oblast",  # the cosmodrome's region
        "country-north-korea",  # Kim's nationality
        "country-russia",  # Putin's nationality and the region's country
        "kim-jong-un",
        "kim-putin-summit-2023",
        "vladimir-putin",
        "vostochny-cosmodrome",
    ]


def test_the_closure_has_each_entity_once_in_id_order(ctx: BuildContext) -> None:
    ids = ["unsc-resolution-2397", "un-security-council", "unsc-resolution-1718", "sunan"]
    closure = jsonld.entity_closure([*ids, "sunan"], ctx.site)
    assert [e.id for e in closure] == [
        "country-north-korea",
        "pyongyang",
        "sunan",
        "un-security-council",
        "united-nations",
        "unsc-resolution-1718",
        "unsc-resolution-1874",
        "unsc-resolution-2397",
    ]


def test_the_vocabulary_comes_with_topics_only(ctx: BuildContext) -> None:
    with_topic = jsonld.entity_nodes(ctx, ["nuclear-program"], "de")
    assert with_topic[-1] == {
        "@type": "DefinedTermSet",
        "@id": f"{S}/#topics",
        "name": "Dossier News: Themen",
    }
    without = jsonld.entity_nodes(ctx, ["sunan"], "de")
    assert [n["@type"] for n in without] == ["Country", "City", "AdministrativeArea"]


# --- the article -------------------------------------------------------------------------------


def test_about_and_mentions_follow_the_editors_marks(ctx: BuildContext) -> None:
    node = news_article(ctx, "kim-putin-vostochny", "de")
    assert node["about"] == [
        ref(iri("events", "kim-putin-summit-2023")),
        ref(iri("actors", "kim-jong-un")),
    ]
    assert node["mentions"] == [
        ref(iri("actors", "vladimir-putin")),
        ref(iri("locations", "vostochny-cosmodrome")),
        ref(iri("topics", "russia-north-korea-relations")),
    ]
    assert node["contentLocation"] == [ref(iri("locations", "vostochny-cosmodrome"))]


def test_an_article_about_nothing_in_particular_only_mentions(ctx: BuildContext) -> None:
    node = news_article(ctx, "shoigu-pyongyang", "de")
    assert node["mentions"] == [ref(iri("actors", "kim-jong-un"))]
    for absent in ("about", "contentLocation", "keywords", "citation"):
        assert absent not in node


@pytest.mark.parametrize(
    ("lang", "keywords"),
    [
        ("de", ["Beziehungen zwischen Russland und Nordkorea"]),
        ("en", ["Russia–North Korea relations"]),
    ],
)
def test_keywords_are_topic_names_in_the_articles_language(
    ctx: BuildContext, lang: str, keywords: list[str]
) -> None:
    assert news_article(ctx, "kim-putin-vostochny", lang)["keywords"] == keywords


def test_sources_become_citations_dated_only_when_the_source_is(ctx: BuildContext) -> None:
    assert news_article(ctx, "kim-putin-vostochny", "en")["citation"] == [
        {
            "@type": "CreativeWork",
            "name": "Kim Jong Un meets Putin",
            "url": "https://kcna.example/2023/0913",
            "publisher": {"@type": "Organization", "name": "KCNA"},
            "datePublished": "2023-09-13",
        },
        {
            "@type": "CreativeWork",
            "name": "Talks with Kim Jong Un",
            "url": "https://kremlin.example/events/72255",
            "publisher": {"@type": "Organization", "name": "Kremlin"},
        },
    ]


def test_the_article_node(ctx: BuildContext) -> None:
    node = jsonld.news_article_node(ctx, find(ctx, "sanctions-regime-explained", "de"), 321, [])
    page = f"{S}/de/2023/sanctions-regime-explained/"
    assert node == {
        "@type": "NewsArticle",
        "@id": page + "#article",
        "url": page,
        "headline": "sanctions-regime-explained (de)",
        "datePublished": "2023-06-01T08:00:00+02:00",
        "inLanguage": "de",
        "description": "Summary of sanctions-regime-explained in de.",
        "dateModified": "2023-06-01T08:00:00+02:00",
        "author": [ref(iri("authors", "dossier-desk"))],
        "publisher": ref(f"{S}/#publisher"),
        "mainEntityOfPage": ref(page),
        "isPartOf": ref(f"{S}/#website"),
        "isAccessibleForFree": True,
        "image": [],
        "wordCount": 321,
        "about": [ref(iri("sanctions", "unsc-resolution-2397"))],
        "mentions": [
            ref(iri("actors", "un-security-council")),
            ref(iri("topics", "nuclear-program")),
        ],
        "keywords": ["Nordkoreas Atomprogramm"],
        # the English version is a draft: nothing to link
    }


def test_dates_keep_the_editors_offset_and_modified_when_given(ctx: BuildContext) -> None:
    node = news_article(ctx, "kim-putin-vostochny", "de")
    assert node["datePublished"] == "2023-09-13T16:00:00+02:00"
    assert node["dateModified"] == "2023-09-14T09:30:00+02:00"
    assert news_article(ctx, "missile-launches-sunan", "en")["datePublished"] == (
        "2023-08-30T21:00:00+00:00"
    )


def test_the_authors_are_referenced_in_byline_order(ctx: BuildContext) -> None:
    assert news_article(ctx, "kim-putin-vostochny", "en")["author"] == [
        ref(iri("authors", "anna-berger")),
        ref(iri("authors", "dossier-desk")),
    ]


# --- translations ------------------------------------------------------------------------------


def article_id(lang: str, slug: str) -> str:
    return f"{S}/{lang}/2023/{slug}/#article"


@pytest.mark.parametrize(
    ("slug", "original", "translation"),
    [
        ("kim-putin-vostochny", "de", "en"),  # published first, and the first language
        ("shoigu-pyongyang", "en", "de"),  # published first, though the second language
        ("missile-launches-sunan", "de", "en"),  # the same moment: the first language
    ],
)
def test_the_first_published_version_is_the_original(
    ctx: BuildContext, slug: str, original: str, translation: str
) -> None:
    original_node = news_article(ctx, slug, original)
    translated_node = news_article(ctx, slug, translation)
    assert original_node["workTranslation"] == [ref(article_id(translation, slug))]
    assert "translationOfWork" not in original_node
    assert translated_node["translationOfWork"] == ref(article_id(original, slug))
    assert "workTranslation" not in translated_node


def test_on_the_same_moment_the_sites_first_language_wins() -> None:
    ctx = context(site(registry(), articles(), languages=("en", "de")))
    assert news_article(ctx, "missile-launches-sunan", "de")["translationOfWork"] == ref(
        article_id("en", "missile-launches-sunan")
    )
    assert news_article(ctx, "missile-launches-sunan", "en")["workTranslation"] == [
        ref(article_id("de", "missile-launches-sunan"))
    ]


def test_a_translation_is_named_by_its_summary_in_the_graph(ctx: BuildContext) -> None:
    graph = article_graph(ctx, "kim-putin-vostochny", "en")
    assert nodes(graph)[article_id("de", "kim-putin-vostochny")] == {
        "@type": "NewsArticle",
        "@id": article_id("de", "kim-putin-vostochny"),
        "url": f"{S}/de/2023/kim-putin-vostochny/",
        "headline": "Kim trifft Putin in Wostotschny",
        "datePublished": "2023-09-13T16:00:00+02:00",
        "inLanguage": "de",
    }


# --- images ------------------------------------------------------------------------------------


def test_an_article_without_an_image_shows_the_defaults(ctx: BuildContext) -> None:
    graph = article_graph(ctx, "kim-putin-vostochny", "en")
    by_id = nodes(graph)
    wide, square = f"{S}/images/default-16x9.png", f"{S}/images/default-1x1.png"
    assert by_id[wide] == {
        "@type": "ImageObject",
        "@id": wide,
        "url": wide,
        "contentUrl": wide,
        "width": 1200,
        "height": 675,
    }
    assert (by_id[square]["width"], by_id[square]["height"]) == (1200, 1200)
    assert by_id[article_id("en", "kim-putin-vostochny")]["image"] == [ref(wide), ref(square)]
    assert by_id[f"{S}/en/2023/kim-putin-vostochny/"]["primaryImageOfPage"] == ref(wide)


def test_an_articles_own_image_carries_caption_and_credit(ctx: BuildContext) -> None:
    graph = article_graph(ctx, "kim-putin-vostochny", "de")
    page = f"{S}/de/2023/kim-putin-vostochny/"
    assert of_type(graph, "ImageObject") == [
        {
            "@type": "ImageObject",
            "@id": page + "#primaryimage",
            "url": f"{S}/images/summit.jpg",
            "contentUrl": f"{S}/images/summit.jpg",
            "width": 1600,
            "height": 900,
            "caption": "Kim und Putin in Wostotschny",
            "creditText": "KCNA via Reuters",
        }
    ]
    by_id = nodes(graph)
    assert by_id[page + "#article"]["image"] == [ref(page + "#primaryimage")]
    assert by_id[page]["primaryImageOfPage"] == ref(page + "#primaryimage")


def test_without_a_caption_the_alt_text_is_the_caption_and_no_credit_is_invented() -> None:
    image = {"src": "https://photos.example/kim.jpg", "alt": "Kim Jong Un winkt"}
    only = article("kim-waves", "de", "2023-05-01T10:00:00+02:00", image=image)
    ctx = context(site(registry(), [only]))
    assert jsonld.article_images(ctx, only) == [
        {
            "@type": "ImageObject",
            "@id": f"{S}/de/2023/kim-waves/#primaryimage",
            "url": "https://photos.example/kim.jpg",  # remote: as written, size unknown
            "contentUrl": "https://photos.example/kim.jpg",
            "caption": "Kim Jong Un winkt",
        }
    ]


def test_the_shared_preview_image_is_the_first_jsonld_image(ctx: BuildContext) -> None:
    a = find(ctx, "kim-putin-vostochny", "en")
    images = jsonld.article_images(ctx, a)
    meta = social_meta(ctx, jsonld.article_page(ctx, a), "…", images[0], "article")
    content = {m["key"]: m["content"] for m in meta}
    assert content["og:image"] == content["twitter:image"] == f"{S}/images/default-16x9.png"
    assert (content["og:image:width"], content["og:image:height"]) == ("1200", "675")
    assert content["og:url"] == f"{S}/en/2023/kim-putin-vostochny/"


# --- the whole article graph -------------------------------------------------------------------

PUBLISHED = [
    ("kim-putin-vostochny", "de"),
    ("kim-putin-vostochny", "en"),
    ("missile-launches-sunan", "en"),
    ("missile-launches-sunan", "de"),
    ("shoigu-pyongyang", "en"),
    ("shoigu-pyongyang", "de"),
    ("sanctions-regime-explained", "de"),
]


@pytest.mark.parametrize(("slug", "lang"), PUBLISHED)
def test_every_reference_in_an_article_graph_resolves_in_it(
    ctx: BuildContext, slug: str, lang: str
) -> None:
    graph = article_graph(ctx, slug, lang)
    refs = set(references(graph))
    assert refs - set(nodes(graph)) == set()
    # the check has something to check: the article's own wiring is among the references
    assert {f"{S}/#website", f"{S}/#publisher", f"{S}/{lang}/"} <= refs


def test_an_article_graph_holds_the_entities_its_entities_link_to(ctx: BuildContext) -> None:
    by_id = nodes(article_graph(ctx, "missile-launches-sunan", "en"))
    for reached in (
        iri("locations", "pyongyang"),  # sunan lies in it
        iri("locations", "country-north-korea"),  # and Pyongyang in it
        iri("authors", "anna-berger"),
    ):
        assert reached in by_id
    assert by_id[f"{S}/#topics"]["name"] == "Dossier News: Topics"


def test_the_article_graph_is_deterministic_whatever_the_input_order(ctx: BuildContext) -> None:
    other = context(site(reversed(registry()), reversed(articles())))
    for slug, lang in PUBLISHED:
        first = jsonld.dumps(article_graph(ctx, slug, lang))
        assert first == jsonld.dumps(article_graph(ctx, slug, lang))
        assert first == jsonld.dumps(article_graph(other, slug, lang))


# --- pages and breadcrumbs ---------------------------------------------------------------------


def crumbs(graph: Node) -> list[tuple[int, str, str]]:
    (trail,) = of_type(graph, "BreadcrumbList")
    return [(i["position"], i["name"], i["item"]["@id"]) for i in trail["itemListElement"]]


BREADCRUMBS: list[tuple[str, Callable[[BuildContext], Node], str, list[tuple[int, str, str]]]] = [
    (
        "article",
        lambda ctx: article_graph(ctx, "kim-putin-vostochny", "de"),
        f"{S}/de/2023/kim-putin-vostochny/",
        [
            (1, "Dossier News", f"{S}/de/"),
            (2, "Kim trifft Putin in Wostotschny", f"{S}/de/2023/kim-putin-vostochny/"),
        ],
    ),
    (
        "topic page",
        lambda ctx: jsonld.entity_graph(ctx, ctx.site.entities["unsc-resolution-2397"], "en", []),
        f"{S}/en/sanctions/unsc-resolution-2397/",
        [
            (1, "Dossier News", f"{S}/en/"),
            (2, "Sanctions", f"{S}/en/sanctions/"),
            (3, "UN Security Council Resolution 2397", f"{S}/en/sanctions/unsc-resolution-2397/"),
        ],
    ),
    (
        "kind index",
        lambda ctx: jsonld.kind_graph(ctx, "locations", "de", ctx.site.of_kind("locations")),
        f"{S}/de/orte/",
        [(1, "Dossier News", f"{S}/de/"), (2, "Orte", f"{S}/de/orte/")],
    ),
]


@pytest.mark.parametrize(
    ("build", "page", "expected"),
    [case[1:] for case in BREADCRUMBS],
    ids=[case[0] for case in BREADCRUMBS],
)
def test_the_breadcrumb_trail(
    ctx: BuildContext, build: Callable[[BuildContext], Node], page: str, expected: list
) -> None:
    graph = build(ctx)
    by_id = nodes(graph)
    assert crumbs(graph) == expected
    assert by_id[page]["breadcrumb"] == ref(page + "#breadcrumb")
    assert page + "#breadcrumb" in by_id
    for _, name, url in expected:  # every crumb is a page node of the graph, named alike
        assert by_id[url]["name"] == name
        assert by_id[url]["isPartOf"] == ref(f"{S}/#website")


def test_a_home_page_has_no_breadcrumb(ctx: BuildContext) -> None:
    graph = jsonld.home_graph(ctx, "en", ctx.site.published("en"))
    assert of_type(graph, "BreadcrumbList") == []
    assert "breadcrumb" not in nodes(graph)[f"{S}/en/"]
    assert jsonld.trail(ctx, jsonld.home_page(ctx, "en")) == [jsonld.home_page(ctx, "en")]


@pytest.mark.parametrize(
    ("entity_id", "page_type"),
    [
        ("kim-jong-un", "ProfilePage"),  # Person
        ("united-nations", "ProfilePage"),  # Organization
        ("un-security-council", "ProfilePage"),  # GovernmentOrganization
        ("anna-berger", "ProfilePage"),  # a Person author
        ("dossier-desk", "ProfilePage"),  # an Organization author
        ("north-korea", "CollectionPage"),  # a Country actor, though also an Organization
        ("country-north-korea", "CollectionPage"),
        ("sunan", "CollectionPage"),
        ("unsc-resolution-2397", "CollectionPage"),
        ("kim-putin-summit-2023", "CollectionPage"),
        ("nuclear-program", "CollectionPage"),
    ],
)
def test_the_topic_page_type(ctx: BuildContext, entity_id: str, page_type: str) -> None:
    e = ctx.site.entities[entity_id]
    assert jsonld.entity_page(ctx, e, "de").type == page_type
    graph = jsonld.entity_graph(ctx, e, "de", [])
    assert nodes(graph)[f"{S}/de/{KIND_PATHS['de'][e.kind]}/{entity_id}/"]["@type"] == page_type


# --- entity, kind, home and landing graphs -----------------------------------------------------


def assert_lists_summaries(
    ctx: BuildContext, graph: Node, listing: Node, listed: list[Article]
) -> None:
    """The ItemList's items, in order, are summary nodes of the graph that agree with the full
    NewsArticle node of each article's own page."""
    by_id = nodes(graph)
    assert listing["numberOfItems"] == len(listed)
    items = listing["itemListElement"]
    assert [i["position"] for i in items] == list(range(1, len(listed) + 1))
    assert [i["item"] for i in items] == [ref(article_id_of(a)) for a in listed]
    for a in listed:
        summary = by_id[article_id_of(a)]
        assert summary["@type"] == "NewsArticle"
        assert summary["headline"] == a.title
        full = nodes(jsonld.article_graph(ctx, a, 100))[article_id_of(a)]
        assert {k: full[k] for k in summary} == summary


def test_a_topic_page_has_the_entity_as_main_entity_and_lists_its_articles(
    ctx: BuildContext,
) -> None:
    kim = ctx.site.entities["kim-jong-un"]
    listed = [find(ctx, "kim-putin-vostochny", "de"), find(ctx, "shoigu-pyongyang", "de")]
    graph = jsonld.entity_graph(ctx, kim, "de", listed)
    by_id = nodes(graph)
    page = f"{S}/de/akteure/kim-jong-un/"
    assert by_id[page]["mainEntity"] == by_id[page]["about"] == ref(iri("actors", "kim-jong-un"))
    assert by_id[iri("actors", "kim-jong-un")]["name"] == "Kim Jong Un"
    assert iri("locations", "country-north-korea") in by_id  # his nationality resolves
    listing = by_id[page + "#articles"]
    assert listing["@type"] == "ItemList"
    assert listing["name"] == "Artikel über Kim Jong Un"
    assert_lists_summaries(ctx, graph, listing, listed)
    assert set(references(graph)) - set(by_id) == set()


def test_a_topic_page_without_articles_has_no_list(ctx: BuildContext) -> None:
    graph = jsonld.entity_graph(ctx, ctx.site.entities["united-nations"], "en", [])
    assert of_type(graph, "ItemList") == []
    assert of_type(graph, "NewsArticle") == []


def test_a_topic_pages_vocabulary_is_in_its_graph(ctx: BuildContext) -> None:
    graph = jsonld.entity_graph(ctx, ctx.site.entities["nuclear-program"], "en", [])
    assert nodes(graph)[f"{S}/#topics"]["@type"] == "DefinedTermSet"
    assert set(references(graph)) - set(nodes(graph)) == set()


@pytest.mark.parametrize(
    ("lang", "listed"),
    [
        (
            "de",
            [
                ("Kim Jong Un", "kim-jong-un"),
                ("Nordkorea", "north-korea"),
                ("UN-Sicherheitsrat", "un-security-council"),
                ("Vereinte Nationen", "united-nations"),
                ("Wladimir Putin", "vladimir-putin"),
            ],
        ),
        (
            "en",
            [
                ("Kim Jong Un", "kim-jong-un"),
                ("North Korea", "north-korea"),
                ("UN Security Council", "un-security-council"),
                ("United Nations", "united-nations"),
                ("Vladimir Putin", "vladimir-putin"),
            ],
        ),
    ],
)
def test_a_kind_index_lists_its_topic_pages(
    ctx: BuildContext, lang: str, listed: list[tuple[str, str]]
) -> None:
    actors = sorted(ctx.site.of_kind("actors"), key=lambda e: e.name(lang))
    graph = jsonld.kind_graph(ctx, "actors", lang, actors)
    by_id = nodes(graph)
    index = f"{S}/{lang}/{KIND_PATHS[lang]['actors']}/"
    assert by_id[index]["@type"] == "CollectionPage"
    assert by_id[index]["mainEntity"] == ref(index + "#entities")
    assert by_id[index + "#entities"] == {
        "@type": "ItemList",
        "@id": index + "#entities",
        "name": {"de": "Akteure", "en": "Actors"}[lang],
        "numberOfItems": 5,
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "url": f"{index}{entity_id}/"}
            for i, (name, entity_id) in enumerate(listed, 1)
        ],
    }
    assert set(references(graph)) - set(by_id) == set()


@pytest.mark.parametrize(("lang", "name"), [("de", "Neueste Artikel"), ("en", "Latest articles")])
def test_a_home_page_lists_the_latest_articles(ctx: BuildContext, lang: str, name: str) -> None:
    latest = ctx.site.published(lang)
    graph = jsonld.home_graph(ctx, lang, latest)
    by_id = nodes(graph)
    home = f"{S}/{lang}/"
    assert by_id[home]["@type"] == "CollectionPage"
    assert by_id[home]["inLanguage"] == lang
    assert by_id[home]["mainEntity"] == ref(home + "#articles")
    listing = by_id[home + "#articles"]
    assert listing["name"] == name
    assert_lists_summaries(ctx, graph, listing, latest)
    assert set(references(graph)) - set(by_id) == set()


def test_a_home_pages_list_excludes_drafts(ctx: BuildContext) -> None:
    graph = jsonld.home_graph(ctx, "en", ctx.site.published("en"))
    assert article_id("en", "sanctions-regime-explained") not in nodes(graph)
    assert nodes(graph)[f"{S}/en/#articles"]["numberOfItems"] == 3


def test_the_landing_page_graph(ctx: BuildContext) -> None:
    assert jsonld.landing_graph(ctx) == {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebSite",
                "@id": f"{S}/#website",
                "name": "Dossier News",
                "url": f"{S}/",
                "publisher": ref(f"{S}/#publisher"),
                "inLanguage": ["de", "en"],
            },
            {
                "@type": "NewsMediaOrganization",
                "@id": f"{S}/#publisher",
                "name": "Dossier News",
                "url": f"{S}/",
                "logo": {
                    "@type": "ImageObject",
                    "@id": f"{S}/#logo",
                    "url": f"{S}/images/logo.png",
                    "contentUrl": f"{S}/images/logo.png",
                    "width": 112,
                    "height": 112,
                    "caption": "Dossier News",
                },
                "sameAs": ["https://social.example/@dossier"],
            },
            {
                "@type": "WebPage",
                "@id": f"{S}/",
                "url": f"{S}/",
                "name": "Dossier News",
                "inLanguage": "de",
                "isPartOf": ref(f"{S}/#website"),
            },
        ],
    }


def every_graph(ctx: BuildContext, lang: str) -> Iterator[Node]:
    """Every page's graph in one language, as the site would build them."""
    for a in ctx.site.published(lang):
        yield jsonld.article_graph(ctx, a, 100)
    for e in ctx.site.entities.values():
        yield jsonld.entity_graph(ctx, e, lang, list(ctx.site.referencing.get(e.id, ())))
    for kind in KINDS:
        yield jsonld.kind_graph(ctx, kind, lang, ctx.site.of_kind(kind))
    yield jsonld.home_graph(ctx, lang, ctx.site.published(lang))
    yield jsonld.landing_graph(ctx)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_complete_and_an_id_never_contradicts_itself(
    ctx: BuildContext, lang: str
) -> None:
    """Each graph resolves its own references; a node on several pages of one language says
    the same wherever it appears (a short form may leave properties out, never change them)."""
    seen: dict[str, dict[str, Any]] = {}
    graphs_checked = 0
    for graph in every_graph(ctx, lang):
        by_id = nodes(graph)
        assert set(references(graph)) - set(by_id) == set()
        for node_id, node in by_id.items():
            known = seen.setdefault(node_id, {})
            for key, value in node.items():
                assert known.setdefault(key, value) == value, (node_id, key)
        graphs_checked += 1
    # articles, topic pages, kind indexes, the home page and the landing page
    assert graphs_checked == len(ctx.site.published(lang)) + len(ctx.site.entities) + len(KINDS) + 2
    assert seen[iri("actors", "kim-jong-un")]["name"] == "Kim Jong Un"


# --- word_count --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body_html", "words"),
    [
        ("", 0),
        ("<p>Kim trifft <em>Putin</em>.</p>", 3),
        ("<p>eins</p><p>zwei</p>", 2),  # a tag between words separates them
        ('<img src="images/summit.jpg" alt="not read aloud">', 0),  # attributes are markup
        ("<p>Kim &amp; Putin</p>", 2),  # an ampersand is no word
        ("10&nbsp;km", 2),  # a no-break space separates words
        ("Kim-Putin-Gipfel", 1),
        ("Nord- und Südkorea", 3),
        ("Ärger über Öl", 3),
        ("500.000 Barrel", 2),
        ("3.5 per cent", 3),
        ("1718 und 1874", 3),
        ("North Korea&#8217;s programme", 3),
        ("it's", 1),
        ("2019&ndash;2023", 2),  # a dash between numbers separates them
        ("&lt;script&gt; tag", 2),
    ],
)
def test_word_count(body_html: str, words: int) -> None:
    assert word_count(body_html) == words


@pytest.mark.parametrize(
    ("body_html", "words"),
    [
        ("<p>500,000 barrels a year</p>", 4),
        ("<p>1,000,000</p>", 1),
        ("<p>Sicher&shy;heits&shy;rat</p>", 1),
        ("<p><em>un</em>believable</p>", 1),
        ("<p>one</p><p>two</p>", 2),
        ("<ul><li>one</li><li>two</li></ul>", 2),
        ("line<br>break", 2),
    ],
)
def test_word_count_counts_as_a_reader_does(body_html: str, words: int) -> None:
    assert word_count(body_html) == words
