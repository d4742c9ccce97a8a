"""Diagnostics: one located problem each, formatted like a compiler's (``path:line:col: …``).

What a diagnostic says may come from content (a file name, a value quoted in a message), so the
text forms print it with ``printable``: one problem stays one line, and no content can move the
cursor, colour a terminal or print a line of its own ("All content is valid.").
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from dossier.words import alternatives, plural

# An error stops the build and fails a check; a warning is worth knowing and fails nothing; a note
# is a suggestion (``dossier suggest``), shown only when asked for.
Severity = Literal["error", "warning", "note"]

# What text output never prints as it is: the C0 and C1 control characters (escape sequences,
# carriage returns, line feeds), DEL, the Unicode line and paragraph separators, and the
# bidirectional controls, which can make a line read differently from what it says.
UNPRINTABLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f"  # C0, DEL, C1
    r"\u2028\u2029"  # line and paragraph separators
    r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"  # the bidirectional controls
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# The same less the C0 controls, which JSON escapes itself (and whose line feeds lay it out).
_UNPRINTABLE_IN_JSON = re.compile(
    r"[\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def printable(text: str, keep: str = "") -> str:
    """``text`` with every character of ``UNPRINTABLE`` but those in ``keep`` written as an
    escape (``\\n``, ``\\x1b``, ``\\u202e``), as Python writes them in a string literal."""
    return UNPRINTABLE.sub(lambda found: _escape_character(found.group(), keep), text)


def _escape_character(char: str, keep: str) -> str:
    if char in keep:
        return char
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


# order=True compares the fields in this order (path, line, column, …): the order of the output.
@dataclass(frozen=True, order=True, kw_only=True)
class Diagnostic:
    path: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    code: str = "invalid"
    severity: Severity = "error"

    def format(self) -> str:
        """One line: ``path:line:col: [warning: ][field: ]message[; hint]``, printable."""
        return f"{self.where()}{self.text()}"

    def where(self) -> str:
        return f"{printable(self.path)}:{self.line}:{self.column}: "

    def text(self) -> str:
        """The line without where: the level, field, message and hint, printable."""
        level = "" if self.severity == "error" else f"{self.severity}: "
        field = f"{self.field}: " if self.field else ""
        hint = f"; {self.hint}" if self.hint else ""
        return printable(f"{level}{field}{self.message}{hint}")


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def summary(diagnostics: list[Diagnostic]) -> str:
    errors = [d for d in diagnostics if d.severity == "error"]
    warnings = sum(d.severity == "warning" for d in diagnostics)
    notes = sum(d.severity == "note" for d in diagnostics)
    files = len({d.path for d in errors})
    if not errors and not warnings:
        valid = "All content is valid."
        return f"{valid[:-1]}; {plural(notes, 'note')}." if notes else valid
    parts = []
    if errors:
        parts.append(f"{plural(len(errors), 'error')} in {plural(files, 'file')}")
    if warnings:
        parts.append(plural(warnings, "warning"))
    if notes:
        parts.append(plural(notes, "note"))
    return f"Found {alternatives(parts, 'and')}."


def format_text(diagnostics: list[Diagnostic]) -> str:
    lines = [d.format() for d in diagnostics]
    lines.append(summary(diagnostics))
    return "\n".join(lines)


def format_json(diagnostics: list[Diagnostic]) -> str:
    """The diagnostics as JSON, every string whole. json escapes the C0 controls; the other
    characters text output escapes are written as ``\\uXXXX`` too, so that printing the JSON
    to a terminal is as safe as printing the text (the data is the same)."""
    text = json.dumps(
        {
            "diagnostics": [asdict(d) for d in diagnostics],
            "errors": sum(d.severity == "error" for d in diagnostics),
            "warnings": sum(d.severity == "warning" for d in diagnostics),
            "notes": sum(d.severity == "note" for d in diagnostics),
        },
        ensure_ascii=False,
        indent=2,
    )
    # Only inside strings can such a character be (JSON's own syntax is ASCII).
    return _UNPRINTABLE_IN_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


# GitHub's annotation levels: a note is a "notice".
_GITHUB_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def format_github(diagnostics: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on its file and line
    in the pull request; the summary stays a plain log line."""
    lines = []
    for d in diagnostics:
        # Only a file of the checkout can carry an annotation (not "settings"), by a name that
        # needs no escape.
        where = ""
        if Path(d.path).is_file() and printable(d.path) == d.path:
            where = f"file={_escape(printable(d.path), True)},line={d.line},col={d.column},"
        title = _escape(printable(f"dossier check: {d.code}"), True)
        command = _GITHUB_COMMANDS[d.severity]
        lines.append(f"::{command} {where}title={title}::{_escape(d.text())}")
    lines.append(summary(diagnostics))
    return "\n".join(lines)


def _escape(text: str, in_property: bool = False) -> str:
    """GitHub's escaping for workflow commands (its toolkit's escapeData/escapeProperty)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if in_property else text


class ContentError(Exception):
    """Raised at the edge (the build) when validation found errors; carries every diagnostic."""

    exitcode = 1

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__(format_text(diagnostics))
