"""The read stage: source files become plain data, every value keeps its line and column, and
whatever a content file never needs (aliases, language tags, duplicate keys, bad bytes) is
reported as a located problem instead of being loaded; and whatever the text, the reader never
raises."""

from __future__ import annotations

import json
import shlex
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest
import yaml
from dossier.diagnostics import Diagnostic
from dossier.read.source import Document, Position, field_name, read_article, read_entity
from hypothesis import HealthCheck, given, settings

from ..support.strategies import front_matter_like

Reader = Callable[[Path, str], Document]

# Line numbers on the right are the file's own: the front matter starts on line 2.
ARTICLE = """\
---
title: Kim trifft Putin
date: 2023-09-13T16:30:00+02:00
actors:
  - kim-jong-un
  - vladimir-putin
image:
  alt: "Zwei Männer"
wikidata: 7747
draft: false
---

Der Text beginnt hier.
---
Nach einer Trennlinie.
"""

ENTITY = """\
type: Person
name:
  de: Wladimir Putin
  en: Vladimir Putin
wikidata: Q7747
"""


def read(tmp_path: Path, content: str | bytes, reader: Reader = read_article) -> Document:
    """Write ``content`` byte for byte (no newline translation) and read it back."""
    name = "article.md" if reader is read_article else "entity.yaml"
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return reader(path, name)


def entity(tmp_path: Path, content: str | bytes) -> Document:
    return read(tmp_path, content, read_entity)


def only_problem(doc: Document) -> Diagnostic:
    assert len(doc.problems) == 1, doc.problems
    return doc.problems[0]


# --- plain data and positions -------------------------------------------------------------


def test_article_front_matter_becomes_plain_data(tmp_path: Path) -> None:
    doc = read(tmp_path, ARTICLE)
    assert doc.problems == []
    assert doc.data == {
        "title": "Kim trifft Putin",
        "date": "2023-09-13T16:30:00+02:00",
        "actors": ["kim-jong-un", "vladimir-putin"],
        "image": {"alt": "Zwei Männer"},
        "wikidata": 7747,
        "draft": False,
    }


@pytest.mark.parametrize(
    ("path", "line", "column"),
    [
        ((), 2, 1),
        (("title",), 2, 8),
        (("date",), 3, 7),
        (("actors",), 5, 3),
        (("actors", 0), 5, 5),
        (("actors", 1), 6, 5),
        (("image",), 8, 3),
        (("image", "alt"), 8, 8),
        (("wikidata",), 9, 11),
        (("draft",), 10, 8),
    ],
)
def test_value_positions_are_file_lines_and_columns(
    tmp_path: Path, path: tuple[str | int, ...], line: int, column: int
) -> None:
    doc = read(tmp_path, ARTICLE)
    assert doc.values[path] == Position(line, column)
    assert doc.value_at(path) == Position(line, column)


@pytest.mark.parametrize(
    ("path", "line", "column"),
    [
        (("title",), 2, 1),
        (("actors",), 4, 1),
        (("image",), 7, 1),
        (("image", "alt"), 8, 3),
        (("draft",), 10, 1),
    ],
)
def test_key_positions(tmp_path: Path, path: tuple[str | int, ...], line: int, column: int) -> None:
    doc = read(tmp_path, ARTICLE)
    assert doc.keys[path] == Position(line, column)


def test_list_items_have_no_key_and_fall_back_to_their_value(tmp_path: Path) -> None:
    doc = read(tmp_path, ARTICLE)
    assert ("actors", 1) not in doc.keys
    assert doc.key_at(("actors", 1)) == Position(6, 5)


def test_an_absent_path_is_located_at_the_nearest_enclosing_value(tmp_path: Path) -> None:
    doc = read(tmp_path, ARTICLE)
    assert doc.value_at(("actors", 7)) == Position(5, 3)
    assert doc.value_at(("image", "caption")) == Position(8, 3)
    assert doc.value_at(("nowhere",)) == Position(2, 1)


def test_positions_asked_later_are_those_of_the_text_that_was_read(tmp_path: Path) -> None:
    """A file that reads cleanly keeps its positions unworked until a diagnostic asks; they
    are then those of the text read, not of the file as it is by then, nor of the disk's file
    when other bytes were read (a planned change)."""
    doc = read(tmp_path, ARTICLE)
    (tmp_path / "article.md").write_text(ARTICLE.replace("---\n", "---\n\n\n", 1))
    assert doc.value_at(("actors", 1)) == Position(6, 5)
    assert doc.literals == {("wikidata",): "7747", ("draft",): "false"}
    planned = read_article(tmp_path / "article.md", "article.md", raw=ARTICLE.encode())
    assert planned.key_at(("image", "alt")) == Position(8, 3)
    assert entity(tmp_path, "\n" + ENTITY).values[("name", "en")] == Position(5, 7)


def test_entity_positions_start_on_the_first_line(tmp_path: Path) -> None:
    doc = entity(tmp_path, ENTITY)
    assert doc.problems == []
    assert doc.data["name"] == {"de": "Wladimir Putin", "en": "Vladimir Putin"}
    assert doc.keys[("type",)] == Position(1, 1)
    assert doc.keys[("name", "en")] == Position(4, 3)
    assert doc.values[("name", "en")] == Position(4, 7)
    assert doc.values[("wikidata",)] == Position(5, 11)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ((), ""),
        (("title",), "title"),
        (("actors", 1), "actors[1]"),
        (("image", "alt"), "image.alt"),
        (("actors", 0, "id"), "actors[0].id"),
        (("matrix", 0, 2), "matrix[0][2]"),
    ],
)
def test_field_name(path: tuple[str | int, ...], name: str) -> None:
    assert field_name(path) == name


# --- scalars ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "timestamp",
    [
        "2023-09-13T16:30:00+02:00",
        "2023-09-13T16:30:00Z",
        "2023-09-13T16:30:00.250-05:00",
        "2023-09-13 16:30:00 +02:00",
        "2023-09-13T16:30:00",  # naive: no time zone may be added
        "2023-09-13",
    ],
)
def test_timestamps_stay_text_exactly_as_written(tmp_path: Path, timestamp: str) -> None:
    doc = entity(tmp_path, f"when: {timestamp}\n")
    assert doc.problems == []
    assert doc.data == {"when": timestamp}
    assert doc.literals == {}


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("7747", 7747),
        ("-3", -3),
        ("1_000", 1000),
        ("0x1F", 31),
        ("1.5", 1.5),
        ("-0.25", -0.25),
        ("1.10", 1.1),
        ("true", True),
        ("false", False),
        ("null", None),
        ("~", None),
    ],
)
def test_non_text_scalars_are_converted_and_their_source_text_kept(
    tmp_path: Path, source: str, value: object
) -> None:
    doc = entity(tmp_path, f"field: {source}\n")
    assert doc.problems == []
    assert doc.data["field"] == value
    assert type(doc.data["field"]) is type(value)  # True is not 1, 1.0 is not 1
    assert doc.literals == {("field",): source}


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("'7747'", "7747"),
        ('"true"', "true"),
        ("!!str 7747", "7747"),
        ("Q7747", "Q7747"),
        ("kim-jong-un", "kim-jong-un"),
    ],
)
def test_text_stays_text_and_has_no_literal(tmp_path: Path, source: str, value: str) -> None:
    doc = entity(tmp_path, f"field: {source}\n")
    assert doc.data == {"field": value}
    assert doc.literals == {}


def test_literals_map_holds_exactly_the_non_text_scalars(tmp_path: Path) -> None:
    doc = entity(
        tmp_path,
        "name: Putin\nwikidata: 7747\nversion: 1.10\ngeo:\n  lat: 39.20\n"
        "tags:\n  - 2023\n  - text\ndraft: false\n",
    )
    assert doc.data["version"] == 1.1
    assert doc.literals == {
        ("wikidata",): "7747",
        ("version",): "1.10",
        ("geo", "lat"): "39.20",
        ("tags", 0): "2023",
        ("draft",): "false",
    }


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("!!int abc", "abc"),
        ("!!int ''", ""),
        ("!!float ''", ""),
        ("!!bool maybe", "maybe"),
    ],
)
def test_an_unconvertible_explicit_scalar_is_kept_as_text_without_raising(
    tmp_path: Path, source: str, text: str
) -> None:
    # "Nothing here raises on bad input": the schemas report the wrong type later.
    doc = entity(tmp_path, f"field: {source}\n")
    assert doc.problems == []
    assert doc.data == {"field": text}


# --- encodings and line endings -----------------------------------------------------------


@pytest.mark.parametrize("reader", [read_article, read_entity])
def test_a_byte_order_mark_is_accepted_and_invisible(tmp_path: Path, reader: Reader) -> None:
    text = ARTICLE if reader is read_article else ENTITY
    (tmp_path / "plain").mkdir()
    plain = read(tmp_path / "plain", text, reader)
    with_bom = read(tmp_path, "\ufeff" + text, reader)
    assert with_bom.problems == []
    assert with_bom.data == plain.data
    assert with_bom.values == plain.values
    assert with_bom.keys == plain.keys
    assert with_bom.body == plain.body


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["CRLF", "CR"])
def test_other_line_endings_give_the_same_data_and_positions(tmp_path: Path, newline: str) -> None:
    (tmp_path / "lf").mkdir()
    lf = read(tmp_path / "lf", ARTICLE)
    other = read(tmp_path, ARTICLE.replace("\n", newline))
    assert other.problems == []
    assert other.data == lf.data
    assert other.values == lf.values
    assert other.keys == lf.keys
    assert other.body == lf.body == "\nDer Text beginnt hier.\n---\nNach einer Trennlinie.\n"
    assert other.body_line == lf.body_line == 12


@pytest.mark.parametrize(
    ("content", "line", "column", "byte"),
    [
        (b"name: caf\xe9\n", 1, 10, "0xE9"),
        (b"type: Person\nname:\n  de: M\xfcller\n", 3, 8, "0xFC"),
        (b"type: Person\r\nname: caf\xe9\r\n", 2, 10, "0xE9"),
        (b"type: Person\rname: caf\xe9\r", 2, 10, "0xE9"),  # CR line endings are accepted
        ("name: Ärger ".encode() + b"\xff\n", 1, 13, "0xFF"),  # columns count characters
        (b"\xef\xbb\xbfname: caf\xe9\n", 1, 10, "0xE9"),  # the byte-order mark is invisible
    ],
    ids=["line-1", "line-3", "CRLF", "CR", "after-umlaut", "after-BOM"],
)
def test_bytes_that_are_not_utf8_are_located(
    tmp_path: Path, content: bytes, line: int, column: int, byte: str
) -> None:
    doc = entity(tmp_path, content)
    problem = only_problem(doc)
    assert (problem.code, problem.line, problem.column) == ("not-utf8", line, column)
    assert byte in problem.message
    assert doc.data is None


def test_bad_bytes_in_an_article_body_are_located_too(tmp_path: Path) -> None:
    doc = read(tmp_path, b"---\ntitle: x\n---\n\nCaf\xe9 Kim\n")
    problem = only_problem(doc)
    assert (problem.code, problem.line, problem.column) == ("not-utf8", 5, 4)


@pytest.mark.parametrize(
    ("content", "line", "column"),
    [
        (b"name: a\x00b\n", 1, 8),
        (b"type: Person\nname: a\x00\n", 2, 8),
        (b"type: Person\r\nname: a\x00\r\n", 2, 8),
        (b"type: Person\rname: a\x00\r", 2, 8),  # CR line endings are accepted
        (b"\xef\xbb\xbfname: a\x00b\n", 1, 8),
    ],
    ids=["line-1", "line-2", "CRLF", "CR", "after-BOM"],
)
def test_a_nul_byte_is_located(tmp_path: Path, content: bytes, line: int, column: int) -> None:
    doc = entity(tmp_path, content)
    problem = only_problem(doc)
    assert (problem.code, problem.line, problem.column) == ("nul-byte", line, column)
    assert doc.data is None


# --- front matter and body ----------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    ["title: x\n---\n", "", "\n---\ntitle: x\n---\n", "Nur Text.\n", "----\ntitle: x\n----\n"],
    ids=["no-opening-line", "empty-file", "blank-first-line", "text-only", "four-dashes"],
)
def test_missing_front_matter(tmp_path: Path, content: str) -> None:
    doc = read(tmp_path, content)
    problem = only_problem(doc)
    assert (problem.code, problem.line, problem.column) == ("front-matter-missing", 1, 1)
    assert doc.data is None


@pytest.mark.parametrize(
    "content",
    ["---", "---\n", "---\ntitle: x\n", "---\ntitle: x\n--\nText\n", "---\ntitle: x\n  ---\n"],
)
def test_unclosed_front_matter(tmp_path: Path, content: str) -> None:
    doc = read(tmp_path, content)
    problem = only_problem(doc)
    assert (problem.code, problem.line, problem.column) == ("front-matter-unclosed", 1, 1)
    assert doc.data is None


@pytest.mark.parametrize("closing", ["---", "...", "---  "])
def test_front_matter_closing_lines(tmp_path: Path, closing: str) -> None:
    doc = read(tmp_path, f"---  \ntitle: x\n{closing}\nText\n")
    assert doc.problems == []
    assert doc.data == {"title": "x"}
    assert doc.body == "Text\n"
    assert doc.body_line == 4


@pytest.mark.parametrize(
    "content",
    ["---\n---\n", "---\n\n---\nText\n", "---\n# nur ein Kommentar\n---\n"],
    ids=["nothing", "blank-line", "comment"],
)
def test_empty_front_matter_is_an_empty_mapping(tmp_path: Path, content: str) -> None:
    doc = read(tmp_path, content)
    assert doc.problems == []
    assert doc.data == {}


def test_an_empty_entity_is_an_empty_mapping(tmp_path: Path) -> None:
    doc = entity(tmp_path, "")
    assert doc.problems == []
    assert doc.data == {}


def test_the_body_starts_after_the_first_closing_line(tmp_path: Path) -> None:
    doc = read(tmp_path, ARTICLE)
    assert doc.body == "\nDer Text beginnt hier.\n---\nNach einer Trennlinie.\n"
    assert doc.body_line == 12  # the line right after the closing '---' on line 11


def test_a_body_may_be_empty(tmp_path: Path) -> None:
    doc = read(tmp_path, "---\ntitle: x\n---")
    assert doc.problems == []
    assert doc.body == ""
    assert doc.body_line == 4


@pytest.mark.parametrize(
    ("content", "reader", "line"),
    [
        ("---\n- a\n- b\n---\n", read_article, 2),
        ("---\nnur Text\n---\n", read_article, 2),
        ("- a\n- b\n", read_entity, 1),
    ],
)
def test_the_top_level_must_be_a_mapping(
    tmp_path: Path, content: str, reader: Reader, line: int
) -> None:
    doc = read(tmp_path, content, reader)
    problem = only_problem(doc)
    assert (problem.code, problem.line, problem.column) == ("not-a-mapping", line, 1)
    assert doc.data is None


def test_yaml_syntax_errors_are_located_on_the_file_line(tmp_path: Path) -> None:
    doc = read(tmp_path, "---\ntitle: x\nsummary: Kim: Gipfel\n---\n")
    problem = only_problem(doc)
    assert (problem.code, problem.line, problem.column) == ("yaml-syntax", 3, 13)
    assert doc.data is None


# --- duplicate keys -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "field", "line", "column", "first"),
    [
        ("title: a\nlang: de\ntitle: b\n", "title", 3, 1, 1),
        ("image:\n  alt: x\n  alt: y\n", "image.alt", 3, 3, 2),
        ("actors:\n  - id: a\n    role: b\n    id: c\n", "actors[0].id", 4, 5, 2),
        ("actors: [{id: a, id: b}]\n", "actors[0].id", 1, 18, 1),
    ],
    ids=["top-level", "nested", "in-list-item", "flow"],
)
def test_a_duplicate_key_is_reported_with_both_lines(
    tmp_path: Path, content: str, field: str, line: int, column: int, first: int
) -> None:
    doc = entity(tmp_path, content)
    problem = only_problem(doc)
    assert (problem.code, problem.field) == ("duplicate-field", field)
    assert (problem.line, problem.column) == (line, column)
    assert f"line {first}" in problem.message
    assert doc.data is None


def test_a_duplicate_key_in_front_matter_uses_file_lines(tmp_path: Path) -> None:
    doc = read(tmp_path, "---\ntitle: a\nlang: de\ntitle: b\n---\nText\n")
    problem = only_problem(doc)
    assert (problem.code, problem.field, problem.line) == ("duplicate-field", "title", 4)
    assert "line 2" in problem.message


# --- aliases ------------------------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb: 9 ** levels copies of "lol" if ever expanded."""
    names = "abcdefghijklmnop"[:levels]
    lines = [f"a: &a [{','.join(['lol'] * 9)}]"]
    for previous, name in pairwise(names):
        lines.append(f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_quickly_and_never_expanded(tmp_path: Path) -> None:
    start = time.perf_counter()
    doc = entity(tmp_path, billion_laughs())
    elapsed = time.perf_counter() - start
    problem = only_problem(doc)
    assert problem.code == "yaml-alias"
    assert (problem.line, problem.column) == (2, 8)  # the first '*a'
    assert doc.data is None
    assert len(doc.values) < 20  # reading stopped at the first alias
    assert elapsed < 1.0


@pytest.mark.parametrize(
    ("content", "line", "column"),
    [
        ("a: &x 1\nb: *x\n", 2, 4),
        ("base: &b {lat: 1, lon: 2}\nother: *b\n", 2, 8),
        ("a: &a [*a]\n", 1, 8),  # recursive
        ("items:\n  - &x kim\n  - *x\n", 3, 5),
    ],
    ids=["scalar", "mapping", "recursive", "list-item"],
)
def test_an_alias_is_refused_where_it_is_used(
    tmp_path: Path, content: str, line: int, column: int
) -> None:
    doc = entity(tmp_path, content)
    problem = only_problem(doc)
    assert (problem.code, problem.line, problem.column) == ("yaml-alias", line, column)
    assert doc.data is None


def test_an_alias_in_front_matter_is_located_on_the_file_line(tmp_path: Path) -> None:
    doc = read(tmp_path, "---\ntitle: &t Kim\nheadline: *t\n---\n")
    problem = only_problem(doc)
    assert (problem.code, problem.line, problem.column) == ("yaml-alias", 3, 11)


# --- tags ---------------------------------------------------------------------------------


def system_call(marker: Path) -> str:
    command = f"touch {shlex.quote(str(marker))}"
    return f"!!python/object/apply:os.system [{json.dumps(command)}]"


def test_the_tag_payload_is_live_under_an_unsafe_loader(tmp_path: Path) -> None:
    """Control: the payload below really runs a command, so refusing it is meaningful."""
    marker = tmp_path / "control"
    yaml.unsafe_load(f"cmd: {system_call(marker)}\n")  # deliberately unsafe: the control
    assert marker.exists()


@pytest.mark.parametrize("reader", [read_article, read_entity])
def test_a_python_tag_is_refused_and_nothing_runs(tmp_path: Path, reader: Reader) -> None:
    marker = tmp_path / "marker"
    fields = f"title: x\ncmd: {system_call(marker)}\n"
    content = f"---\n{fields}---\n" if reader is read_article else fields
    doc = read(tmp_path, content, reader)
    problem = only_problem(doc)
    assert (problem.code, problem.field) == ("yaml-tag", "cmd")
    assert "!!python/object/apply:os.system" in problem.message
    line = 3 if reader is read_article else 2
    assert (problem.line, problem.column) == (line, 6)
    assert doc.data is None
    assert not marker.exists()


@pytest.mark.parametrize(
    ("content", "field", "tag"),
    [
        ("run: !!python/name:os.system\n", "run", "!!python/name:os.system"),
        ("data: !!binary aGFsbG8=\n", "data", "!!binary"),
        ("tags: !!set {a, b}\n", "tags", "!!set"),
        ("order: !!omap [a: 1, b: 2]\n", "order", "!!omap"),
        ("name: !custom Kim\n", "name", "!custom"),
        ("actors:\n  - !!python/tuple [a, b]\n", "actors[0]", "!!python/tuple"),
    ],
)
def test_other_tags_are_refused(tmp_path: Path, content: str, field: str, tag: str) -> None:
    doc = entity(tmp_path, content)
    problem = only_problem(doc)
    assert (problem.code, problem.field) == ("yaml-tag", field)
    assert f"'{tag}'" in problem.message
    assert doc.data is None


# --- nesting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("depth", "line", "column"),
    [(21, 2, 28), (5_000, 2, 28), (100_000, 2, 28)],
    ids=["just-too-deep", "deep", "deep-enough-to-crash-libyaml"],
)
def test_values_nested_too_deep_are_located_and_never_composed(
    tmp_path: Path, depth: int, line: int, column: int
) -> None:
    """A few hundred levels exhaust Python's stack and a few tens of thousands libyaml's C stack
    (a segmentation fault, not even a traceback); no field nests more than three."""
    doc = read(tmp_path, f"---\ntitle: {'[' * depth}{']' * depth}\n---\n")
    problem = only_problem(doc)
    assert (problem.code, problem.field, problem.line, problem.column) == (
        "too-deep", "title", line, column,
    )  # fmt: skip
    assert "20 levels" in problem.message
    assert doc.data is None


def test_nesting_in_block_style_is_refused_too(tmp_path: Path) -> None:
    items = "".join("- " for _ in range(30_000))
    doc = entity(tmp_path, f"aliases:\n  {items}x\n")
    problem = only_problem(doc)
    assert (problem.code, problem.field, problem.line) == ("too-deep", "aliases", 2)
    indented = "".join(f"{'  ' * i}a:\n" for i in range(25))
    problem = only_problem(entity(tmp_path, indented))
    assert (problem.code, problem.field, problem.line, problem.column) == ("too-deep", "a", 22, 43)


def test_twenty_levels_are_read() -> None:
    text = "x: " + "[" * 20 + "1" + "]" * 20 + "\n"
    doc = Document(Path("x.yaml"), "x.yaml")
    from dossier.read.source import _read_yaml

    _read_yaml(doc, text, 1)
    assert doc.problems == []


# --- characters no content needs ----------------------------------------------------------


def test_raw_control_characters_are_located_in_front_matter_and_body(tmp_path: Path) -> None:
    doc = read(
        tmp_path,
        "---\ntitle: Kim\x1b[2J meets\nsummary: ok\x7f\n---\nText\x07 here\n\tTab\x0b\x0c\x85 ok\n",
    )
    found = [(p.line, p.column, p.field, p.message) for p in doc.problems]
    assert found == [
        (2, 11, "title", "contains the control character U+001B"),
        (3, 12, "summary", "contains the control character U+007F"),
        (5, 5, "text", "contains the control character U+0007"),
        (6, 5, "text", "contains the control character U+000B"),  # one per line
    ]
    assert {p.code for p in doc.problems} == {"control-character"}
    assert doc.data is None  # YAML cannot read a control character: it stops there


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_a_pasted_line_separator_is_reported_on_its_own_line(tmp_path: Path, char: str) -> None:
    """YAML reads U+2028, U+2029 and U+0085 as line breaks, no editor does: every line number
    after one would be off by one, and a plain value would become a syntax error."""
    doc = read(tmp_path, f"---\ntitle: Kim{char}meets Putin\nslug: summit\nlang: 1\n---\n")
    problem = only_problem(doc)
    assert (problem.line, problem.column, problem.field) == (2, 11, "title")
    assert problem.message.startswith(f"contains U+{ord(char):04X}")
    assert "line break" in problem.message
    assert doc.values[("lang",)] == Position(4, 7)  # the lines after it are the file's own


def test_a_line_separator_in_a_body_is_text(tmp_path: Path) -> None:
    doc = read(tmp_path, "---\ntitle: x\n---\nOne\u2028two\u2029three\n")
    assert doc.problems == []


def test_a_character_yaml_cannot_read_is_located(tmp_path: Path) -> None:
    doc = entity(tmp_path, 'name:\n  de: "Kim\ufffe"\n')
    problem = only_problem(doc)
    assert (problem.line, problem.column, problem.field) == (2, 11, "name.de")
    assert problem.message == "contains U+FFFE, which is no character"


# --- generated input ----------------------------------------------------------------------

QUICK = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@QUICK
@given(text=front_matter_like)
def test_the_reader_never_raises(tmp_path: Path, text: str) -> None:
    path = tmp_path / "any.en.md"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    doc = read_article(path, "any.en.md")
    assert doc.data is None or isinstance(doc.data, dict)
    assert all(p.line >= 1 and p.column >= 1 for p in doc.problems)
