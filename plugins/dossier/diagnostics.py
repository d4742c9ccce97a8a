"""Diagnostics: one located problem each, formatted like a compiler's (``path:line:col: …``)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from dossier.words import plural

Severity = Literal["error", "warning"]


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
        where = f"{self.path}:{self.line}:{self.column}: "
        level = "warning: " if self.severity == "warning" else ""
        field = f"{self.field}: " if self.field else ""
        hint = f"; {self.hint}" if self.hint else ""
        return f"{where}{level}{field}{self.message}{hint}"


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def summary(diagnostics: list[Diagnostic]) -> str:
    errors = [d for d in diagnostics if d.severity == "error"]
    warnings = len(diagnostics) - len(errors)
    files = len({d.path for d in errors})
    if not diagnostics:
        return "All content is valid."
    parts = []
    if errors:
        parts.append(f"{plural(len(errors), 'error')} in {plural(files, 'file')}")
    if warnings:
        parts.append(plural(warnings, "warning"))
    return "Found " + " and ".join(parts) + "."


def format_text(diagnostics: list[Diagnostic]) -> str:
    lines = [d.format() for d in diagnostics]
    lines.append(summary(diagnostics))
    return "\n".join(lines)


def format_json(diagnostics: list[Diagnostic]) -> str:
    return json.dumps(
        {
            "diagnostics": [asdict(d) for d in diagnostics],
            "errors": sum(d.severity == "error" for d in diagnostics),
            "warnings": sum(d.severity == "warning" for d in diagnostics),
        },
        ensure_ascii=False,
        indent=2,
    )


def format_github(diagnostics: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on its file and line
    in the pull request; the summary stays a plain log line."""
    lines = []
    for d in diagnostics:
        # Only a file of the checkout can carry an annotation (not "settings").
        where = ""
        if Path(d.path).is_file():
            where = f"file={_escape(d.path, True)},line={d.line},col={d.column},"
        title = _escape(f"dossier check: {d.code}", True)
        text = d.format().removeprefix(f"{d.path}:{d.line}:{d.column}: ")
        lines.append(f"::{d.severity} {where}title={title}::{_escape(text)}")
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
