"""Pure functions of the enrich stage, on plain data: no Pelican, no files."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from dossier.enrich import alternates, source_view
from dossier.urls import Urls

from .test_core_jsonld_pieces import SETTINGS

S = SETTINGS["DOSSIER_SITE_URL"]


def links(views: list[dict]) -> dict[str, str]:
    return {view["hreflang"]: view["href"] for view in views}


def test_x_default_is_the_default_languages_version() -> None:
    versions = {"de": "de/2023/gipfel/", "en": "en/2023/summit/"}
    assert links(alternates(versions, Urls(SETTINGS), "de")) == {
        "de": f"{S}/de/2023/gipfel/",
        "en": f"{S}/en/2023/summit/",
        "x-default": f"{S}/de/2023/gipfel/",
    }


def test_x_default_falls_back_to_the_first_version_there_is() -> None:
    """A story only in English still tells search engines which page to show everyone else."""
    assert links(alternates({"en": "en/2023/visit/"}, Urls(SETTINGS), "de")) == {
        "en": f"{S}/en/2023/visit/",
        "x-default": f"{S}/en/2023/visit/",
    }
    three = {"en": "en/x/", "fr": "fr/x/"}
    assert links(alternates(three, Urls(SETTINGS), "de"))["x-default"] == f"{S}/en/x/"


def test_x_default_can_be_a_page_of_its_own() -> None:
    homes = {"de": "de/", "en": "en/"}
    assert links(alternates(homes, Urls(SETTINGS), "de", x_default=""))["x-default"] == f"{S}/"


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
