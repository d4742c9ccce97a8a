"""Suggest stage, notes: what an article's text names that its front matter does not reference,
and what it references that its text never names.

The text is the title, the summary and the Markdown body. A name found there (``names``) whose
entries the article neither references (in any field that names entries: the lists, ``about``,
``authors``) nor lists in ``not_about`` becomes one note, where it is first found, saying which
entry it names and the line to add to which field. Where entries share the name, the note
offers each. An entry of a kind whose names are names (``data/suggestions.yaml``) that the
article references but whose name, in the article's language, and aliases never occur in its
text (not even inside a longer name) becomes a note on the reference.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from dossier.data import load_suggestions, singular
from dossier.diagnostics import Diagnostic
from dossier.read.source import Document, Position
from dossier.schemas import NOT_ABOUT, Schemas, id_fields, ids_in, list_items
from dossier.suggest.names import Lexicon, Mention
from dossier.suggest.words import visible, word_spans

TEXT = "text"  # the field notes about an article's body name, as the checks of the body do
FRONT = ("title", "summary")  # the front matter's texts, read before the body


@dataclass(frozen=True)
class Fields:
    """What the article schema tells suggestions: the field each kind is listed in, the fields
    whose ids count as references, and the kinds expected to be named in the text."""

    by_kind: dict[str, str]
    references: tuple[str, ...]
    named: frozenset[str]

    @classmethod
    def of(cls, schemas: Schemas) -> Fields:
        return cls(
            by_kind=schemas.field_of_kind,
            references=tuple(f for f in id_fields(schemas.article) if f != NOT_ABOUT),
            named=frozenset(load_suggestions()["named"]),
        )


@dataclass
class _Found:
    """A name found in one of the article's texts, and how often its entries were named."""

    field: str
    text: str
    line: str  # the text, folded
    mention: Mention
    count: int = 1


def article_notes(doc: Document, lexicon: Lexicon, fields: Fields) -> list[Diagnostic]:
    """The notes on one article (nothing for one whose front matter did not read; what is
    wrong in it is check's to report)."""
    data = doc.data
    lang = data.get("lang") if isinstance(data, dict) else None
    if not isinstance(lang, str):
        return []
    names = lexicon.matcher(lang)
    referenced = {i for name in fields.references for i in ids_in(data.get(name))}
    quiet = referenced | set(ids_in(data.get(NOT_ABOUT)))
    found: dict[tuple[str, ...], _Found] = {}
    named: set[str] = set()
    for field, text in _texts(doc):
        line = names.folding.line(text)
        mentions, anywhere = names.find(line)
        named |= anywhere
        for mention in mentions:
            if quiet.intersection(mention.ids):
                continue
            if mention.ids in found:
                found[mention.ids].count += 1
            else:
                found[mention.ids] = _Found(field, text, line, mention)
    lines = _Lines(doc)
    notes = [_suggestion(doc, lines, lexicon, fields, f) for f in found.values()]
    notes += _unnamed(doc, lexicon, fields, lang, named)
    return notes


def _texts(doc: Document) -> list[tuple[str, str]]:
    texts = [(name, doc.data[name]) for name in FRONT if isinstance(doc.data.get(name), str)]
    return [*texts, (TEXT, visible(doc.body))]


def _suggestion(
    doc: Document, lines: _Lines, lexicon: Lexicon, fields: Fields, found: _Found
) -> Diagnostic:
    spans = word_spans(found.text)
    first = found.mention.word(found.line)
    last = first + found.mention.words(found.line) - 1
    start, end = spans[first][0], spans[last][1]
    shown = " ".join(found.text[start:end].split())
    ids = found.mention.ids
    entries = [f"the {singular(lexicon.kinds[i])} '{i}'" for i in ids]
    times = f" ({found.count} times)" if found.count > 1 else ""
    adds = [lines.addition(fields.by_kind[lexicon.kinds[i]], i) for i in ids]
    if len(ids) == 1:
        message = f"names '{shown}'{times}, {entries[0]}, which the article does not reference"
        hint = f"{adds[0]}; or, if the article is not about it, add '{ids[0]}' to {NOT_ABOUT}"
    else:
        message = (
            f"names '{shown}'{times}: {' or '.join(entries)}, none of which the article references"
        )
        hint = f"{'; or '.join(adds)}; or, if the article is about none, add them to {NOT_ABOUT}"
    where = lines.position(found.field, start)
    return doc.diagnostic(where, found.field, message, hint, code="suggest", severity="note")


def _unnamed(
    doc: Document, lexicon: Lexicon, fields: Fields, lang: str, named: set[str]
) -> list[Diagnostic]:
    notes = []
    for kind, name in fields.by_kind.items():
        if kind not in fields.named:
            continue
        for i, entry_id in enumerate(list_items(doc.data.get(name))):
            if not isinstance(entry_id, str) or entry_id not in lexicon.kinds:
                continue  # not an id, or not the registry's: check reports it
            if entry_id in named:
                continue
            known = lexicon.names[entry_id].get(lang, ())
            if not known:
                continue
            quoted = ", ".join(f"'{n}'" for n in known)
            notes.append(
                doc.diagnostic(
                    doc.value_at((name, i)),
                    f"{name}[{i}]",
                    f"references '{entry_id}', but the text never names it ({quoted})",
                    "if the text calls it otherwise, add that name to its aliases "
                    f"({lexicon.sources[entry_id]}); if it is not about it, remove the reference",
                    code="unnamed",
                    severity="note",
                )
            )
    return notes


class _Lines:
    """Where things are in the article's file: a name in its text, the place for a new id."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._file: list[str] | None = None

    @cached_property
    def starts(self) -> list[int]:
        """Where each line of the body starts."""
        return [0, *(found.end() for found in re.finditer("\n", self.doc.body))]

    def raw(self, number: int) -> str:
        """The file's line ``number`` as written (1-based); empty if it cannot be read."""
        if self._file is None:
            try:
                self._file = Path(self.doc.path).read_text(encoding="utf-8").split("\n")
            except (OSError, UnicodeDecodeError):
                self._file = []
        return self._file[number - 1] if 0 < number <= len(self._file) else ""

    def position(self, field: str, offset: int) -> Position:
        """Where the character ``offset`` of the text of ``field`` is in the file."""
        if field == TEXT:
            line = bisect.bisect_right(self.starts, offset) - 1
            return Position(self.doc.body_line + line, offset - self.starts[line] + 1)
        start = self.doc.value_at((field,))
        value = self.doc.data[field]
        rest = self.raw(start.line)[start.column - 1 :]
        if rest.startswith(value):  # a plain value on its line
            return Position(start.line, start.column + offset)
        if rest[:1] in {"'", '"'} and rest[1:].startswith(value):  # quoted, with no escapes
            return Position(start.line, start.column + 1 + offset)
        return start  # folded over lines, or with escapes: where the value starts

    def addition(self, field: str, entry_id: str) -> str:
        """How to add ``entry_id`` to the list ``field``: the exact line to write, and where."""
        value = self.doc.data.get(field)
        if not isinstance(value, list):
            return f"add the line '{field}: [{entry_id}]' to the front matter"
        key = self.doc.key_at((field,))
        if not value:
            return f"make line {key.line} '{field}: [{entry_id}]'"
        last = self.doc.value_at((field, len(value) - 1))
        raw = self.raw(last.line)
        if last.column >= 3 and raw[last.column - 3 : last.column - 1] == "- ":
            line = f"{' ' * (last.column - 3)}- {entry_id}"
            return f"add the line '{line}' to {field}, after line {last.line}"
        if last.line == key.line and all(isinstance(v, str) for v in value):
            return f"make line {key.line} '{field}: [{', '.join([*value, entry_id])}]'"
        return f"add '{entry_id}' to {field} (line {key.line})"
