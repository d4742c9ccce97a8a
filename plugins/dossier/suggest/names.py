"""Suggest stage, names: the registry's names in one language, found in a text in one pass.

Every name of every entry (its name in the language and all its aliases, folded by
``words.Folding``) goes into one Aho-Corasick automaton (pyahocorasick), made once per registry
and language; a text is then searched for all of them at once, in time that grows with the
text, not with the registry. A folded name starts and ends with a space, and so does a folded
text, so a name is only ever found as whole words. Entries that share a name (the actor and the
location "Nordkorea") are found together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import ahocorasick

from dossier.read.corpus import EntityFile
from dossier.suggest.words import Folding


@dataclass(frozen=True, slots=True)
class Mention:
    """A name found in a folded line: where (``start`` is the space before its first word,
    ``end`` the space after its last), and the entries it names."""

    start: int
    end: int
    ids: tuple[str, ...]

    def word(self, line: str) -> int:
        """The index of its first word among the line's words."""
        return line.count(" ", 0, self.start + 1) - 1

    def words(self, line: str) -> int:
        """How many words it is."""
        return line.count(" ", self.start, self.end)


class Names:
    """One language's names of some entries, ready to be found in texts folded the same way."""

    def __init__(self, names: Iterable[tuple[str, Iterable[str]]], folding: Folding) -> None:
        """``names``: (id, its names) pairs."""
        self.folding = folding
        by_key: dict[str, dict[str, None]] = {}
        for entry_id, entry_names in names:
            for name in entry_names:
                words = folding.words(name)
                if not words or len("".join(words)) < 2:  # a lone letter names nothing
                    continue
                by_key.setdefault(f" {' '.join(words)} ", {})[entry_id] = None
        self.automaton: Any = ahocorasick.Automaton()
        for key, ids in by_key.items():
            self.automaton.add_word(key, (len(key), tuple(ids)))
        self.empty = not by_key
        if not self.empty:
            self.automaton.make_automaton()

    def find(self, line: str) -> tuple[list[Mention], set[str]]:
        """In a folded line (``Folding.line``): the mentions, longest first where names
        overlap ("Kim Jong Un" before "Kim", "UN-Sicherheitsrat" before "UN"), in the order
        of the line; and every entry named anywhere, also inside a longer name."""
        if self.empty:
            return [], set()
        found = [
            Mention(end - length + 1, end, ids) for end, (length, ids) in self.automaton.iter(line)
        ]
        named = {entry_id for mention in found for entry_id in mention.ids}
        found.sort(key=lambda m: m.start)
        if all(a.end <= b.start for a, b in pairwise(found)):
            return found, named  # no name overlaps another: the common case
        kept: list[Mention] = []
        for mention in sorted(found, key=lambda m: (m.start - m.end, m.start)):
            # Neighbours share the space between them; a longer name kept covers a word.
            if all(mention.end <= k.start or mention.start >= k.end for k in kept):
                kept.append(mention)
        return sorted(kept, key=lambda m: m.start), named


@dataclass
class Lexicon:
    """The registry as suggestions know it: each entry's kind, file and names by language,
    and each language's ``Names``, made when first asked for."""

    kinds: dict[str, str]  # id -> kind
    sources: dict[str, str]  # id -> its file, as diagnostics show it
    names: dict[str, dict[str, tuple[str, ...]]]  # id -> lang -> its names there
    _made: dict[str, Names] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, entities: Iterable[EntityFile], kinds: Iterable[str]) -> Lexicon:
        """The entries of ``kinds`` (those an article can reference) that read as data."""
        wanted = set(kinds)
        kinds_by_id, sources, names = {}, {}, {}
        for entity in entities:
            data = entity.doc.data
            if entity.kind not in wanted or not isinstance(data, dict):
                continue
            if entity.id in kinds_by_id:  # an id used twice: check reports it
                continue
            kinds_by_id[entity.id] = entity.kind
            sources[entity.id] = entity.doc.display
            names[entity.id] = _names(data)
        return cls(kinds_by_id, sources, names)

    def matcher(self, lang: str) -> Names:
        if lang not in self._made:
            self._made[lang] = Names(
                ((i, by_lang.get(lang, ())) for i, by_lang in self.names.items()),
                Folding.of(lang),
            )
        return self._made[lang]

    def name(self, entry_id: str, lang: str) -> str:
        """The entry's name in ``lang`` (its id if it has none there)."""
        found = self.names.get(entry_id, {}).get(lang, ())
        return found[0] if found else entry_id


def _names(data: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Per language the entry's name there, then its aliases (written in any language)."""
    name = data.get("name") if isinstance(data.get("name"), dict) else {}
    aliases = data.get("aliases") if isinstance(data.get("aliases"), list) else []
    aliases = [a for a in aliases if isinstance(a, str)]
    return {
        lang: tuple(dict.fromkeys([*([text] if isinstance(text, str) else []), *aliases]))
        for lang, text in name.items()
    }
