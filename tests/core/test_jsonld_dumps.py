"""JSON-LD serialization for a <script> element (the date parsing the schemas rely on is in
tests/core/test_schemas.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from dossier.enrich.jsonld import dumps

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
