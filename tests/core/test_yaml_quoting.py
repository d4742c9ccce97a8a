"""The pieces that make what the commands write read back as written: which strings may be
written plain, and how a --set value is made to read as the text its field wants. The commands
themselves, with every value through every write path: tests/site/test_edit_quoting.py."""

from __future__ import annotations

import pytest
from dossier.editing import roundtrip, scaffold
from dossier.schemas import load_schemas
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..conftest import REPO

SCHEMAS = load_schemas(REPO / "schema")


@pytest.mark.parametrize(
    "text",
    # The reader's YAML 1.1 misreads, other tools' (y, 1e3, dates), and the empty text.
    ["no", "on", "OFF", "y", "N", "true", "null", "~", "", "1e3", "0x1F", "0o17", "1_000",
     "12:30:00", ".inf", ".nan", "=", "<<", "2023-09-13", "2023-09-13T12:30:00+02:00", "0",
     "-1", "+.5"],
)  # fmt: skip
def test_what_is_quoted(text: str) -> None:
    assert not roundtrip.plain(text)
    assert isinstance(roundtrip.text(text), DoubleQuotedScalarString)


@pytest.mark.parametrize(
    "text", ["kim-jong-un", "nope", "no-fly-zone", "x1", "1st", "Q56226", "2023-report", "o"]
)
def test_what_stays_plain(text: str) -> None:
    assert roundtrip.plain(text)
    assert type(roundtrip.text(text)) is str


def test_an_edited_document_writes_the_quoted_text() -> None:
    document = roundtrip.load("topics: [a, b]\nabout:\n  - a\n")
    document.data["topics"][0] = roundtrip.text("no")
    document.data["about"][0] = roundtrip.text("on")
    document.data["topics"][1] = roundtrip.text("c")
    assert document.dump() == 'topics: ["no", c]\nabout:\n  - "on"\n'


@pytest.mark.parametrize(
    ("kind", "key", "typed", "written"),
    [
        ("sanctions", "identifier", "1718", '"1718"'),
        ("sanctions", "identifier", "no", '"no"'),
        ("sanctions", "identifier", "~", '"~"'),
        ("sanctions", "identifier", "=", '"="'),
        ("sanctions", "identifier", "S/RES/1718 (2006)", "S/RES/1718 (2006)"),
        ("sanctions", "identifier", '"quoted"', '"quoted"'),
        ("sanctions", "identifier", "a: b", '"a: b"'),
        ("sanctions", "adopted", "2006-10-14", "2006-10-14"),  # a date stays as it is
        ("actors", "type", "Person", "Person"),
        ("actors", "nationality", "no", '"no"'),
        ("topics", "aliases", "[no, Missiles, 1e3]", '["no", Missiles, "1e3"]'),
        ("topics", "aliases", "[a, b]", "[a, b]"),  # nothing to quote: as typed
        ("topics", "description", "{de: ja, en: yes}", '{de: ja, en: "yes"}'),
        ("locations", "geo", "{lat: 39.0, lon: 125.7}", "{lat: 39.0, lon: 125.7}"),  # numbers
        ("events", "participants", "[on, off]", '["on", "off"]'),
    ],
)
def test_a_set_value_reads_as_the_text_its_field_wants(
    kind: str, key: str, typed: str, written: str
) -> None:
    assert scaffold.field_value(SCHEMAS, kind, key, typed) == written
