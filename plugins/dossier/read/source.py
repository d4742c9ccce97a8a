"""Read stage: files to plain data, with the line and column of every value kept beside it.

Nothing here raises on bad input: every problem becomes a Diagnostic on the returned Document.
YAML is composed with libyaml into nodes (which carry positions) and turned into plain data by
hand, which lets us refuse what a content file never needs: aliases (the "billion laughs"),
language-specific tags (``!!python/object``), duplicate keys, which PyYAML would silently merge,
and nesting deeper than any field needs (which would exhaust the stack, or crash libyaml).

Control characters are reported where they are, in the front matter and the body alike, and so
are the characters YAML takes for line breaks where no editor shows one (U+0085, U+2028,
U+2029): they would shift every line number after them.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from dossier.diagnostics import Diagnostic, Severity
from dossier.words import character

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


# Characters no content file needs: the C0 controls but tab and line feed (carriage returns are
# line ends, made line feeds on reading), DEL, and the C1 controls.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# In YAML, besides: the line and paragraph separators, which YAML (and no editor) reads as line
# breaks, and the two noncharacters YAML refuses.
_NOT_IN_YAML = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
# How deep values may nest: an article's deepest field (sources[0].url) is three levels down.
MAX_NESTING = 20
# How long the YAML of a registry entry or an article's front matter may be, in characters: the
# longest in the sample is 1,500; a 50 MB one took minutes and gigabytes to check. (An article's
# body has no limit.)
MAX_YAML = 1_000_000
# Below this many characters that can open a collection ([ { - : ?), nesting cannot reach the
# depth at which libyaml's composer overflows the C stack (about 20,000); above it, the events
# are scanned for depth (without recursion) before anything is composed.
_SAFE_TO_COMPOSE = 5_000


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
    # Data read cleanly, or taken from the check cache, comes without positions: the first
    # time a diagnostic asks (rarely), the YAML is read again from this line on: the text kept
    # in ``yaml_text``, or the file's (from the cache).
    unparsed: int = field(default=0, repr=False)
    yaml_text: str | None = field(default=None, repr=False, compare=False)
    text_key: str = field(default="", repr=False)  # the YAML text's key in the check cache
    # An article's body: its digest (what its rendered text is cached and fingerprinted by)
    # and whether it may hold an intrasite link (whose target's address is then part of it).
    body_key: str = field(default="", repr=False)
    body_links: bool = field(default=False, repr=False)
    body_attaches: bool = field(default=False, repr=False)  # {attach}: moves a static file
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
            text, self.yaml_text = self.yaml_text, None
            if text is None:
                text = _read_text(again) or ""
                if first_line > 1:  # an article: its front matter
                    lines = text.split("\n")
                    text = "\n".join(lines[1 : _closing_fence(lines)])
                text = _NOT_IN_YAML.sub(" ", text)
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
    doc.body_key = body_key(doc.body)
    doc.body_links = "{" in doc.body or "|" in doc.body  # {static}, |filename|…
    doc.body_attaches = doc.body_links and "attach" in doc.body
    _report_characters(doc, doc.body, doc.body_line, in_yaml=False)  # the body reads on
    return doc


def body_key(body: str) -> str:
    """The digest of an article's body as read: the same body renders the same text."""
    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


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
    with contextlib.suppress(OSError):  # reading reports it
        if (
            raw is None and (size := path.stat().st_size) > 4 * MAX_YAML
        ):  # not worth reading: 4 bytes a character
            doc.problem(
                START,
                "",
                f"this file is {size:,} bytes long; the limit is {MAX_YAML:,} characters",
                "no field needs that much: long text belongs in an article's body",
                code="too-long",
            )
            return doc
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
    """Parse the YAML, unless the cache holds the data of the same text read cleanly before.
    A control character stops the reading (YAML cannot read one): the characters are reported,
    each with the field it is in, and nothing else."""
    if len(text) > MAX_YAML:
        what = "front matter" if first_line > 1 else "file"
        doc.problem(
            Position(first_line, 1),
            "",
            f"this {what} is {len(text):,} characters long; the limit is {MAX_YAML:,}",
            "no field needs that much: long text belongs in an article's body",
            code="too-long",
        )
        return
    reported = len(doc.problems)
    text, readable = _report_characters(doc, text, first_line, in_yaml=True)
    if not readable:
        probe = Document(doc.path, doc.display)  # read for the fields' positions only
        _read_yaml(probe, text, first_line)
        for i, found in enumerate(doc.problems[reported:], reported):
            doc.problems[i] = replace(found, field=_field_at(probe, found))
        return
    if cache is None:
        _read_yaml(doc, text, first_line, lazy=True)
    else:
        doc.text_key = cache.text_key(text, first_line)
        known = cache.data(doc.text_key)
        if known is not None:
            doc.data, doc.unparsed = known, first_line
        else:
            _read_yaml(doc, text, first_line, lazy=True)
            if not doc.problems and doc.data is not None:
                cache.remember(doc.text_key, doc.data)
    if doc.data is not None:  # name the field each character found is in
        for i, found in enumerate(doc.problems[reported:], reported):
            if found.code == "control-character":
                doc.problems[i] = replace(found, field=_field_at(doc, found))


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


def _report_characters(
    doc: Document, text: str, first_line: int, *, in_yaml: bool
) -> tuple[str, bool]:
    """Report the first character on each line of ``text`` (which starts on the file's line
    ``first_line``) that no content needs, where it is; and return the text with each such
    character made a space, so that what follows reads with the file's own lines and columns,
    and whether YAML could have read it (it reads line and paragraph separators as line breaks,
    and no control character). ``in_yaml``: the text is YAML, where the separators (U+0085,
    U+2028, U+2029) are reported too."""
    pattern = _NOT_IN_YAML if in_yaml else CONTROL_CHARACTERS
    if not pattern.search(text):
        return text, True
    for number, line in enumerate(text.split("\n")):
        found = pattern.search(line)
        if found is None:
            continue
        char = found.group()
        if in_yaml and char in "\u2028\u2029\x85":
            message = f"contains {character(char)}, which YAML reads as a line break"
            hint = "replace it with a space (it is invisible; pasted text brings it)"
        elif char in "\ufffe\uffff":
            message, hint = f"contains {character(char)}, which is no character", "remove it"
        else:
            message = f"contains the control character {character(char)}"
            hint = "remove it; text files never need one"
        position = Position(first_line + number, found.start() + 1)
        doc.problem(position, "" if in_yaml else "text", message, hint, code="control-character")
    readable = not in_yaml or not CONTROL_CHARACTERS.search(text.replace("\x85", " "))
    return pattern.sub(" ", text), readable


def _field_at(doc: Document, where: Diagnostic) -> str:
    """The field whose value holds what ``where`` points at: the last to start before it."""
    before = [
        path
        for path, start in doc.values.items()
        if (start.line, start.column) <= (where.line, where.column)
    ]
    latest = max(
        before,
        key=lambda path: (doc.values[path].line, doc.values[path].column, len(path)),
        default=(),
    )
    return field_name(latest)


def _normalize(text: str) -> str:
    """Drop a byte-order mark (harmless) and turn CRLF and CR line ends into LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _position(before: str) -> Position:
    """The position just after ``before``, the file's text up to a point."""
    before = _normalize(before)
    return Position(before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)


def _read_yaml(doc: Document, text: str, first_line: int, *, lazy: bool = False) -> None:
    """Read the YAML ``text`` (starting on the file's line ``first_line``) into ``doc``: its data
    and positions, or its problems. ``lazy``: a mapping that reads cleanly is kept without
    positions (``Document.unparsed``), which most files never need and which take longer to
    record than the data to build; anything else is read again with them, to report it."""
    offset = first_line - 1
    if sum(text.count(c) for c in "[{-:?") > _SAFE_TO_COMPOSE and _too_deep(doc, text, offset):
        return
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
    except yaml.reader.ReaderError as error:  # a character YAML cannot read: libyaml counts bytes
        before = text.encode("utf-8")[: error.position].decode("utf-8", "ignore")
        where = _position(before)
        position = Position(where.line + offset, where.column)
        message = f"YAML cannot read the character U+{error.character:04X}"
        doc.problem(position, "", message, "remove it", code="yaml-syntax")
        return
    except yaml.YAMLError as error:
        doc.problem(START, "", f"YAML syntax error: {error}", code="yaml-syntax")
        return
    if node is None:
        doc.data = {}
        doc.values[()] = Position(first_line, 1)
        return
    if lazy:
        data = _plain(node, 0, set())
        if isinstance(data, dict):
            doc.data, doc.unparsed, doc.yaml_text = data, first_line, text
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


def _too_deep(doc: Document, text: str, offset: int) -> bool:
    """Whether a collection nests deeper than MAX_NESTING, reported where the first one starts;
    found from the parser's events, without composing (or recursing)."""
    # Per open collection: for a mapping, whether its next node is a key; None for a sequence.
    open_: list[bool | None] = []
    key = ""  # the top-level field the events are in
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent | yaml.ScalarEvent | yaml.AliasEvent):
                is_key = bool(open_) and open_[-1] is True
                if open_ and open_[-1] is not None:
                    open_[-1] = not open_[-1]
                if len(open_) == 1 and is_key and isinstance(event, yaml.ScalarEvent):
                    key = event.value
            if isinstance(event, yaml.CollectionStartEvent):
                if len(open_) > MAX_NESTING:
                    _report_nesting(doc, event.start_mark, offset, key)
                    return True
                open_.append(True if isinstance(event, yaml.MappingStartEvent) else None)
            elif isinstance(event, yaml.CollectionEndEvent):
                open_.pop()
    except yaml.YAMLError:
        return False  # composing stops at the same place, as shallow, and reports it located
    return False


def _report_nesting(doc: Document, mark: yaml.Mark, offset: int, key: str) -> None:
    doc.problem(
        Position(mark.line + 1 + offset, mark.column + 1),
        key,
        f"values nest more than {MAX_NESTING} levels deep here",
        "no field needs that: look for brackets [ ] or braces { } that are not closed, or "
        "indentation that keeps growing",
        code="too-deep",
    )


class _UnfitError(Exception):
    """What ``_Builder`` reports: an alias, a tag, a key that is no text or given twice, or
    nesting too deep."""


def _plain(node: yaml.Node, depth: int, seen: set[int]) -> Any:
    """The plain data ``_Builder`` makes of a composed YAML node, without positions; None for
    anything it would report (``_UnfitError``)."""
    try:
        return _data(node, depth, seen)
    except _UnfitError:
        return None


def _data(node: yaml.Node, depth: int, seen: set[int]) -> Any:
    if id(node) in seen:
        raise _UnfitError
    seen.add(id(node))
    tag = node.tag
    if isinstance(node, yaml.ScalarNode) and tag in _SCALAR:
        if tag == _STR:
            return node.value
        try:
            value = _SCALAR[tag](node)
        except (ValueError, KeyError, IndexError, yaml.YAMLError):
            return node.value
        return node.value if isinstance(value, float) and not math.isfinite(value) else value
    if depth > MAX_NESTING and isinstance(node, yaml.CollectionNode):
        raise _UnfitError
    if isinstance(node, yaml.MappingNode) and tag == _MAP:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag in _SCALAR):
                raise _UnfitError
            if key_node.value in result:
                raise _UnfitError
            result[key_node.value] = _data(value_node, depth + 1, seen)
        return result
    if isinstance(node, yaml.SequenceNode) and tag == _SEQ:
        return [_data(item, depth + 1, seen) for item in node.value]
    raise _UnfitError


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
        if len(path) > MAX_NESTING and isinstance(node, yaml.CollectionNode):
            self.failed = True
            _report_nesting(self.doc, node.start_mark, self.offset, field_name(path[:1]))
            return None
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
