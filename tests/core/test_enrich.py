"""Pure functions of the enrich stage, on plain data: no Pelican, no files."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone

import pytest
from dossier.enrich.pages import alternates, source_view
from dossier.enrich.text import first_sentence
from dossier.enrich.urls import Urls

from ..support.model import SETTINGS, settings

S = SETTINGS["DOSSIER_SITE_URL"]


def links(views: list[dict]) -> dict[str, str]:
    return {view["hreflang"]: view["href"] for view in views}


def test_x_default_is_the_default_languages_version() -> None:
    versions = {"de": "de/2023/gipfel/", "en": "en/2023/summit/"}
    assert links(alternates(versions, Urls(settings()), "de")) == {
        "de": f"{S}/de/2023/gipfel/",
        "en": f"{S}/en/2023/summit/",
        "x-default": f"{S}/de/2023/gipfel/",
    }


def test_x_default_falls_back_to_the_first_version_there_is() -> None:
    """A story only in English still tells search engines which page to show everyone else."""
    assert links(alternates({"en": "en/2023/visit/"}, Urls(settings()), "de")) == {
        "en": f"{S}/en/2023/visit/",
        "x-default": f"{S}/en/2023/visit/",
    }
    three = {"en": "en/x/", "fr": "fr/x/"}
    assert links(alternates(three, Urls(settings()), "de"))["x-default"] == f"{S}/en/x/"


def test_x_default_can_be_a_page_of_its_own() -> None:
    homes = {"de": "de/", "en": "en/"}
    assert links(alternates(homes, Urls(settings()), "de", x_default=""))["x-default"] == f"{S}/"


def test_a_source_date_is_kept_as_written_and_parsed_to_format() -> None:
    source = {"url": "https://undocs.org/S/RES/1718(2006)", "title": "Resolution 1718"}
    assert source_view(source) == source
    day = source_view(source | {"date": "2006-10-14"})
    assert (day["date"], day["datetime"]) == (date(2006, 10, 14), "2006-10-14")
    assert not isinstance(day["date"], datetime)  # a date-only source stays date-only
    late = source_view(source | {"date": "2023-09-13T23:30:00-05:00"})
    assert late["datetime"] == "2023-09-13T23:30:00-05:00"
    # Its own day, in its own offset: not moved to the 14th by a conversion to UTC.
    assert late["date"] == datetime(2023, 9, 13, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert late["date"].day == 13


GERMAN = ["bzw", "Nr", "Prof"]
ENGLISH = ["Dr", "Mr", "Mrs", "No"]


@pytest.mark.parametrize(
    ("text", "abbreviations", "first"),
    [
        ("Leader since late 2011. Under his rule more tests.", ENGLISH, "Leader since late 2011."),
        ("The U.S. Navy said so. Later it said more.", ENGLISH, "The U.S. Navy said so."),
        ("Mr. Kim met Mrs. Lee. Then they left.", ENGLISH, "Mr. Kim met Mrs. Lee."),
        ("Sites, e.g. the pad. Next one.", ENGLISH, "Sites, e.g. the pad."),
        ("Why now? Because.", ENGLISH, "Why now?"),
        ('He said: "Stop." Then he left.', ENGLISH, 'He said: "Stop."'),
        ("Raketen, z. B. Hwasong. Sie fliegen weit.", GERMAN, "Raketen, z. B. Hwasong."),
        ("Geleitet von Prof. Kim. Später mehr.", GERMAN, "Geleitet von Prof. Kim."),
        ("Resolution Nr. 1718 gilt. Sie verhängt.", GERMAN, "Resolution Nr. 1718 gilt."),
        ("Russland bzw. China stimmten zu. Danach.", GERMAN, "Russland bzw. China stimmten zu."),
        # German ordinals: a day, a term of office, an anniversary; a year does end a sentence.
        ("Am 13. September trafen sie sich. Es war.", GERMAN, "Am 13. September trafen sie sich."),
        ("45. und 47. Präsident der USA. Er traf Kim.", GERMAN, "45. und 47. Präsident der USA."),
        ("Beschlossen 2009. Sie erweitert.", GERMAN, "Beschlossen 2009."),
        ("Er sagte: „Nein.“ Dann ging er.", GERMAN, "Er sagte: „Nein.“"),
        # Nothing to cut: one sentence, a lower-case continuation, no text.
        ("Only one sentence.", ENGLISH, "Only one sentence."),
        ("Version 2. then more", ENGLISH, "Version 2. then more"),
        ("", ENGLISH, ""),
    ],
)
def test_first_sentence(text: str, abbreviations: list[str], first: str) -> None:
    assert first_sentence(text, abbreviations) == first


def test_an_abbreviation_counts_only_in_its_language() -> None:
    assert first_sentence("Siehe Nr. Fünf. Dann mehr.", GERMAN) == "Siehe Nr. Fünf."
    assert first_sentence("Siehe Nr. Fünf. Dann mehr.", ENGLISH) == "Siehe Nr."


def test_first_sentence_of_a_long_pasted_word_takes_no_time() -> None:
    """Each word is tried once: from every character, 40,000 letters without a mark took a
    minute."""
    start = time.perf_counter()
    assert first_sentence("x" * 200_000) == "x" * 200_000
    assert first_sentence("a." * 100_000 + " Next.") == "a." * 100_000 + " Next."
    assert time.perf_counter() - start < 1
