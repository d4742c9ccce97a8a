"""JSON-LD serialization for a <script> element, and the date parsing the schemas rely on."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from dossier.enrich.jsonld import dumps
from dossier.schemas import parse_date, parse_datetime

HOSTILE = [
    "</script><script>alert(1)</script>",
    "</SCRIPT >",
    "a & b",
    "<!-- <script>",
    "]]>",
    "&amp; &lt; &#60;",
    "x\u2028y\u2029z",
    "\\u003c is a literal backslash escape",
    "backslash before markup \\</script>",
    "\"double\" and 'single' quotes",
    "Ärger um „Zitate“ – 🚀",
    "control \x00 \x1f characters",
]

UNSAFE_IN_SCRIPT = ["<", ">", "&", "\u2028", "\u2029"]


def reversed_insertion(value: Any) -> Any:
    """The same JSON value with every mapping's keys inserted in reverse order."""
    if isinstance(value, dict):
        return {k: reversed_insertion(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [reversed_insertion(v) for v in value]
    return value


GRAPH = {
    "@context": "https://schema.org",
    "@graph": [
        {
            "@type": "NewsArticle",
            "@id": "https://example.org/de/2023/kim-putin/#article",
            "headline": "Kim trifft Putin in Wostotschny",
            "about": [{"@id": "https://example.org/id/actors/kim-jong-un"}],
            "isAccessibleForFree": True,
        },
        {
            "@type": "Place",
            "@id": "https://example.org/id/locations/sunan",
            "geo": {"@type": "GeoCoordinates", "latitude": 39.2, "longitude": 125.67},
        },
    ],
}


# --- dumps --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_cannot_close_the_script_yet_reads_back_exactly(text: str) -> None:
    graph = {"headline": text, "about": [{"name": text}], text: "as a key"}
    out = dumps(graph)
    for character in UNSAFE_IN_SCRIPT:
        assert character not in out
    assert json.loads(out) == graph


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ],
)
def test_unsafe_characters_become_unicode_escapes(text: str, escaped: str) -> None:
    assert dumps({"t": f"a{text}b"}) == f'{{"t":"a{escaped}b"}}'


def test_the_script_breaking_sequence_is_gone() -> None:
    out = dumps({"headline": "</script><script>alert(1)</script>"})
    assert "</script" not in out.lower()
    assert "<script" not in out.lower()


def test_keys_are_sorted_at_every_level() -> None:
    out = dumps({"b": 1, "a": {"d": [{"z": 1, "y": 2}], "c": 3}})
    assert out == '{"a":{"c":3,"d":[{"y":2,"z":1}]},"b":1}'


def test_the_same_graph_gives_the_same_text_whatever_the_insertion_order() -> None:
    other = reversed_insertion(GRAPH)
    assert list(other) != list(GRAPH)  # the copy really is in another order
    assert dumps(GRAPH) == dumps(GRAPH) == dumps(other)
    assert json.loads(dumps(other)) == GRAPH


def test_list_order_is_kept() -> None:
    assert json.loads(dumps({"sameAs": ["c", "a", "b"]})) == {"sameAs": ["c", "a", "b"]}


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_numbers_never_become_invalid_json(number: float) -> None:
    # A browser's JSON.parse and every JSON-LD consumer reject NaN and Infinity; refusing to
    # serialize is acceptable, emitting them is not.
    try:
        out = dumps({"geo": {"latitude": number, "longitude": 125.67}})
    except ValueError:
        return
    json.loads(out, parse_constant=_refuse_constant)


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
