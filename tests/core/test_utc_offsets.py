"""The UTC offsets that hints and examples give editors: those of the newsroom's time zone
(TIMEZONE) on the date in question, daylight saving time included, never a fixed '+02:00'."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from dossier.schemas import utc_offset

from ..conftest import FIXTURES, Site, make_site


@pytest.mark.parametrize(
    ("local", "timezone", "offset"),
    [
        (datetime(2023, 12, 5, 12, 30), "Europe/Berlin", "+01:00"),
        (datetime(2023, 7, 27, 15, 0), "Europe/Berlin", "+02:00"),
        (date(2024, 1, 15), "Europe/Berlin", "+01:00"),
        (date(2024, 3, 31), "Europe/Berlin", "+02:00"),  # noon, after the switch at 2:00
        (datetime(2024, 3, 31, 1, 30), "Europe/Berlin", "+01:00"),  # before it
        (datetime(2023, 12, 5, 12, 30), "America/New_York", "-05:00"),
        (datetime(2023, 7, 27, 15, 0), "America/New_York", "-04:00"),
        (datetime(2023, 7, 27, 15, 0), "Asia/Seoul", "+09:00"),
        (datetime(2023, 12, 5, 12, 30), "Asia/Kolkata", "+05:30"),
        (datetime(2023, 7, 27, 15, 0), "UTC", "+00:00"),
        (datetime(2023, 7, 27, 15, 0), "Mars/Olympus_Mons", "+00:00"),  # unknown: UTC
    ],
)
def test_the_offset_is_the_zones_on_that_date(local, timezone: str, offset: str) -> None:
    assert utc_offset(local, timezone) == offset


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return make_site(tmp_path / "site", FIXTURES / "site" / "content")


def hints(site: Site, written: str, modified: str = "2023-12-31T18:00:00+01:00") -> dict[str, str]:
    """What check hints for the article's date and modified when written as given."""
    path = site.content / "articles/2023/summit.de.md"
    text = re.sub(r"(?m)^date: .*$", f"date: '{written}'", path.read_text(encoding="utf-8"))
    text = re.sub(r"(?m)^modified: .*$", f"modified: '{modified}'", text)
    path.write_text(text, encoding="utf-8")
    result = site.run("check", "--format", "json")
    return {d["field"]: d["hint"] for d in json.loads(result.output)["diagnostics"]}


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("2023-12-05T12:30:00", "add the UTC offset, e.g. 2023-12-05T12:30:00+01:00"),
        ("2023-07-27 15:00", "add the UTC offset, e.g. 2023-07-27 15:00+02:00"),
        ("2023-12-05", "write e.g. 2023-12-05T12:00:00+01:00"),
        ("2023-07-05", "write e.g. 2023-07-05T12:00:00+02:00"),
        ("13.09.2023", "write e.g. 2023-09-13T14:30:00+02:00"),
    ],
)
def test_check_hints_berlins_offset_on_the_date_written(
    site: Site, written: str, hint: str
) -> None:
    assert hints(site, written)["date"] == hint


def test_another_time_zone_gives_its_own_offset(site: Site) -> None:
    settings = site.root / "settings.py"
    settings.write_text(settings.read_text() + 'TIMEZONE = "America/New_York"\n')
    assert hints(site, "2023-12-05T12:30:00")["date"] == (
        "add the UTC offset, e.g. 2023-12-05T12:30:00-05:00"
    )
    found = hints(site, "2023-06-05T12:30:00-04:00", "2023-07-05")
    assert found["modified"] == "write e.g. 2023-07-05T12:00:00-04:00"
