"""YAML that is edited, not just read: ruamel.yaml's round trip keeps comments, quotes, flow or
block style and key order, so a command that changes one id leaves every other byte alone.

The reader (``source``) stays the only judge of what a file means; this module only rewrites
files that it has read, and finds the indentation each one uses, since ruamel.yaml writes one
indentation for a whole document.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from dossier.read.source import reads_as_text

# (mapping, sequence, offset): block lists indented under their key (`  - x`), the sample's
# style, or flush with it (`- x`), the other common one; with 4-space mappings likewise.
_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 6, 4), (4, 4, 0))


@dataclass
class Source:
    """A text file as found, and how to write it back the same way (byte-order mark, CRLF)."""

    text: str  # normalised: no BOM, LF line ends
    bom: bool = False
    crlf: bool = False

    @classmethod
    def read(cls, path: Path) -> Source:
        text = path.read_bytes().decode("utf-8")  # not read_text: it would hide CRLF
        bom, text = text.startswith("\ufeff"), text.removeprefix("\ufeff")
        crlf = "\r\n" in text
        return cls(text.replace("\r\n", "\n"), bom, crlf)

    def render(self, text: str) -> str:
        """``text`` in this file's own conventions."""
        return ("\ufeff" if self.bom else "") + (text.replace("\n", "\r\n") if self.crlf else text)


@dataclass
class Editable:
    """A YAML document to edit: the data (ruamel's commented map) and the dumper that writes it
    back in its own indentation."""

    data: Any
    yaml: YAML

    def dump(self) -> str:
        out = io.StringIO()
        self.yaml.dump(self.data, out)
        return out.getvalue()


class EditError(ValueError):
    """A file that cannot be edited safely (it does not parse)."""


def load(text: str) -> Editable:
    """Parse ``text`` for editing, with the indentation that writes it back unchanged (the
    first of the usual ones that does; the sample's when none does)."""
    first = None
    for mapping, sequence, offset in _INDENTS:
        yaml = YAML()
        yaml.preserve_quotes = True
        yaml.width = 1_000_000  # never fold a long summary onto a second line
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        try:
            document = Editable(yaml.load(text), yaml)
        except YAMLError as error:
            raise EditError(str(error).splitlines()[0]) from error
        if document.dump() == text:
            return document
        first = first or document
    return first


def scalar(text: str) -> Any:
    """A value as YAML reads ``text``: ``2023-09-13T12:30:00+02:00`` stays a timestamp that is
    written back just so, where a Python string would be quoted."""
    return YAML().load(f"value: {text}")["value"]


# Plain scalars that the reader (PyYAML) reads as text but other YAML tools do not: YAML 1.1's
# booleans y and n, YAML 1.2's numbers (1e3, 0o17) and infinities, and timestamps (which the
# reader keeps as text on purpose). What the commands write means one thing to every tool.
_AMBIGUOUS = re.compile(
    r"[yYnN]|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|\d{4}-\d\d?-\d\d?([Tt ].*)?"
)


def plain(value: str) -> bool:
    """Whether ``value`` can be written without quotes and still read back as this text: by
    the reader (``source.reads_as_text``: not ``no``, ``on``, ``~``, ``0x1f``, ``12:30:00``) and
    by other YAML tools (not ``y``, ``1e3``, ``2023-09-13``)."""
    return reads_as_text(value) and not _AMBIGUOUS.fullmatch(value)


def text(value: str) -> str:
    """A string a command puts into a file, in double quotes where it is not ``plain``.
    ruamel.yaml follows YAML 1.2, where ``no`` and ``on`` are text, and would write them plain;
    what it quotes by its own rules it still quotes."""
    return value if plain(value) else DoubleQuotedScalarString(value)


def put(data: Any, key: str, value: Any, order: list[str]) -> None:
    """Set a field; a new one goes where ``order`` (the schema's) puts it among those present."""
    if key in data:
        data[key] = value
        return

    def rank(name: str) -> int:
        return order.index(name) if name in order else len(order)

    data.insert(sum(1 for name in data if rank(name) <= rank(key)), key, value)


def shift_comment(container: Any, key: Any, slot: int, by: int) -> None:
    """Keep the gap before a comment after a value that grew or shrank by ``by`` characters:
    ruamel.yaml keeps the comment's column. ``slot``: 2 for a mapping's value, 0 for a list's
    item."""
    comments = getattr(container, "ca", None)
    token = comments.items.get(key, [None] * 4)[slot] if comments else None
    if token is not None:
        token.column = max(0, token.column + by)


def split_front_matter(text: str) -> tuple[str, str]:
    """An article's front matter (between the ``---`` lines) and the rest, closing line and
    body. The reader has already refused an article without a closed front matter."""
    lines = text.split("\n")
    close = next(i for i, line in enumerate(lines[1:], 1) if line.rstrip() in {"---", "..."})
    front = "\n".join(lines[1:close]) + "\n"
    return front, "\n".join(lines[close:])


def join_front_matter(front: str, rest: str) -> str:
    return f"---\n{front}{rest}"
