"""The date parsing the schemas rely on: a date and time with a UTC offset, and a calendar date,
and nothing else."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from dossier.schemas import CONTROL, FORMATS, is_blank, parse_date, parse_datetime

# --- parse_datetime -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2023-09-13T12:30:00+02:00",
            datetime(2023, 9, 13, 12, 30, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("2023-09-13T12:30:00Z", datetime(2023, 9, 13, 12, 30, tzinfo=UTC)),
        ("2023-09-13T12:30:00+00:00", datetime(2023, 9, 13, 12, 30, tzinfo=UTC)),
        (
            "2023-09-13T12:30:00.5-05:00",
            datetime(2023, 9, 13, 12, 30, 0, 500000, tzinfo=timezone(timedelta(hours=-5))),
        ),
        (
            "2023-09-13 12:30+09:00",
            datetime(2023, 9, 13, 12, 30, tzinfo=timezone(timedelta(hours=9))),
        ),
        ("2024-02-29T23:59:59+00:00", datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC)),
    ],
)
def test_parse_datetime_accepts_a_date_and_time_with_an_offset(
    text: str, expected: datetime
) -> None:
    result = parse_datetime(text)
    assert result == expected
    assert result.utcoffset() == expected.utcoffset()  # the offset is kept, not converted


@pytest.mark.parametrize(
    "text",
    [
        "2023-09-13T12:30:00",  # naive: no offset
        "2023-09-13",  # date only
        "2023-13-45T00:00:00+00:00",
        "2023-02-29T12:00:00+00:00",
        "2023-09-13T25:00:00+00:00",
        "2023-09-13T12:60:00+00:00",
        "2023-09-13T12:30:00+24:00",
        "2023-09-13T12:30:00+0200",
        "2023-09-13T12:30:00 +02:00",
        " 2023-09-13T12:30:00Z",
        "2023-09-13T12:30:00Z trailing",
        "2023-9-13T12:30:00+02:00",
        "２０２３-09-13T12:30:00+02:00",  # full-width digits
        "13.09.2023 12:30 +02:00",
        "yesterday",
        "",
    ],
)
def test_parse_datetime_refuses_everything_else(text: str) -> None:
    assert parse_datetime(text) is None


# --- parse_date ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-09-13", date(2023, 9, 13)),
        ("2024-02-29", date(2024, 2, 29)),
        ("0001-01-01", date(1, 1, 1)),
    ],
)
def test_parse_date_accepts_a_calendar_date(text: str, expected: date) -> None:
    result = parse_date(text)
    assert result == expected
    assert type(result) is date


@pytest.mark.parametrize(
    "text",
    [
        "2023-02-29",
        "2023-13-01",
        "2023-09-31",
        "2023-9-13",
        "20230913",
        "2023-W37-3",
        "2023-09-13T00:00:00+00:00",
        "2023-09-13 ",
        "13.09.2023",
        "٢٠٢٣-٠٩-١٣",  # Arabic-Indic digits
        "",
    ],
)
def test_parse_date_refuses_everything_else(text: str) -> None:
    assert parse_date(text) is None


# --- the text format ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "\u200b",  # zero width space
        "\ufeff",  # byte order mark (zero width no-break space)
        "\u00ad",  # soft hyphen
        "\u2060",  # word joiner
        "\u200b \u200c\u200d\u2060\u00ad\ufeff",
        "\u200e\u200f",  # direction marks alone
        "\u3164",  # Hangul filler
        "\u2800",  # blank Braille pattern
        "\ufe0f",  # a variation selector
        " \t\n",
        "",
    ],
)
def test_a_text_of_invisible_characters_is_blank(text: str) -> None:
    assert is_blank(text)
    assert not FORMATS.conforms(text, "text")


@pytest.mark.parametrize(
    "text", ["Kim", "\u200bKim\u00ad", "🇰🇵", "👨\u200d👩\u200d👧", "שלום\u200f"]
)
def test_a_text_that_shows_something_is_not_blank(text: str) -> None:
    assert not is_blank(text)
    assert FORMATS.conforms(text, "text")


@pytest.mark.parametrize(
    "char",
    [
        *"\x01\x07\x08\x0b\x0c\x1b\x7f\x80\x85\x9b\x9f",  # C0 but tab and line ends, DEL, C1
        "\u2028",  # line separator
        "\u2029",  # paragraph separator
        *"\u202a\u202b\u202c\u202d\u202e",  # embeddings, overrides, pop
        *"\u2066\u2067\u2068\u2069",  # isolates
    ],
)
def test_a_text_with_a_control_character_is_refused(char: str) -> None:
    assert CONTROL.search(f"Kim {char} Putin")
    assert not FORMATS.conforms(f"Kim {char} Putin", "text")


@pytest.mark.parametrize("text", ["a\tb", "a\nb", "a\r\nb", "ab\u200e", "«»–—…"])
def test_tabs_line_breaks_and_marks_are_text(text: str) -> None:
    assert FORMATS.conforms(text, "text")
