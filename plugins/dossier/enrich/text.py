"""Enrich stage, text: what the pages need to know about a text (its first sentence, its
words), as pure functions of strings."""

from __future__ import annotations

import html
import re
from collections.abc import Collection

# Where a sentence may end: the word before a . ! or ?, the mark, any closing quotes or
# brackets; then (looked at, not taken, so the next word is matched in its turn) a space and
# the next sentence's first letter, perhaps behind an opening quote. The word is matched from
# its start only: tried from every character of a long word without a mark, it would take time
# growing with the square of the word's length (a pasted run of 40,000 letters took a minute).
_SENTENCE_END = re.compile(r"(?<!\S)(\S*)([.!?])[\"'’”“»)\]]*(?=\s+[\"'‘“„«(\[]*(\w))")


def first_sentence(text: str, abbreviations: Collection[str] = ()) -> str:
    """A text's first sentence: up to the first . ! or ? followed by a space and a capital.

    A period does not end it after a single letter ("z. B."), a word holding periods ("U.S."),
    a number of up to three digits (German ordinals: "am 13. September") or one of the
    language's ``abbreviations`` ("Nr."). When unsure it keeps going: a longer line beats a cut
    one. The whole text when no sentence ends before its end."""
    for match in _SENTENCE_END.finditer(text):
        word, mark, letter = match.groups()
        word = word.lstrip("\"'‘“„«([")
        abbreviated = (
            (len(word) == 1 and word.isalpha())
            or "." in word
            or (word.isdigit() and len(word) <= 3)
            or word in abbreviations
        )
        if letter.isupper() and not (mark == "." and abbreviated):
            return text[: match.end()].strip()
    return text.strip()


_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|pre|table|tr|td|th|figure|figcaption|hr)\b[^>]*>",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+(?:[-'’.,]\w+)*")  # "UN-Sanktionen", "Kim's", "500,000" are one word


def word_count(body_html: str) -> int:
    """Words in the rendered body, as a reader counts them: block tags separate words, inline
    tags (``<em>un</em>believable``) and soft hyphens do not."""
    text = re.sub(r"<[^>]*>", "", _BLOCK_TAG.sub(" ", body_html))
    return len(_WORD.findall(html.unescape(text).replace("\u00ad", "")))
