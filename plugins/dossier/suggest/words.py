"""Suggest stage, words: a text as the matcher compares it with the registry's names.

A text becomes its words, each folded: case and inflection set aside, so that "des
Sicherheitsrats", "Putins" and "den Vereinten Nationen" read as "UN-Sicherheitsrat", "Wladimir
Putin" and "Vereinte Nationen" do. A word is a run of letters and digits; everything between
words (spaces, hyphens, dashes, apostrophes, slashes, markup) only separates them, so that
"Kim Jong-un" is "Kim Jong Un" and "Korea's" ends where "Korea" does. A word in capitals
("US", "UN", "KCNA") is an abbreviation and keeps its case: "us" and "un" are other words. Any
other word is case-folded, and loses the endings inflection adds (``data/languages.yaml``),
down to three letters, again and again, so that every form of a word meets at the same stem
("Vereinte", "Vereinten" and "Vereintes" all at "vereint"). Names go through the same
folding as texts, so a stem only has to agree with itself.

What a reader does not see as words is blanked out first, every other character staying in
place: link addresses, HTML tags, attribute lists, bare URLs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from dossier.data import load_languages

SHORTEST = 3  # letters a word keeps when endings are taken off
WORD = re.compile(r"[^\W_]+")
# What Markdown shows as no text, each with the characters a text must hold to have one: a
# link's address and title, a reference definition, an HTML comment or tag, an attribute list,
# an address written out. (Each pattern alone, run only where it can match: a pattern that
# starts with its literal is searched for at C speed.)
_HIDDEN = (
    ("](", re.compile(r"\]\([^)\n]*\)")),
    ("]:", re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:.*$", re.MULTILINE)),
    ("<!--", re.compile(r"<!--.*?-->", re.DOTALL)),
    ("<", re.compile(r"<[^>\n]*>")),
    ("{", re.compile(r"\{[^}\n]*\}")),
    ("://", re.compile(r"https?://\S+")),
)


def visible(text: str) -> str:
    """``text`` with what a reader does not see as words made spaces, every other character
    in its place (so that an offset into the result is one into ``text``)."""
    for literal, pattern in _HIDDEN:
        if literal in text:
            text = pattern.sub(_blank, text)
    return text


def _blank(found: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", found.group())


class Folding:
    """How one language's words are folded; each word worked out once and kept."""

    def __init__(self, endings: Iterable[str]) -> None:
        self.endings = tuple(sorted(endings, key=len, reverse=True))
        self.known = _Known(self._fold)

    @classmethod
    def of(cls, lang: str) -> Folding:
        return cls(load_languages().get(lang, {}).get("endings", ()))

    def word(self, word: str) -> str:
        return self.known[word]

    def _fold(self, word: str) -> str:
        if len(word) > 1 and word.isupper():  # an abbreviation
            return word
        folded = word.casefold()
        stripped = True
        while stripped:
            stripped = False
            for ending in self.endings:
                if folded.endswith(ending) and len(folded) - len(ending) >= SHORTEST:
                    folded = folded[: -len(ending)]
                    stripped = True
                    break
        return folded

    def words(self, text: str) -> list[str]:
        """The folded words of ``text``."""
        return list(map(self.known.__getitem__, WORD.findall(normal(text))))

    def line(self, text: str) -> str:
        """The folded words of ``text`` between single spaces, with one at each end: a name
        found in it starts and ends at a space, so never inside a word."""
        # (map over a dict's own lookup: no Python call per word but for a new word)
        return f" {' '.join(map(self.known.__getitem__, WORD.findall(normal(text))))} "


class _Known(dict[str, str]):
    """Words folded so far; a new one is folded when first asked for."""

    def __init__(self, fold: Callable[[str], str]) -> None:
        super().__init__()
        self.fold = fold

    def __missing__(self, word: str) -> str:
        folded = self[word] = self.fold(word)
        return folded


def normal(text: str) -> str:
    """One code point for each accented letter (NFC): a name typed with a combining accent
    is the same name."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each word ``Folding.words`` finds in ``text`` starts and ends, as offsets into
    ``text`` itself: a letter typed with a combining accent ('e' + U+0301) is one letter to the
    words, two characters to the offsets."""
    folded = normal(text)
    if folded == text:
        return [found.span() for found in WORD.finditer(text)]
    composed, starts, ends = _aligned(text)
    if composed != folded:  # a composition across letters (rare): offsets as NFC counts them
        return [found.span() for found in WORD.finditer(folded)]
    return [(starts[a], ends[b - 1]) for a, b in (f.span() for f in WORD.finditer(composed))]


def _aligned(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` composed (NFC) a letter and its marks at a time, and for each character of
    that, where the characters it was composed of start and end in ``text``."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    begin = 0
    for at in range(1, len(text) + 1):
        if at < len(text) and unicodedata.combining(text[at]):
            continue  # a mark: part of the letter before it
        piece = unicodedata.normalize("NFC", text[begin:at])
        out.append(piece)
        starts += [begin] * len(piece)
        ends += [at] * len(piece)
        begin = at
    return "".join(out), starts, ends
