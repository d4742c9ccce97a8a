"""Diagnostics cannot be spoofed: whatever content puts in a path, a field, a message or a hint,
the text form prints one line per problem, with no control character a terminal or a CI log
would obey, and the JSON form stays JSON holding the same strings."""

from __future__ import annotations

import json
import re

import pytest
from dossier.diagnostics import (
    Diagnostic,
    format_github,
    format_json,
    format_text,
    has_errors,
    printable,
    summary,
)

# What content could try to print: a fake verdict on a line of its own, a screen clear and a
# colour, a carriage return that overwrites the line, C1 controls (U+009B is CSI on its own),
# Unicode line and paragraph separators, and a right-to-left override that reverses the rest.
SPOOFS = [
    "\nAll content is valid.",
    "\x1b[2J\x1b[32mAll content is valid.\x1b[0m",
    "\rAll content is valid.",
    "\x9b2J\x85All content is valid.",
    "\u2028All content is valid.\u2029",
    "\u202eAll content is valid.\u2066\u2069\u200f",
    "\x07\x08\x0b\x0c\x7f",
]


def hostile(text: str) -> Diagnostic:
    return Diagnostic(
        path=f"content/images/x{text}.png",
        line=3,
        column=7,
        field=f"title{text}",
        message=f"'{text}' is not one of: a, b",
        hint=f"write {text}",
    )


def visible(text: str) -> bool:
    """Nothing but printable characters (no Cc, no line or paragraph separators, no bidi)."""
    return not re.search(
        r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", text
    )


@pytest.mark.parametrize("text", SPOOFS)
def test_the_text_form_prints_one_visible_line_per_problem(text: str) -> None:
    diagnostics = [hostile(text), hostile(text)]
    lines = format_text(diagnostics).split("\n")
    assert len(lines) == 3
    assert lines[-1] == summary(diagnostics) == "Found 2 errors in 1 file."
    assert all(visible(line) for line in lines)
    assert lines[0].startswith("content/images/x")
    assert lines[0] == lines[1]
    assert "All content is valid." not in lines[-1]
    assert len("".join(lines).splitlines()) == 1  # nothing str.splitlines takes for a break


@pytest.mark.parametrize("text", SPOOFS)
def test_the_json_form_holds_the_same_strings_and_prints_nothing_hidden(text: str) -> None:
    diagnostic = hostile(text)
    printed = format_json([diagnostic])
    assert visible(printed.replace("\n", ""))
    (data,) = json.loads(printed)["diagnostics"]
    assert Diagnostic(**data) == diagnostic


@pytest.mark.parametrize("text", SPOOFS)
def test_the_github_form_is_one_workflow_command_per_problem(text: str) -> None:
    lines = format_github([hostile(text)]).split("\n")
    assert len(lines) == 2
    assert lines[0].startswith("::error title=dossier check%3A invalid::")
    assert all(visible(line) for line in lines)


def test_printable_escapes_as_python_writes_escapes_and_keeps_the_rest() -> None:
    assert printable("a\nb\rc\td\x1b[0m\x85\u2028\u202e") == (
        "a\\nb\\rc\\td\\x1b[0m\\x85\\u2028\\u202e"
    )
    assert printable("Kim trifft Putin – «Gipfel» 🇰🇵 \u200b") == (
        "Kim trifft Putin – «Gipfel» 🇰🇵 \u200b"  # no control character: unchanged
    )
    assert printable("line\n\tindented\x1b", keep="\n\t") == "line\n\tindented\\x1b"
    assert printable(printable("\x1b\n")) == printable("\x1b\n")  # once is enough


def test_a_diagnostic_keeps_its_values_as_they_are() -> None:
    """Escaping is for printing: the object (and so the JSON, and the sort order) is whole."""
    diagnostic = hostile("\n")
    assert diagnostic.path == "content/images/x\n.png"
    assert diagnostic.format() == (
        "content/images/x\\n.png:3:7: title\\n: '\\n' is not one of: a, b; write \\n"
    )


def test_a_note_is_a_level_of_its_own_in_every_form_and_fails_nothing() -> None:
    def made(severity: str) -> Diagnostic:
        return Diagnostic(
            path="a.md", line=3, column=7, field="text", message="m", code="c", severity=severity
        )

    note, warning, error = made("note"), made("warning"), made("error")
    assert note.format() == "a.md:3:7: note: text: m"
    assert not has_errors([note, warning])
    assert summary([note]) == "All content is valid; 1 note."
    assert summary([note, note, warning]) == "Found 1 warning and 2 notes."
    assert summary([error, warning, note]) == "Found 1 error in 1 file, 1 warning and 1 note."
    counts = json.loads(format_json([note, error]))
    assert (counts["errors"], counts["warnings"], counts["notes"]) == (1, 0, 1)
    assert (
        format_github([note]).splitlines()[0] == "::notice title=dossier check%3A c::note: text: m"
    )
