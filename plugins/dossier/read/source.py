"""Read stage: files to plain data, with the line and column of every value kept beside it.

Nothing here raises on bad input: every problem becomes a Diagnostic on the returned Document.
YAML is composed with libyaml into nodes (which carry positions) and turned into plain data by
hand, which lets us refuse what a content file never needs: aliases (the "billion laughs"),
language-specific tags (``!!python/object``) and duplicate keys, which PyYAML would silently merge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from dossier.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from dossier.read.check_cache import CheckCache

try:  # the C loader is ~10x faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

FieldPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = _TAG + "str", _TAG + "map", _TAG + "seq"
_constructor = SafeConstructor()
_resolver = Resolver()
# Scalars become str, int, float, bool or None. Timestamps stay text: the schemas check their
# format, and a time zone must never be added or dropped behind the editor's back.
_SCALAR = {
    _STR: lambda node: node.value,
    _TAG + "timestamp": lambda node: node.value,
    _TAG + "int": _constructor.construct_yaml_int,
    _TAG + "float": _constructor.construct_yaml_float,
    _TAG + "bool": _constructor.construct_yaml_bool,
    _TAG + "null": _constructor.construct_yaml_null,
}


# libyaml's words for the commonest slips, and what an editor should do about each.
_YAML_HINTS = {
    "mapping values are not allowed": "check this line's indentation; if the value itself "
    "contains ': ', put it in quotes",
    "found character '\\t'": "indent with spaces, not tabs",
    "could not find expected ':'": "each field is written 'name: value'",
    "found unexpected end of stream": "a quote or bracket is not closed",
    "expected ',' or ']'": "a list in [brackets] is not closed, or an item needs quotes",
    "expected ',' or '}'": "a mapping in {braces} is not closed, or a value needs quotes",
    "found undefined alias": "'*' starts a YAML alias: put the value in quotes",
    "found character that cannot start any token": "put the value in quotes",
}


@dataclass(frozen=True, slots=True)  # one for every key and value of every file: keep it small
class Position:
    line: int  # 1-based
    column: int  # 1-based


START = Position(1, 1)


@dataclass
class Document:
    """One source file read into plain data, with positions and the problems met on the way."""

    path: Path  # absolute
    display: str  # the path as diagnostics show it
    data: Any = None
    body: str = ""
    body_line: int = 0
    problems: list[Diagnostic] = field(default_factory=list)
    # Data taken from the check cache comes without positions: the first time a diagnostic
    # asks (rarely: the file read cleanly before), the file is read again from this line on.
    unparsed: int = field(default=0, repr=False)
    text_key: str = field(default="", repr=False)  # the YAML text's key in the check cache
    _positions: tuple[dict, dict, dict] = field(
        default_factory=lambda: ({}, {}, {}), repr=False, compare=False
    )

    @property
    def values(self) -> dict[FieldPath, Position]:
        return self._parsed()[0]

    @property
    def keys(self) -> dict[FieldPath, Position]:
        return self._parsed()[1]

    @property
    def literals(self) -> dict[FieldPath, str]:
        """The source text of every scalar that is not text (numbers, true/false, null)."""
        return self._parsed()[2]

    def _parsed(self) -> tuple[dict, dict, dict]:
        if self.unparsed:
            first_line, self.unparsed = self.unparsed, 0
            again = Document(self.path, self.display)
            text = _read_text(again) or ""
            if first_line > 1:  # an article: its front matter
                lines = text.split("\n")
                text = "\n".join(lines[1 : _closing_fence(lines)])
            _read_yaml(again, text, first_line)
            self._positions = again._positions
        return self._positions

    def value_at(self, path: FieldPath) -> Position:
        """Where the value at ``path`` starts; the nearest enclosing value if it is absent."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, START)

    def key_at(self, path: FieldPath) -> Position:
        return self.keys.get(path) or self.value_at(path)

    def diagnostic(
        self,
        position: Position,
        field: str,
        message: str,
        hint: str = "",
        *,
        code: str,
        severity: Severity = "error",
    ) -> Diagnostic:
        """A problem at ``position`` in this file (``problem`` keeps one on the document)."""
        return Diagnostic(
            path=self.display,
            line=position.line,
            column=position.column,
            field=field,
            message=message,
            hint=hint,
            code=code,
            severity=severity,
        )

    def problem(
        self,
        position: Position,
        field: str,
        message: str,
        hint: str = "",
        *,
        code: str,
        severity: Severity = "error",
    ) -> None:
        """Keep a problem met while reading the file."""
        self.problems.append(
            self.diagnostic(position, field, message, hint, code=code, severity=severity)
        )


def read_article(
    path: Path, display: str, cache: CheckCache | None = None, raw: bytes | None = None
) -> Document:
    """A Markdown file: YAML front matter between two ``---`` lines, then the body. With
    ``raw``, the file as it is about to be written: those bytes are read instead of the disk's
    (and the cache is not used, since positions are worked out again from the disk)."""
    doc = Document(path, display)
    text = _read_text(doc, raw)
    cache = None if raw is not None else cache
    if text is None:
        return doc
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        doc.problem(
            START,
            "",
            "no front matter",
            "an article starts with a line '---', its YAML fields, then another '---'",
            code="front-matter-missing",
        )
        return doc
    close = _closing_fence(lines)
    if not close:
        doc.problem(
            START,
            "",
            "front matter is not closed",
            "add a line '---' between the last field and the article's text",
            code="front-matter-unclosed",
        )
        return doc
    _read_yaml_once(doc, "\n".join(lines[1:close]), 2, cache)
    doc.body = "\n".join(lines[close + 1 :])
    doc.body_line = close + 2
    return doc


def read_body(path: Path) -> str:
    """The Markdown below an article's front matter (of a file that read cleanly before)."""
    text = _read_text(Document(path, path.name)) or ""
    lines = text.split("\n")
    close = _closing_fence(lines)
    return "\n".join(lines[close + 1 :]) if close else ""


def _closing_fence(lines: list[str]) -> int:
    """The index of the line that closes the front matter, 0 if there is none."""
    return next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in {"---", "..."}), 0)


def read_entity(
    path: Path, display: str, cache: CheckCache | None = None, raw: bytes | None = None
) -> Document:
    """A registry file: one YAML mapping. ``raw``: as for ``read_article``."""
    doc = Document(path, display)
    text = _read_text(doc, raw)
    if text is not None:
        _read_yaml_once(doc, text, 1, None if raw is not None else cache)
    return doc


def reads_as_text(value: str) -> bool:
    """Whether ``value``, written as a plain (unquoted) YAML scalar, reads back as this same
    text. YAML 1.1, which the reader follows, reads ``no``, ``on``, ``~``, ``1e3``, ``0x1f``,
    ``1_000``, ``12:30:00`` and ``.inf`` as something else (true/false, null, numbers), and
    ``=`` and ``<<`` as tags the reader refuses; timestamps stay text."""
    tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))
    return tag in {_STR, _TAG + "timestamp"}


def _read_yaml_once(doc: Document, text: str, first_line: int, cache: CheckCache | None) -> None:
    """Parse the YAML, unless the cache holds the data of the same text read cleanly before."""
    if cache is None:
        _read_yaml(doc, text, first_line)
        return
    doc.text_key = cache.text_key(text, first_line)
    known = cache.data(doc.text_key)
    if known is not None:
        doc.data, doc.unparsed = known, first_line
        return
    _read_yaml(doc, text, first_line)
    if not doc.problems and doc.data is not None:
        cache.remember(doc.text_key, doc.data)


def _read_text(doc: Document, raw: bytes | None = None) -> str | None:
    if raw is None:
        try:
            raw = doc.path.read_bytes()
        except OSError as error:
            doc.problem(START, "", f"cannot be read: {error.strerror}", code="unreadable")
            return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        # Everything before the bad byte is valid: locate it in characters, as YAML does.
        where = _position(raw[: error.start].decode("utf-8"))
        doc.problem(
            where,
            "",
            f"is not valid UTF-8 (byte 0x{raw[error.start]:02X})",
            "save the file with UTF-8 encoding",
            code="not-utf8",
        )
        return None
    text = _normalize(text)
    if "\x00" in text:
        where = _position(text[: text.index("\x00")])
        doc.problem(
            where,
            "",
            "contains a NUL character",
            "remove it; text files never need one",
            code="nul-byte",
        )
        return None
    return text


def _normalize(text: str) -> str:
    """Drop a byte-order mark (harmless) and turn CRLF and CR line ends into LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _position(before: str) -> Position:
    """The position just after ``before``, the file's text up to a point."""
    before = _normalize(before)
    return Position(before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)


def _read_yaml(doc: Document, text: str, first_line: int) -> None:
    offset = first_line - 1
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark and "while parsing a flow" in (error.context or ""):
            mark = error.context_mark  # an unclosed [ or {: point at where it was opened
        position = Position(mark.line + 1 + offset, mark.column + 1) if mark else START
        problem = error.problem or "cannot be parsed"
        context = f" ({error.context})" if error.context else ""
        hint = next((h for words, h in _YAML_HINTS.items() if words in problem), "")
        doc.problem(
            position, "", f"YAML syntax error: {problem}{context}", hint, code="yaml-syntax"
        )
        return
    except yaml.YAMLError as error:
        doc.problem(START, "", f"YAML syntax error: {error}", code="yaml-syntax")
        return
    if node is None:
        doc.data = {}
        doc.values[()] = Position(first_line, 1)
        return
    builder = _Builder(doc, offset)
    data = builder.build(node, ())
    if builder.alias_seen:
        _report_alias(doc, text, offset)
        return
    if builder.failed:
        return
    if not isinstance(data, dict):
        doc.problem(
            doc.value_at(()), "", "must be a mapping of fields (name: value)", code="not-a-mapping"
        )
        return
    doc.data = data


class _Builder:
    """Turns a composed YAML node tree into plain data and records every position."""

    def __init__(self, doc: Document, offset: int):
        self.doc, self.offset = doc, offset
        self.seen: set[int] = set()
        self.alias_seen = False
        self.failed = False

    def position(self, node: yaml.Node) -> Position:
        return Position(node.start_mark.line + 1 + self.offset, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: FieldPath) -> Any:
        if self.alias_seen:
            return None
        # An alias yields the anchored node object again: seeing a node twice means an alias.
        if id(node) in self.seen:
            self.alias_seen = True
            return None
        self.seen.add(id(node))
        self.doc.values[path] = self.position(node)
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and node.tag in _SCALAR:
            try:
                value = _SCALAR[node.tag](node)
            except (ValueError, KeyError, IndexError, yaml.YAMLError):
                value = node.value  # e.g. `!!int abc`: kept as text for the schema to reject
            if isinstance(value, float) and not math.isfinite(value):
                value = node.value  # .nan and .inf are no numbers a page can publish
            if not isinstance(value, str):
                self.doc.literals[path] = node.value
            return value
        self.failed = True
        tag = node.tag.replace(_TAG, "!!")
        self.doc.problem(
            self.position(node),
            field_name(path),
            f"YAML tag '{tag}' is not allowed",
            "content files hold only text, numbers, true/false, lists and mappings",
            code="yaml-tag",
        )
        return None

    def mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag in _SCALAR):
                self.failed = True
                self.doc.problem(
                    self.position(key_node),
                    field_name(path),
                    "field names must be plain text",
                    code="yaml-key",
                )
                continue
            key = key_node.value
            key_path = (*path, key)
            if key in result:
                first = self.doc.keys[key_path]
                self.failed = True
                self.doc.problem(
                    self.position(key_node),
                    field_name(key_path),
                    f"duplicate field (first given on line {first.line})",
                    "keep one of them",
                    code="duplicate-field",
                )
                continue
            self.doc.keys[key_path] = self.position(key_node)
            result[key] = self.build(value_node, key_path)
        return result


def _report_alias(doc: Document, text: str, offset: int) -> None:
    """Locate the first alias by scanning parser events (cheap, and it never expands anything)."""
    position = START
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                position = Position(mark.line + 1 + offset, mark.column + 1)
                break
    except yaml.YAMLError:  # pragma: no cover - the text composed once already
        pass
    doc.problem(
        position,
        "",
        "YAML aliases (*name) are not allowed",
        "write the value out in full",
        code="yaml-alias",
    )


def field_name(path: FieldPath) -> str:
    """('actors', 1) -> 'actors[1]'; ('image', 'alt') -> 'image.alt'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
