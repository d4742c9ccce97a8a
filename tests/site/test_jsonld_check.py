"""`dossier lint-jsonld`: each check fires on a bad page and stays silent on the corrected one.

Every test writes small HTML pages with hand-written JSON-LD into a temporary output folder and
checks them against the real schema.org 30.0 files in the folder $SCHEMAORG names (by default
../shared/schemaorg). The bad page and its corrected twin sit side by side in one site (with @ids
of their own, so they never conflict), which also shows that every diagnostic lands on the right
page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from dossier.cli import main
from dossier.diagnostics import Diagnostic
from dossier.lint.jsonld_check import check_site

from ..conftest import REPO

SITE = "https://dossier.example"
BAD, GOOD = "bad/index.html", "good/index.html"

Node = dict[str, Any]


def article_graph(slug: str) -> list[Node]:
    """A complete, valid graph for an article page; every @id lives under the slug."""
    base = f"{SITE}/{slug}"
    return [
        {
            "@type": "NewsMediaOrganization",
            "@id": f"{base}/#publisher",
            "name": "Dossier",
            "url": f"{SITE}/",
            "logo": {"@type": "ImageObject", "url": f"{SITE}/logo.png"},
        },
        {
            "@type": "Person",
            "@id": f"{base}/id/anna-berger",
            "name": "Anna Berger",
            "jobTitle": "Korrespondentin",
            "url": f"{base}/autoren/anna-berger/",
        },
        {
            "@type": "Place",
            "@id": f"{base}/id/sunan",
            "name": "Sunan",
            "geo": {"@type": "GeoCoordinates", "latitude": 39.2, "longitude": 125.67},
        },
        {"@type": "WebPage", "@id": f"{base}/", "url": f"{base}/", "name": "Raketen"},
        {
            "@type": "NewsArticle",
            "@id": f"{base}/#article",
            "headline": "Nordkorea feuert zwei ballistische Raketen ab",
            "image": [
                {"@type": "ImageObject", "url": f"{base}/launch.jpg", "width": 1200, "height": 675}
            ],
            "datePublished": "2023-09-13T12:30:00+02:00",
            "dateModified": "2023-09-13T18:45:00+02:00",
            "inLanguage": "de",
            "wordCount": 350,
            "isAccessibleForFree": True,
            "author": [{"@id": f"{base}/id/anna-berger"}],
            "publisher": {"@id": f"{base}/#publisher"},
            "mainEntityOfPage": {"@id": f"{base}/"},
            "contentLocation": {"@id": f"{base}/id/sunan"},
            "sameAs": [f"{SITE}/archiv/{slug}"],
        },
    ]


def node(graph: list[Node], type_: str) -> Node:
    return next(n for n in graph if n["@type"] == type_)


def html(*scripts: str, lang: str = "de") -> str:
    """A page whose first <script> starts at line 5, column 3; the next ones on the lines after."""
    head = f'<!doctype html>\n<html lang="{lang}">\n<head>\n  <title>t</title>\n'
    blocks = "".join(f'  <script type="application/ld+json">{s}</script>\n' for s in scripts)
    return f"{head}{blocks}</head>\n</html>\n"


def jsonld(graph: list[Node]) -> str:
    return json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False)


class Output:
    """A built site's output folder, written page by page."""

    def __init__(self, root: Path, vocabulary: Path):
        self.root = root
        self.vocabulary = vocabulary

    def page(
        self,
        path: str,
        graph: list[Node] | None = None,
        *,
        text: str | None = None,
        lang: str = "de",
    ) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text if text is not None else html(jsonld(graph or []), lang=lang))

    def check(self) -> list[Diagnostic]:
        return check_site(self.root, self.vocabulary).diagnostics


@pytest.fixture
def output(tmp_path: Path, schemaorg: Path) -> Output:
    return Output(tmp_path / "output", schemaorg)


def pair(output: Output, bad: list[Node], good: list[Node]) -> list[Diagnostic]:
    """Check a bad page beside its corrected twin: the twin must be spotless; return the rest."""
    output.page(BAD, bad)
    output.page(GOOD, good)
    diagnostics = output.check()
    assert [d for d in diagnostics if d.path == GOOD] == []
    return diagnostics


def only(diagnostics: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == code]


def prop(diagnostic: Diagnostic) -> str:
    """The property a diagnostic's field ends with."""
    return diagnostic.field.rsplit(" › ", 1)[-1]


# --- 3. types ------------------------------------------------------------------------------------


def test_unknown_type_suggests_the_schema_org_class(output):
    bad = article_graph("bad")
    node(bad, "NewsArticle")["@type"] = "NewsArticel"
    [problem] = only(pair(output, bad, article_graph("good")), "unknown-type")
    assert problem.field == f"NewsArticel <{SITE}/bad/#article> › @type"
    assert "unknown type 'NewsArticel'" in problem.message
    assert problem.hint == "did you mean 'NewsArticle'?"
    assert (problem.line, problem.column) == (5, 3)


def test_a_property_or_datatype_is_not_a_node_type(output):
    bad = article_graph("bad")
    node(bad, "Place")["containedInPlace"] = {"@type": "event", "name": "Parade"}
    node(bad, "Place")["geo"]["@type"] = "Text"
    found = only(pair(output, bad, article_graph("good")), "unknown-type")
    assert {d.message: d.hint for d in found} == {
        "event is a property, not a type": "did you mean 'Event'?",
        "Text is a datatype (a kind of literal value), not a type of node": "",
    }


def test_multi_typed_nodes_and_enumeration_values_are_accepted(output):
    """A Country that is also an Organization may be a member of one; True is a Boolean."""
    graph = article_graph("good")
    place = node(graph, "Place")
    place["@type"] = ["Country", "Organization"]
    place["memberOf"] = {"@id": f"{SITE}/good/#publisher"}
    node(graph, "NewsArticle")["isAccessibleForFree"] = {"@id": "https://schema.org/True"}
    output.page(GOOD, graph)
    assert output.check() == []


# --- 4. properties and domains -------------------------------------------------------------------


def test_unknown_property_suggests_the_schema_org_property(output):
    bad = article_graph("bad")
    node(bad, "NewsArticle")["wordcount"] = node(bad, "NewsArticle").pop("wordCount")
    [problem] = only(pair(output, bad, article_graph("good")), "unknown-property")
    assert problem.field == f"NewsArticle <{SITE}/bad/#article> › wordcount"
    assert problem.message == "unknown property 'wordcount'"
    assert problem.hint == "did you mean 'wordCount'?"


def test_property_outside_its_domain(output):
    bad = article_graph("bad")
    node(bad, "Place")["jobTitle"] = "Raketenstartplatz"
    [problem] = pair(output, bad, article_graph("good"))
    assert problem.code == "domain"
    assert problem.field == f"Place <{SITE}/bad/id/sunan> › jobTitle"
    assert "jobTitle (pending) is not a property of Place" in problem.message
    assert "expects it on Person" in problem.message


def test_superseded_term_is_a_warning(output):
    bad = article_graph("bad")
    node(bad, "Place")["containedIn"] = {"@id": f"{SITE}/bad/id/sunan"}
    [problem] = pair(output, bad, article_graph("good"))
    assert (problem.code, problem.severity) == ("superseded", "warning")
    assert problem.message == "containedIn is superseded in schema.org"
    assert problem.hint == "use containedInPlace"


# --- 5. values -----------------------------------------------------------------------------------


def test_literal_of_the_wrong_kind(output):
    bad = article_graph("bad")
    node(bad, "NewsArticle")["wordCount"] = "350"
    node(bad, "NewsArticle")["isAccessibleForFree"] = "yes"
    found = {prop(d): d for d in pair(output, bad, article_graph("good"))}
    assert set(found) == {"wordCount", "isAccessibleForFree"}
    assert {d.code for d in found.values()} == {"range"}
    assert found["wordCount"].message == 'wordCount expects Integer, got the text "350"'
    assert found["wordCount"].hint == "write the number without quotes: 350"
    assert found["isAccessibleForFree"].message == (
        'isAccessibleForFree expects Boolean, got the text "yes"'
    )
    assert found["isAccessibleForFree"].hint == "write true or false, without quotes"


def test_text_is_accepted_only_where_the_range_lists_text(output):
    """latitude is Number or Text; contentLocation is a Place, and Text is not a Place."""
    bad = article_graph("bad")
    node(bad, "NewsArticle")["contentLocation"] = "Sunan"
    good = article_graph("good")
    node(good, "Place")["geo"]["latitude"] = "39.2"
    found = only(pair(output, bad, good), "range")
    assert [d.message for d in found] == ['contentLocation expects Place, got the text "Sunan"']


def test_datetime_without_utc_offset(output):
    bad = article_graph("bad")
    node(bad, "NewsArticle")["dateModified"] = "2023-09-13T18:45:00"
    [problem] = only(pair(output, bad, article_graph("good")), "range")
    assert problem.message == (
        "dateModified 2023-09-13T18:45:00 has no UTC offset; Google requires a time zone"
    )
    assert "2023-09-13T18:45:00+02:00" in problem.hint


def test_a_date_typed_by_the_context_accepts_a_full_date_time(output):
    """The context declares legislationDate as Date; a date-time with an offset is fine."""
    graph = article_graph("good")
    graph.append(
        {
            "@type": "Legislation",
            "@id": f"{SITE}/good/id/res-1718",
            "name": "Resolution 1718",
            "legislationDate": "2006-10-14T10:00:00-04:00",
        }
    )
    node(graph, "NewsArticle")["about"] = {"@id": f"{SITE}/good/id/res-1718"}
    output.page(GOOD, graph)
    assert output.check() == []


def test_node_of_the_wrong_type(output):
    bad = article_graph("bad")
    node(bad, "NewsArticle")["author"] = [{"@id": f"{SITE}/bad/id/sunan"}]
    [problem] = only(pair(output, bad, article_graph("good")), "range")
    assert problem.field == f"NewsArticle <{SITE}/bad/#article> › author"
    assert problem.message == (
        f"author expects Organization or Person, but <{SITE}/bad/id/sunan> is a Place"
    )


def test_a_reference_is_a_url_where_the_range_lists_url(output):
    """sameAs and mainEntityOfPage take URLs: an @id outside the graph is a link, and an @id
    inside it may be any node; author takes no URL, so its @id must resolve."""
    good = article_graph("good")
    node(good, "NewsArticle")["mainEntityOfPage"] = {"@id": f"{SITE}/good/id/sunan"}
    node(good, "NewsArticle")["sameAs"] = [f"{SITE}/good/id/anna-berger", "https://example.org/x"]
    bad = article_graph("bad")
    node(bad, "NewsArticle")["author"].append({"@id": "https://example.org/someone"})
    [problem] = only(pair(output, bad, good), "unresolved-id")
    assert problem.field == f"NewsArticle <{SITE}/bad/#article> › author"
    assert problem.message == (
        "author refers to <https://example.org/someone>, which this page's graph does not define"
    )


# --- 6. references -------------------------------------------------------------------------------


def test_unresolved_reference(output):
    bad = article_graph("bad")
    node(bad, "NewsArticle")["about"] = [{"@id": f"{SITE}/id/events/missing"}]
    good = article_graph("good")
    node(good, "NewsArticle")["about"] = [{"@id": f"{SITE}/good/id/sunan"}]
    [problem] = pair(output, bad, good)
    assert problem.code == "unresolved-id"
    assert problem.field == f"NewsArticle <{SITE}/bad/#article> › about"
    assert f"about refers to <{SITE}/id/events/missing>" in problem.message


# --- 7. one @id, one definition per page ---------------------------------------------------------


def test_an_id_defined_twice_in_one_page_must_agree(output):
    bad = article_graph("bad")
    bad.append({**node(bad, "Person"), "name": "A. Berger"})
    good = article_graph("good")
    good.append(dict(node(good, "Person")))
    [problem] = pair(output, bad, good)
    assert problem.code == "duplicate-id"
    assert 'different name: "Anna Berger" and "A. Berger"' in problem.message


# --- 8. Google's Article guidance and absolute URLs ----------------------------------------------


def test_relative_urls(output):
    bad = article_graph("bad")
    node(bad, "WebPage")["url"] = "/bad/"
    node(bad, "NewsArticle")["image"] = ["launch.jpg"]
    found = only(pair(output, bad, article_graph("good")), "relative-url")
    assert {(prop(d), d.message.split()[0]) for d in found} == {
        ("url", "/bad/"),
        ("image", "launch.jpg"),
    }


def test_google_article_guidance(output):
    bad = article_graph("bad")
    article = node(bad, "NewsArticle")
    article["headline"] = "x" * 111
    del article["image"]
    node(bad, "Person").pop("url")
    node(bad, "NewsMediaOrganization").pop("logo")
    found = pair(output, bad, article_graph("good"))
    assert {d.code for d in found} == {"google-article"}
    assert {(prop(d), d.message) for d in found} == {
        ("headline", "the headline has 111 characters; Google shows at most 110"),
        ("image", "Google needs image on the page's main article"),
        ("author", f"the author <{SITE}/bad/id/anna-berger> has neither url nor sameAs"),
        ("publisher", f"the publisher <{SITE}/bad/#publisher> has no logo"),
    }


def test_google_image_size(output):
    bad = article_graph("bad")
    node(bad, "NewsArticle")["image"] = [
        {"@type": "ImageObject", "url": f"{SITE}/small.jpg", "width": 300, "height": 100},
        {
            "@type": "ImageObject",
            "contentUrl": f"{SITE}/medium.jpg",
            "width": "800 px",
            "height": {"@type": "QuantitativeValue", "value": 450},
        },
    ]
    found = {d.message for d in pair(output, bad, article_graph("good"))}
    assert found == {
        f"the image {SITE}/small.jpg has 300×100 = 30,000 pixels; Google needs at least 50,000",
        "no image is at least 1,200 px wide (the widest is 800 px)",
    }


def test_summary_articles_are_not_held_to_google_guidance(output):
    """Only the page's main article (the one with mainEntityOfPage) needs image, author, …"""
    graph = article_graph("good")
    graph.append({"@type": "NewsArticle", "@id": f"{SITE}/other/#article", "headline": "Andere"})
    node(graph, "NewsArticle")["mentions"] = {"@id": f"{SITE}/other/#article"}
    output.page(GOOD, graph)
    assert output.check() == []


# --- 1, 2. blocks and JSON -----------------------------------------------------------------------


def test_exactly_one_jsonld_block(output):
    output.page("none/index.html", text=html())
    output.page("two/index.html", text=html(jsonld(article_graph("two")), jsonld([])))
    output.page(GOOD, article_graph("good"))
    found = output.check()
    assert [(d.path, d.line, d.code) for d in found] == [
        ("none/index.html", 1, "blocks"),
        ("two/index.html", 6, "blocks"),
    ]
    assert found[0].message == "the page has no JSON-LD"
    assert found[1].message == "JSON-LD block 2 of 2 on one page"


def test_only_a_redirect_page_may_have_no_jsonld(output):
    """The page left at a renamed entry's old address describes nothing: no graph is right."""
    redirect = (
        '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Moved</title>'
        '<meta http-equiv="refresh" content="0; url=/de/akteure/kim-jong-un/">'
        '<link rel="canonical" href="https://dossier.example/de/akteure/kim-jong-un/">'
        '<meta name="robots" content="noindex"></head><body></body></html>'
    )
    output.page("de/akteure/kim/index.html", text=redirect)
    output.page("none/index.html", text=html())
    output.page(GOOD, article_graph("good"))
    assert [(d.path, d.message) for d in output.check()] == [
        ("none/index.html", "the page has no JSON-LD")
    ]


def test_invalid_json(output):
    output.page(GOOD, article_graph("good"))
    output.page(
        "comma/index.html", text=html('{"@context": "https://schema.org",\n"@graph": [1,]}')
    )
    output.page("nan/index.html", text=html('{"@context": "https://schema.org", "@graph": [NaN]}'))
    output.page("twice/index.html", text=html('{"@graph": [], "@graph": []}'))
    found = output.check()
    assert {(d.path, d.line, d.column, d.message) for d in found} == {
        ("comma/index.html", 6, 14, "the JSON-LD is not valid JSON: Expecting value"),
        ("nan/index.html", 5, 3, "the JSON-LD is not strict JSON: NaN is not a JSON value"),
        (
            "twice/index.html",
            5,
            3,
            "the JSON-LD is not strict JSON: the key '@graph' appears twice in one object",
        ),
    }
    assert {d.code for d in found} == {"json"}


def test_context_and_graph_and_nothing_is_fetched(output):
    output.page(GOOD, article_graph("good"))
    remote = json.dumps({"@context": "https://example.org/context.jsonld", "@graph": []})
    output.page("remote/index.html", text=html(remote))
    output.page(
        "single/index.html",
        text=html(json.dumps({"@context": "https://schema.org", "@type": "Thing", "name": "x"})),
    )
    found = {(d.path, d.code): d.message for d in output.check()}
    assert found[("remote/index.html", "jsonld")].startswith(
        "JSON-LD expansion failed: refused to fetch https://example.org/context.jsonld"
    )
    assert ("remote/index.html", "context") in found
    assert found[("single/index.html", "graph")] == "the JSON-LD has no top-level @graph list"
    assert not any(path == GOOD for path, _ in found)


# --- across the site -----------------------------------------------------------------------------


def entity(name: str, lang: str, **more: Any) -> list[Node]:
    return [
        {
            "@type": "Person",
            "@id": f"{SITE}/id/kim",
            "name": name,
            "url": f"{SITE}/{lang}/kim/",
            **more,
        }
    ]


def test_one_id_names_one_thing_across_pages(output):
    output.page(
        "de/a/index.html",
        entity("Kim Jong Un", "de", sameAs=["https://www.wikidata.org/wiki/Q56226"]),
    )
    output.page("de/b/index.html", [{**entity("Kim Jong Un", "de")[0], "@type": "Organization"}])
    output.page(
        "en/a/index.html",
        entity("Kim Jong-un", "en", sameAs=["https://www.wikidata.org/wiki/Q1"]),
        lang="en",
    )
    found = output.check()
    assert [(d.path, d.field, d.code) for d in found] == [
        ("de/b/index.html", f"Organization <{SITE}/id/kim> › @type", "conflicting-id"),
        ("en/a/index.html", f"Person <{SITE}/id/kim> › sameAs", "conflicting-id"),
    ]
    assert found[0].message == (
        f"<{SITE}/id/kim> has @type Organization here but Person in de/a/index.html"
    )
    assert "https://www.wikidata.org/wiki/Q1" in found[1].message
    assert "https://www.wikidata.org/wiki/Q56226" in found[1].message


def test_language_dependent_properties_and_summary_nodes_do_not_conflict(output):
    output.page(
        "de/a/index.html",
        entity(
            "Kim Jong Un",
            "de",
            jobTitle="Machthaber",
            sameAs=["https://www.wikidata.org/wiki/Q56226"],
        ),
    )
    output.page("de/b/index.html", entity("Kim Jong Un", "de"))  # a short summary node
    output.page(
        "en/a/index.html", entity("Kim Jong-un", "en", jobTitle="Supreme Leader"), lang="en"
    )
    assert output.check() == []
    output.page("de/c/index.html", entity("Kim Jong-un", "de"))
    [problem] = output.check()
    assert problem.path == "de/c/index.html"
    assert problem.message == (
        f'<{SITE}/id/kim> has name "Kim Jong-un" here but "Kim Jong Un" in de/a/index.html, '
        "a page in the same language"
    )


# --- 9. SHACL ------------------------------------------------------------------------------------


def test_shacl_second_opinion(output):
    """The patched shapes accept the literals of the good page (the unpatched ones reject every
    literal) and catch a literal where a Person or Organization node belongs."""
    bad = article_graph("bad")
    node(bad, "NewsArticle")["author"] = "Anna Berger"
    [problem] = only(pair(output, bad, article_graph("good")), "shacl")
    assert problem.path == BAD
    assert problem.field == f"NewsArticle <{SITE}/bad/#article> › author"
    assert problem.message == (
        'Node "Anna Berger" must conform to one or more shapes in Organization, Person'
    )


def test_shacl_checks_each_node_where_it_is_defined(output):
    """A bad value is reported once, on the node that holds it (here a blank node inside the
    Place), not again on every node that refers to the Place."""
    bad = article_graph("bad")
    node(bad, "Place")["geo"]["latitude"] = {"@type": "Thing", "name": "north"}
    [problem] = only(pair(output, bad, article_graph("good")), "shacl")
    assert problem.field == f"Place <{SITE}/bad/id/sunan> › geo › GeoCoordinates › latitude"
    assert problem.message == (
        'Node [ @type Thing ; name "north" ] must conform to one or more shapes in Text, Number'
    )


def test_shacl_names_a_page_that_nests_too_deep_for_pyshacl(output):
    leaf: Node = {"@type": "Thing", "name": "leaf"}
    for type_, key in reversed(
        [("CreativeWork", "publisher"), ("Organization", "logo"), ("ImageObject", "author"),
         ("Person", "affiliation"), ("Organization", "location"), ("Place", "containedInPlace"),
         ("Place", "event"), ("Event", "organizer"), ("Person", "homeLocation")]
    ):  # fmt: skip
        leaf = {"@type": type_, "name": type_, key: leaf}
    bad = article_graph("bad")
    node(bad, "NewsArticle")["citation"] = leaf
    other = article_graph("other")
    node(other, "NewsArticle")["author"] = "Anna Berger"  # still found, page by page
    output.page(BAD, bad)
    output.page("other/index.html", other)
    found = only(output.check(), "shacl")
    assert [(d.path, d.message) for d in found] == [
        (BAD, "SHACL could not check this page: its inline nodes nest deeper than pySHACL follows"),
        ("other/index.html",
         'Node "Anna Berger" must conform to one or more shapes in Organization, Person'),
    ]  # fmt: skip


# --- the command ---------------------------------------------------------------------------------


def lint(*args: str) -> Any:
    return CliRunner().invoke(main, ["lint-jsonld", *args], catch_exceptions=False)


def test_cli(output, schemaorg):
    output.page(GOOD, article_graph("good"))
    result = lint(str(output.root), "--vocabulary", str(schemaorg))
    assert result.exit_code == 0, result.output
    assert result.output == "Checked 1 page, 8 nodes: no problems.\n"

    bad = article_graph("bad")
    node(bad, "NewsArticle")["wordCount"] = "350"
    output.page(BAD, bad)
    result = lint(str(output.root), "--vocabulary", str(schemaorg))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{BAD}:5:3: NewsArticle <{SITE}/bad/#article> › wordCount: ")
    assert lines[-1] == "Checked 2 pages, 16 nodes: 1 error in 1 page."

    result = lint(str(output.root), "--vocabulary", str(schemaorg), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["errors"] == 1
    assert data["diagnostics"][0]["code"] == "range"


def test_cli_usage_errors(output, tmp_path, schemaorg):
    output.page(GOOD, article_graph("good"))
    result = lint(str(tmp_path / "missing"), "--vocabulary", str(schemaorg))
    assert result.exit_code == 2
    assert "missing" in result.output
    partial = tmp_path / "schemaorg"
    partial.mkdir()
    for name in (
        "schemaorg-current-https.jsonld",
        "schemaorgcontext.jsonld",
        "schemaorg-shapes.shacl",
    ):
        shutil.copyfile(schemaorg / name, partial / name)
    result = lint(str(output.root), "--vocabulary", str(partial))
    assert result.exit_code == 2
    assert "lacks schemaorg-subclasses.shacl" in result.output
    assert "data/releases/30.0/" in result.output


def test_tests_without_the_vocabulary_fail_and_name_the_variable(tmp_path: Path) -> None:
    """A checkout without the schema.org folder fails the JSON-LD checks, saying what to set,
    rather than skipping them."""
    missing = tmp_path / "no-schemaorg"
    test = "tests/site/test_jsonld_check.py::test_cli"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test],
        cwd=REPO,
        env=os.environ | {"SCHEMAORG": str(missing)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout
    assert f"SCHEMAORG={missing}: no schema.org vocabulary there." in done.stdout
    assert "1 error" in done.stdout.splitlines()[-1]
