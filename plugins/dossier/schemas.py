"""The JSON Schemas in ``schema/``, the single source of truth for the content contract.

Loaded and checked once; compiled into validators that also know the registry, through
Dossier's own ``x-registry`` keyword (an id must name an entity of the given kind) and
``x-types`` (and that entity must have one of the given types). A compiled validator
(jsonschema-rs) decides whether data is valid; jsonschema, whose errors the diagnostics word,
looks only at data that is not.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

if TYPE_CHECKING:
    from referencing._core import Resolver  # not exported; only named here

_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_datetime(value: str) -> datetime | None:
    """An ISO 8601 date and time *with* a UTC offset, else None."""
    if not _DATETIME.fullmatch(value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def former_front_matter(data: Mapping[str, Any], former: Any) -> dict[str, Any] | None:
    """An article's front matter as it was at a former address (an item of its ``formerly``,
    written by ``dossier move``): the slug it had then, and its date in the year it had then
    (month, day and time as they are). None when ``former`` is no valid item, or when the date
    has no such day in that year (29 February), which check reports."""
    date = data.get("date")
    if not (
        isinstance(former, Mapping)
        and isinstance(former.get("slug"), str)
        and type(former.get("year")) is int
        and 0 < former["year"] <= 9999
        and isinstance(date, str)
        and parse_datetime(date) is not None
    ):
        return None
    then = f"{former['year']:04d}{date[4:]}"
    return {**data, "slug": former["slug"], "date": then} if parse_datetime(then) else None


def parse_date(value: str) -> date | None:
    if not _DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_date_or_datetime(value: str) -> date | datetime | None:
    return parse_date(value) or parse_datetime(value)


def utc_offset(local: date | datetime, timezone: str) -> str:
    """The UTC offset of ``timezone`` (TIMEZONE, an IANA name) at the local time ``local`` (a
    date: at noon), as ISO 8601 writes it: for Europe/Berlin, '+01:00' in December and '+02:00'
    in July, when daylight saving time is on. For examples in messages, which never fail: a
    zone that is not known is taken as UTC."""
    moment = local if isinstance(local, datetime) else datetime.combine(local, time(12))
    try:
        zone: Any = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    offset = moment.replace(tzinfo=zone).utcoffset()
    minutes = round(offset.total_seconds() / 60) if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def in_zone(moment: datetime, timezone: str) -> datetime:
    """``moment`` as the clocks of ``timezone`` (TIMEZONE) show it; as written when they cannot
    show it: 9999-12-31T23:00-02:00 is valid ISO 8601, past the last instant Python holds in
    another zone."""
    try:
        return moment.astimezone(ZoneInfo(timezone))
    except OverflowError:
        return moment


# What no URL holds as it is, and a URL parser would silently drop (whitespace: urlsplit removes
# line breaks and tabs) or a reader of the file would take as its end (quotes, angle brackets):
# written into robots.txt, a sitemap or a link, a line break starts a new line of its own.
NOT_IN_URL = re.compile(r'[\s"<>\x00-\x1f\x7f]')


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and not NOT_IN_URL.search(value)


FORMATS = FormatChecker(formats=())
FORMATS.checks("date-time")(lambda v: not isinstance(v, str) or parse_datetime(v) is not None)
FORMATS.checks("date")(lambda v: not isinstance(v, str) or parse_date(v) is not None)
FORMATS.checks("date-or-date-time")(
    lambda v: not isinstance(v, str) or parse_date_or_datetime(v) is not None
)
FORMATS.checks("uri")(lambda v: not isinstance(v, str) or _is_url(v))
# Text that HTML, JSON and XML can all hold, and that reads as it is written: no control
# characters but tab and line breaks (C0, DEL, C1), no line or paragraph separator (pasted, they
# break lines where no editor shows a break), and none of the bidirectional embedding, override
# and isolate controls, which reorder what is shown around them. (The marks U+200E and U+200F
# are fine: they only settle the direction of neutral characters.) Nor the noncharacters
# (U+FDD0-U+FDEF and the last two of every plane): an escape in double-quoted YAML brings them,
# and XML cannot hold U+FFFE or U+FFFF at all (a feed with one does not parse).
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane + last) for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)
)
CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    + NONCHARACTERS
    + "]"
)
# What shows nothing besides whitespace and the format characters (Cf: U+200B, U+00AD, U+2060,
# U+FEFF…): the other default-ignorable characters (variation selectors, the combining grapheme
# joiner, the Hangul fillers, Khmer's inherent vowels) and the blank Braille pattern.
_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u2800\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


def is_blank(value: str) -> bool:
    """Whether a text shows nothing: empty, or only whitespace and invisible characters."""
    return all(
        c.isspace() or c in _INVISIBLE or unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"}
        for c in value
    )


def is_text(value: str) -> bool:
    return CONTROL.search(value) is None and not is_blank(value)


FORMATS.checks("text")(lambda v: not isinstance(v, str) or is_text(v))
# A headline, a name, a credit: shown on one line (a title element, a feed's title, a JSON-LD
# name), where a line break would be lost or break the line of another format. One at the end,
# as YAML's folded and literal blocks (`>`, `|`) leave, is no break in the text.
LINE_BREAK = re.compile(r"[\n\r](?=.*\S)", re.DOTALL)
FORMATS.checks("line")(
    lambda v: not isinstance(v, str) or (is_text(v) and not LINE_BREAK.search(v))
)


# The article field that lists entries its text names but it is not about: it silences their
# suggestions (``dossier suggest``), and references nothing.
NOT_ABOUT = "not_about"


@dataclass(frozen=True)
class Schemas:
    article: dict[str, Any]
    entities: dict[str, dict[str, Any]]  # kind -> schema
    registry: Registry
    languages: tuple[str, ...]
    id_pattern: str

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self.entities)

    @cached_property
    def shared_fields(self) -> tuple[str, ...]:
        """Article fields every language version must agree on (``x-translation: shared``)."""
        props = self.article["properties"]
        return tuple(k for k, v in props.items() if v.get("x-translation") == "shared")

    @cached_property  # asked once per article
    def reference_fields(self) -> tuple[str, ...]:
        """Article fields listing the entities it references, one kind each: the facts box.

        They are the shared fields whose items name a single registry kind (``about`` names
        several, ``authors`` is not shared between translations).
        """
        props = self.article["properties"]
        return tuple(
            name
            for name in self.shared_fields
            if isinstance(props[name].get("items", {}).get("x-registry"), str)
        )

    @cached_property
    def field_of_kind(self) -> dict[str, str]:
        """Each kind an article references, and the reference field that lists it."""
        props = self.article["properties"]
        return {props[name]["items"]["x-registry"]: name for name in self.reference_fields}

    @cached_property
    def entity_link_fields(self) -> frozenset[str]:
        """Registry fields that name other entries (``x-registry`` on the field or its items)."""
        return frozenset(name for schema in self.entities.values() for name in id_fields(schema))

    @property
    def text_fields(self) -> tuple[tuple[str, ...], ...]:
        """Article fields a translator writes anew (``x-translation: text``), as field paths:
        ``("title",)``, ``("image", "alt")``."""
        return tuple(_marked(self.article, "text", ()))

    def validators(
        self, ids_by_kind: Mapping[str, set[str]], types: Mapping[str, str]
    ) -> dict[str, SchemaValidator]:
        """Validators for 'article' and each kind, resolving ``x-registry`` against the ids
        and ``x-types`` against the entries' types (id -> type)."""
        keywords = {"x-registry": _registry_keyword(ids_by_kind), "x-types": _types_keyword(types)}
        cls = validators.extend(Draft202012Validator, keywords)
        compiled = {
            "x-registry": _compiled_keyword(lambda kinds, v: _in_registry(ids_by_kind, kinds, v)),
            "x-types": _compiled_keyword(lambda wanted, v: _of_types(types, wanted, v)),
        }

        def make(schema: dict[str, Any]) -> SchemaValidator:
            inlined = self.inlined(schema)
            return SchemaValidator(
                jsonschema_rs.Draft202012Validator(
                    inlined, formats=_COMPILED_FORMATS, validate_formats=True, keywords=compiled
                ),
                cls(inlined, format_checker=FORMATS),
            )

        return {"article": make(self.article)} | {k: make(s) for k, s in self.entities.items()}

    def inlined(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The schema with every ``$ref`` replaced by what it points at.

        Validation gives the same verdicts and the same errors (a ``$ref`` beside other
        keywords applies like ``allOf``, which it becomes), and runs about three times faster:
        jsonschema otherwise resolves each reference, URL joins included, for every value of
        every file it checks."""
        return _inline(schema, self.registry.resolver(schema["$id"]))


def _inline(node: Any, resolver: Resolver, depth: int = 0) -> Any:
    if depth > 50:  # a schema that refers to itself must not hang the build
        raise ValueError("$ref nesting deeper than 50: do the schemas refer to themselves?")
    if isinstance(node, list):
        return [_inline(item, resolver, depth) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _inline(v, resolver, depth) for k, v in node.items() if k != "$ref"}
    if "$ref" not in node:
        return out
    resolved = resolver.lookup(node["$ref"])
    target = _inline(resolved.contents, resolved.resolver, depth + 1)
    if not out:
        return target
    out["allOf"] = [*out.get("allOf", []), target]
    return out


def id_fields(schema: Mapping[str, Any]) -> tuple[str, ...]:
    """The fields of an article or registry schema that hold registry ids: ``x-registry`` on
    the field (one id) or on its items (a list of ids)."""
    return tuple(
        name
        for name, prop in schema.get("properties", {}).items()
        if "x-registry" in prop or "x-registry" in prop.get("items", {})
    )


def ids_in(value: Any) -> list[str]:
    """The ids a field holds, whether its schema has it hold one id or a list of them; what is
    not text (a mistake the schema reports) is left out."""
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str)]


def list_items(value: Any) -> list[Any]:
    """The items of a field that must hold a list, as written (an item's index is its place in
    the file); nothing when the field holds anything else, a mistake the schema reports. Unlike
    ``ids_in``, a lone id counts for nothing: checks beyond the schema judge only lists."""
    return value if isinstance(value, list) else []


def _marked(schema: Mapping[str, Any], value: str, path: tuple[str, ...]) -> Iterator[tuple]:
    for name, prop in schema.get("properties", {}).items():
        if prop.get("x-translation") == value:
            yield (*path, name)
        yield from _marked(prop, value, (*path, name))


class SchemaValidator:
    """One schema's validator, for one registry. The compiled validator decides whether data
    is valid, about ten times faster than jsonschema; jsonschema, which the diagnostics word,
    finds the errors in data that is not. Both are given the same formats and keywords, and
    where they could still differ (a ``pattern``'s ``$``, which Python also matches before a
    final line break), only the compiled one is the stricter: jsonschema has the last word."""

    def __init__(self, compiled: jsonschema_rs.Validator, worded: Draft202012Validator) -> None:
        self.compiled, self.worded = compiled, worded

    def iter_errors(self, data: Any) -> Iterator[ValidationError]:
        try:
            if self.compiled.is_valid(data):
                return iter(())
        except ValueError:  # text Rust cannot hold (a lone surrogate): jsonschema decides
            pass
        return self.worded.iter_errors(data)


def _in_registry(ids_by_kind: Mapping[str, set[str]], kinds: str | list[str], value: Any) -> bool:
    """Whether ``value`` is an id of one of the ``kinds`` (what is not text: the type's error)."""
    wanted = [kinds] if isinstance(kinds, str) else kinds
    return not isinstance(value, str) or any(value in ids_by_kind.get(k, ()) for k in wanted)


def _of_types(types: Mapping[str, str], wanted: list[str], value: Any) -> bool:
    """Whether the entry ``value`` names has one of the ``wanted`` types (no entry: x-registry's
    error)."""
    return not isinstance(value, str) or value not in types or types[value] in wanted


def _registry_keyword(ids_by_kind: Mapping[str, set[str]]):
    def check(validator, kinds, instance, schema) -> Iterator[ValidationError]:
        if not _in_registry(ids_by_kind, kinds, instance):
            yield ValidationError(f"{instance!r} is not in the registry")

    return check


def _types_keyword(types: Mapping[str, str]):
    def check(validator, wanted, instance, schema) -> Iterator[ValidationError]:
        if not _of_types(types, wanted, instance):
            yield ValidationError(f"{instance!r} is a {types[instance]}")

    return check


def _compiled_keyword(holds: Callable[[Any, Any], bool]) -> type:
    """A keyword of the compiled validator: ``holds(keyword's value, instance)``."""

    class Keyword:
        def __init__(self, parent: Any, value: Any, path: Any) -> None:
            self.value = value

        def validate(self, instance: Any) -> None:
            if not holds(self.value, instance):
                raise ValueError("keyword not satisfied")  # the verdict only; never shown

    return Keyword


# The same format checks, for the compiled validator (which asks them of text only).
_COMPILED_FORMATS = {name: check for name, (check, _) in FORMATS.checkers.items()}


@cache
def load_schemas(schema_dir: Path) -> Schemas:
    """Read and check every ``*.schema.json`` below ``schema_dir`` (once per process)."""
    resources, documents = [], {}
    for path in sorted(schema_dir.rglob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        contents["$id"] = path.resolve().as_uri()
        Draft202012Validator.check_schema(contents)
        documents[path.relative_to(schema_dir).as_posix()] = contents
        resources.append((contents["$id"], Resource.from_contents(contents, DRAFT202012)))
    common = documents["common.schema.json"]["$defs"]
    entities = {
        name.removeprefix("entities/").removesuffix(".schema.json"): schema
        for name, schema in documents.items()
        if name.startswith("entities/")
    }
    return Schemas(
        article=documents["article.schema.json"],
        entities=entities,
        registry=Registry().with_resources(resources),
        languages=tuple(common["lang"]["enum"]),
        id_pattern=common["id"]["pattern"],
    )
