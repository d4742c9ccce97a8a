"""Validate stage, schema errors in plain words: each jsonschema error becomes a diagnostic that
says what is wrong in an editor's words, where the value is, and how to fix it, with a
did-you-mean from the fields, the choices or the registry.

When one value breaks several keywords, only the most telling error is explained.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from jsonschema import ValidationError

from dossier.data import singular
from dossier.diagnostics import Diagnostic
from dossier.read.source import Document, FieldPath, field_name
from dossier.schemas import (
    CONTROL,
    LINE_BREAK,
    NONCHARACTERS,
    NOT_IN_URL,
    parse_date,
    utc_offset,
)
from dossier.slugs import slugify
from dossier.spelling import closest
from dossier.validate.context import CheckContext
from dossier.words import a_or_an, alternatives, character, did_you_mean, plural

_TYPE_WORDS = {
    "array": "a list",
    "object": "a mapping of fields",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}
# When one value breaks several keywords, the first of these explains it best; the rest are noise.
_PRIORITY = [
    "type",
    "pattern",
    "format",
    "enum",
    "const",
    "minLength",
    "maxLength",
    "x-registry",
    "x-types",
]


def explain_all(
    errors: Iterable[ValidationError], doc: Document, ctx: CheckContext, what: str
) -> list[Diagnostic]:
    """The diagnostics for one file's schema errors; ``what`` names the file in messages
    ("article", "actor file")."""
    best: dict[tuple, tuple[int, list[Diagnostic]]] = {}
    for error in errors:
        path = tuple(error.absolute_path)
        rank = _PRIORITY.index(error.validator) if error.validator in _PRIORITY else -1
        found = list(_explain(error, path, doc, ctx, what))
        key = (path, error.validator) if rank < 0 else (path,)
        if rank < 0 and key in best:  # fields required by the schema and by its if/then: all
            best[key][1].extend(found)
        elif key not in best or rank < best[key][0]:
            best[key] = (rank, found)
    found = list(dict.fromkeys(d for _, found in best.values() for d in found))
    # 'titel' (did you mean 'title'?) already explains why 'title' is missing, in the same
    # mapping: corrections[2].txt does not explain a corrections[1] without its text.
    suggested = {(_parent(d.field), d.hint) for d in found if d.code == "unknown-field"}
    return [
        d
        for d in found
        if not (
            d.code == "missing-field"
            and (_parent(d.field), did_you_mean(_last(d.field))) in suggested
        )
    ]


def _last(field: str) -> str:
    return re.split(r"[.\[]", field)[-1]


def _parent(field: str) -> str:
    return field[: len(field) - len(_last(field))].rstrip(".")


def _explain(
    error: ValidationError, path: FieldPath, doc: Document, ctx: CheckContext, what: str
) -> Iterator[Diagnostic]:
    keyword, value, instance = error.validator, error.validator_value, error.instance
    custom = (error.schema.get("x-message") or {}) if isinstance(error.schema, dict) else {}
    name = field_name(path)
    here = doc.value_at(path)

    if keyword == "required":
        for missing in value:
            if isinstance(instance, dict) and missing not in instance:
                message = custom.get("required") or "required field is missing"
                yield doc.diagnostic(
                    here, field_name((*path, missing)), message, code="missing-field"
                )
    elif keyword == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        for key in instance:
            if key not in known:
                yield doc.diagnostic(
                    doc.key_at((*path, key)),
                    field_name((*path, key)),
                    f"unknown field in {'this ' + what if not path else name}",
                    did_you_mean(closest(key, known)) or f"known fields: {', '.join(known)}",
                    code="unknown-field",
                )
    elif keyword == "not":  # a field that does not apply to this type of entity
        kind_type = doc.data.get("type") if isinstance(doc.data, dict) else None
        suffix = f", not to type {kind_type}" if isinstance(kind_type, str) else ""
        message = (custom.get("not") or "is not allowed here") + suffix
        yield doc.diagnostic(
            doc.key_at(path), name, message, "remove this field", code="field-not-allowed"
        )
    elif keyword == "type":
        yield doc.diagnostic(
            here, name, *_type_problem(value, instance, doc.literals.get(path)), code="wrong-type"
        )
    elif keyword == "x-registry":
        yield doc.diagnostic(
            here, name, *_reference_problem(instance, value, ctx), code="unknown-reference"
        )
    elif keyword == "x-types":
        yield doc.diagnostic(
            here,
            name,
            *_entity_type_problem(instance, value, ctx, doc.path.stem),
            code="wrong-type",
        )
    elif keyword == "pattern":
        message = f"'{instance}' {custom.get('pattern') or 'does not match ' + value}"
        suggestion = slugify(instance) if value == ctx.id_pattern else ""
        hint = did_you_mean(suggestion)
        if value == ctx.id_pattern and ("/" in instance or "\\" in instance):
            # '../x' is a path, and a slug or id is one segment of an address, never a path.
            hint = "it is one part of an address, not a path: no '/', '\\' or '..'"
            if suggestion:
                hint += f"; {did_you_mean(suggestion)}"
        if custom.get("pattern") == "must not be blank":
            message = "must not be blank"
        yield doc.diagnostic(here, name, message, hint, code="invalid-value")
    elif keyword == "format":
        yield doc.diagnostic(
            here, name, *_format_problem(value, instance, ctx.timezone), code="invalid-format"
        )
    elif keyword == "enum":
        choices = ", ".join(str(c) for c in value)
        hint = did_you_mean(closest(str(instance), [str(c) for c in value]))
        yield doc.diagnostic(
            here, name, f"'{instance}' is not one of: {choices}", hint, code="invalid-value"
        )
    elif keyword == "maxLength":
        over = len(instance) - value
        yield doc.diagnostic(
            here,
            name,
            f"is {len(instance)} characters long; the limit is {value}",
            f"shorten it by {plural(over, 'character')}",
            code="too-long",
        )
    elif keyword == "minLength":
        yield doc.diagnostic(here, name, "must not be empty", code="invalid-value")
    elif keyword == "minItems":
        yield doc.diagnostic(
            here, name, f"needs at least {plural(value, 'entry', 'entries')}", code="invalid-value"
        )
    elif keyword == "uniqueItems":
        seen: set[str] = set()
        for i, item in enumerate(instance):
            marker = repr(item)
            if marker in seen:
                yield doc.diagnostic(
                    doc.value_at((*path, i)),
                    field_name((*path, i)),
                    f"'{item}' is listed twice",
                    "remove the repetition",
                    code="duplicate-item",
                )
            seen.add(marker)
    elif keyword in {"minimum", "maximum"}:
        side = "below the minimum" if keyword == "minimum" else "above the maximum"
        yield doc.diagnostic(here, name, f"{instance} is {side} of {value}", code="out-of-range")
    else:  # pragma: no cover - a keyword the schemas do not use yet
        yield doc.diagnostic(here, name, error.message, code="invalid")


# A YAML value in an editor's words, with its source text (``literal``) where it is no text; the
# JSON-LD linter words JSON literals its own way.
def _describe(value: Any, literal: str | None) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, int | float):
        if value is None:
            return "nothing (the value is empty)"
        return f"{'true/false' if isinstance(value, bool) else 'the number'} {literal or value}"
    if isinstance(value, str):
        return f"text '{value}'"
    return "a list" if isinstance(value, list) else "a mapping of fields"


def _type_problem(expected: str | list[str], value: Any, literal: str | None) -> tuple[str, str]:
    expected = [expected] if isinstance(expected, str) else expected
    words = " or ".join(_TYPE_WORDS[t] for t in expected)
    message = f"expected {words}, got {_describe(value, literal)}"
    hint = ""
    if "string" in expected and literal is not None and value is not None:
        hint = f'put it in quotes: "{literal}"'
    elif "array" in expected and isinstance(value, str | int | float):
        hint = f"write it as a list: [{value}]"
    return message, hint


def _reference_problem(value: str, kinds: str | list[str], ctx: CheckContext) -> tuple[str, str]:
    wanted = [kinds] if isinstance(kinds, str) else list(kinds)
    noun = singular(wanted[0]) if len(wanted) == 1 else "entity"
    actual = ctx.kind_of(value)
    candidates: dict[str, list[str]] = {
        i: ctx.names.get(i, []) for k in wanted for i in ctx.ids_by_kind.get(k, ())
    }
    suggestion = closest(value, candidates, candidates)
    hint = did_you_mean(suggestion)
    if ctx.former.get(value) in candidates:
        hint = f"'{value}' was renamed to '{ctx.former[value]}': write that instead"
    if actual and actual not in wanted:
        if not hint:
            hint = f"list it under {actual}" if len(wanted) == 1 else ""
        return f"'{value}' is {a_or_an(singular(actual))}, not {a_or_an(noun)}", hint
    if not hint:
        hint = f"add content/entities/{wanted[0]}/{value}.yaml" if len(wanted) == 1 else ""
    return f"unknown {noun} '{value}'", hint


def _entity_type_problem(
    value: str, wanted: list[str], ctx: CheckContext, own_id: str
) -> tuple[str, str]:
    kind = ctx.kind_of(value) or ""
    fitting = sorted(
        i
        for i in ctx.ids_by_kind.get(kind, ())
        if i != own_id and ctx.registry[i].doc.data.get("type") in wanted
    )
    actual = ctx.registry[value].doc.data["type"]
    needed = f"{a_or_an(singular(kind))} of type {alternatives(wanted)}"
    message = f"'{value}' is {a_or_an(actual)}; this field needs {needed}"
    shown = ", ".join(fitting[:6]) + (", …" if len(fitting) > 6 else "")
    return (
        message,
        f"for example {shown}" if fitting else f"add {a_or_an(singular(kind))} of type {wanted[0]}",
    )


# The date examples use, with the UTC offset the newsroom's time zone has then.
_EXAMPLE = datetime(2023, 9, 13, 14, 30)


def _format_problem(fmt: str, value: str, timezone: str) -> tuple[str, str]:
    """The message and hint for a value not in ``fmt``; the UTC offsets they suggest are those
    of ``timezone`` on the value's own date (daylight saving time included)."""
    example = f"{_EXAMPLE.isoformat()}{utc_offset(_EXAMPLE, timezone)}"
    if fmt == "date-time":
        if day := parse_date(value):
            return (
                f"'{value}' has a date but no time and UTC offset",
                f"write e.g. {value}T12:00:00{utc_offset(day, timezone)}",
            )
        try:
            naive = datetime.fromisoformat(value)
        except ValueError:
            naive = None
        if naive is not None and naive.tzinfo is None:
            return (
                f"'{value}' has no time zone",
                f"add the UTC offset, e.g. {value}{utc_offset(naive, timezone)}",
            )
        return f"'{value}' is not an ISO 8601 date and time", f"write e.g. {example}"
    if fmt == "date":
        return f"'{value}' is not an ISO 8601 date", "write e.g. 2006-10-14"
    if fmt == "date-or-date-time":
        return (
            f"'{value}' is not an ISO 8601 date or date and time",
            f"write e.g. {_EXAMPLE.date()} or {example}",
        )
    if fmt == "line" and CONTROL.search(value) is None and (br := LINE_BREAK.search(value)):
        return (
            f"contains a line break (character {br.start() + 1} of the text)",
            "this field is one line: join the lines with a space",
        )
    if fmt in {"text", "line"}:
        found = CONTROL.search(value)
        if found is None:  # only invisible characters: blank, as it looks
            return "must not be blank", ""
        char, where = found.group(), found.start() + 1
        if re.fullmatch(f"[{NONCHARACTERS}]", char):
            return (
                f"contains {character(char)}, no character at all (character {where} of the text)",
                "remove it; in double-quoted YAML it comes from an escape such as \\uFFFF",
            )
        message = (
            f"contains the control character {character(char)} (character {where} of the text)"
        )
        if char in "\u2028\u2029":
            return message, "replace it with a space; it breaks the line where nothing shows it"
        if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
            return message, "remove it: it changes the order in which the text around it is shown"
        return (
            message,
            "remove it; in double-quoted YAML it comes from an escape such as \\v or \\x1b",
        )
    if (bad := NOT_IN_URL.search(value)) and value.startswith(("http://", "https://")):
        shown = "a space" if bad.group() == " " else character(bad.group())
        return (
            f"contains {shown} (character {bad.start() + 1}), which a URL cannot hold",
            "copy the address from the browser's address bar (it writes a space as %20)",
        )
    return f"'{value}' is not an absolute URL", "write it with https://"
