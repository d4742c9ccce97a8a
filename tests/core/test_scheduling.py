"""Scheduling and corrections in the pure core: what ``resolve`` publishes as of the time it is
given, how a scheduled article's page and a corrected article's page and JSON-LD are made, and
what ``dossier status`` finds beside a published site's sitemap. Plain data, no Pelican; the
built site is in tests/site/test_scheduling.py and test_corrections.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dossier.enrich import jsonld
from dossier.enrich.pages import article_view
from dossier.enrich.sitemaps import sitemap_files
from dossier.enrich.urls import Urls
from dossier.publish.status import last_build, status
from dossier.render.formats import datetime_text

from ..conftest import FIXTURES, REPO
from ..support.model import article, context, registry, settings, site

LAUNCH = {"actors": ["kim-jong-un"], "topics": ["nuclear-program"]}


def model(*extra):
    return site(
        registry(),
        [
            article("old", "en", "2023-01-01T08:00:00+01:00", **LAUNCH),
            article("new", "en", "2023-02-01T08:00:00+01:00", **LAUNCH),
            *extra,
        ],
    )


def test_resolve_schedules_what_is_dated_after_now_and_publishes_it_once_due() -> None:
    from dossier.check import read_content
    from dossier.resolve.model import resolve

    configured = settings(
        PATH=str(FIXTURES / "site" / "content"), DOSSIER_SCHEMA_PATH=str(REPO / "schema")
    )
    corpus, schemas = read_content(configured, cwd=FIXTURES / "site")
    # The fixture site's newest articles: summit, at 12:30 in German and 13:00 in English.
    before = resolve(corpus, schemas, datetime.fromisoformat("2023-09-13T12:29:59+02:00"))
    between = resolve(corpus, schemas, datetime.fromisoformat("2023-09-13T12:30:00+02:00"))
    at = resolve(corpus, schemas, datetime.fromisoformat("2023-09-13T13:00:00+02:00"))
    assert [(a.slug, a.lang) for a in between.scheduled()] == [("summit", "en")]
    assert between.versions["summit"].keys() == {"de"}
    unscheduled = resolve(corpus, schemas)
    assert [(a.slug, a.lang) for a in before.scheduled()] == [("summit", "de"), ("summit", "en")]
    assert [a.slug for a in before.published("en")] == ["launches"]
    assert [a.slug for a in before.published("de")] == []  # the draft is no more published
    assert "kim-jong-un" not in {i for i, found in before.referencing.items() if any(
        a.lang == "de" for a in found)}  # fmt: skip
    assert "summit" not in {slug for slug, v in before.versions.items() if "de" in v}
    assert before.now == datetime.fromisoformat("2023-09-13T12:29:59+02:00")
    for made in (at, unscheduled):  # at its date it is due
        assert made.scheduled() == []
        assert [a.slug for a in made.published("de")] == ["summit"]
    assert [a.slug for a in before.drafts()] == ["resolution"]


def test_a_scheduled_article_has_no_neighbours_and_is_no_ones_neighbour() -> None:
    later = article("later", "en", "2023-03-01T08:00:00+01:00", scheduled=True, **LAUNCH)
    made = model(later)
    old, new = (next(a for a in made.articles if a.slug == s) for s in ("old", "new"))
    assert made.neighbours(new) == (old, None)
    assert made.neighbours(later) == (None, None)
    assert made.published("en") == [new, old]
    assert made.scheduled() == [later]
    files = sitemap_files(made, Urls(settings()), settings(), datetime.fromisoformat(
        "2023-03-02T00:00:00+01:00"))  # fmt: skip
    assert b"/later/" not in files["sitemap.xml"]
    assert b"/new/" in files["sitemap.xml"]


def test_a_scheduled_articles_page_says_when_it_is_published_in_the_newsrooms_time() -> None:
    later = article("later", "en", "2023-03-01T08:00:00+01:00", scheduled=True, **LAUNCH)
    ctx = replace(context(model(later)), timezone="America/New_York")
    view = article_view(later, ctx, "de", 10)
    assert view["scheduled"].isoformat() == "2023-03-01T02:00:00-05:00"
    assert view["robots"] == "noindex"
    assert "draft" not in view
    # No abbreviation for New York's zone in either language: its offset.
    assert datetime_text(view["scheduled"], "en") == "1 March 2023, 02:00 UTC-5"
    assert datetime_text(view["scheduled"], "de") == "1. März 2023, 02:00 UTC-5"
    india = datetime.fromisoformat("2023-03-01T12:30:00+05:30")
    assert datetime_text(india, "en") == "1 March 2023, 12:30 UTC+5:30"
    berlin = datetime.fromisoformat("2023-07-01T08:00:00+02:00").astimezone(
        ZoneInfo("Europe/Berlin")
    )
    assert datetime_text(berlin, "en") == "1 July 2023, 08:00 CEST"
    assert datetime_text(berlin, "de") == "1. Juli 2023, 08:00 MESZ"
    draft = article("d", "en", "2023-03-01T08:00:00+01:00", status="draft", **LAUNCH)
    view = article_view(draft, context(model(draft)), "de", 10)
    assert view["draft"] is True
    assert "scheduled" not in view


CORRECTIONS = [
    {"date": "2023-02-03T10:00:00+01:00", "text": "The second correction."},
    {"date": "2023-02-02T10:00:00+01:00", "text": "The first correction."},
]


def test_corrections_are_shown_oldest_first_and_move_the_modified_date() -> None:
    fixed = article(
        "fixed",
        "en",
        "2023-02-01T08:00:00+01:00",
        modified="2023-02-02T12:00:00+01:00",
        corrections=CORRECTIONS,
        **LAUNCH,
    )
    assert [c.text for c in fixed.corrections] == [
        "The first correction.",
        "The second correction.",
    ]
    assert fixed.modified.isoformat() == "2023-02-03T10:00:00+01:00"
    later = article(
        "later",
        "en",
        "2023-02-01T08:00:00+01:00",
        modified="2023-02-05T12:00:00+01:00",
        corrections=CORRECTIONS,
    )
    assert later.modified.isoformat() == "2023-02-05T12:00:00+01:00"  # modified is later
    ctx = context(model(fixed))
    view = article_view(fixed, ctx, "de", 10)
    assert [c["text"] for c in view["corrections"]] == [
        "The first correction.",
        "The second correction.",
    ]
    assert view["modified"] == fixed.modified
    node = jsonld.news_article_node(ctx, fixed, 10, [])
    assert node["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "The first correction.",
            "datePublished": "2023-02-02T10:00:00+01:00",
        },
        {
            "@type": "CorrectionComment",
            "text": "The second correction.",
            "datePublished": "2023-02-03T10:00:00+01:00",
        },
    ]
    assert node["dateModified"] == "2023-02-03T10:00:00+01:00"
    plain = article("plain", "en", "2023-02-01T08:00:00+01:00", **LAUNCH)
    assert "correction" not in jsonld.news_article_node(ctx, plain, 10, [])
    assert article_view(plain, ctx, "de", 10)["corrections"] == []


def test_status_compares_the_published_articles_with_the_last_builds_sitemap(
    tmp_path: Path,
) -> None:
    later = article("later", "en", "2023-03-01T08:00:00+01:00", scheduled=True, **LAUNCH)
    draft = article("d", "de", "2023-01-05T08:00:00+01:00", status="draft", **LAUNCH)
    made = replace(model(later, draft), now=datetime.fromisoformat("2023-02-15T00:00:00+00:00"))
    urls = Urls(settings(DOSSIER_SITEMAP_MAX_URLS=3))
    # The last build: the same site without "new", written as an index of sitemap parts.
    last = replace(made, articles=tuple(a for a in made.articles if a.slug != "new"))
    files = sitemap_files(last, urls, settings(DOSSIER_SITEMAP_MAX_URLS=3), made.now)
    assert b"sitemapindex" in files["sitemap.xml"]
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    found = status(made, urls, "Europe/Berlin", last_build(tmp_path, "output"))
    assert [(s.state, s.slug) for s in found.new] == [("new", "new")]
    assert found.new[0].date.isoformat() == "2023-02-01T08:00:00+01:00"
    assert [(s.state, s.slug) for s in found.scheduled] == [("scheduled", "later")]
    assert [(s.state, s.slug) for s in found.drafts] == [("draft", "d")]
    assert found.published == 2
    assert found.now.isoformat() == "2023-02-15T01:00:00+01:00"


@pytest.mark.parametrize(
    ("files", "why"),
    [
        ({}, "no sitemap.xml"),
        ({"sitemap.xml": b"<urlset"}, "its sitemap does not read: "),
        (
            {
                "sitemap.xml": b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                b"<sitemap><loc>https://x.example/../../etc/passwd</loc></sitemap></sitemapindex>"
            },
            "sitemap.xml names passwd",
        ),
        (
            {"sitemap.xml": b'<?xml version="1.0" encoding="x-nope"?><urlset/>'},
            "its sitemap does not read: ",
        ),
        (
            {"sitemap.xml": b'<?xml version="1.0" encoding="utf-32"?><urlset/>'},
            "its sitemap does not read: ",
        ),
    ],
)
def test_no_last_build_to_compare_with_is_said_with_the_reason(
    tmp_path: Path, files: dict[str, bytes], why: str
) -> None:
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    last = last_build(tmp_path, "output")
    assert not last.found
    assert last.why.startswith(why)
    made = replace(model(), now=datetime.fromisoformat("2023-02-15T00:00:00+00:00"))
    found = status(made, Urls(settings()), "UTC", last)
    assert found.new == ()
    assert "No last build to compare with in output/" in found.summary()
