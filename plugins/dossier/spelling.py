"""Did-you-mean: the one known value an editor most likely meant by what they typed, or none.

Every message that suggests something asks here: a field, a choice, a registry kind, a
schema.org term, a registry id. The candidates are the values that fit where the typo stands
(an ``actors:`` entry is offered actor ids only); a suggestion is made only when it is likely,
since a wrong one ('rajin' -> 'ukraine') sends an editor the wrong way:

- the same word in other capitals, or a registry id typed as a name ('Kim Jong Un'), or the
  name or alias of an entry ('Wladimir Putin');
- else the one candidate nearest in spelling: a slip for every four letters (a letter added,
  dropped, changed, or two swapped: 'vladimir-puttin', 'un-security-counsil', 'kimjongun'),
  and where both have as many words, one for every three letters of each word, so that a
  word replaced is no slip ('kim-jong-il' is not 'kim-jong-un'); of two candidates as near,
  the one more alike by Jaro-Winkler (which counts letters swapped as the slip they are), and
  where they are alike too, a guess, and no suggestion;
- else, for ids, the one id that has every word typed, each exactly or, in words of five
  letters or more, with one slip ('wostochny' -> 'vostochny-cosmodrome', 'north-korea' in
  ``locations:`` -> 'country-north-korea').

The distance is the optimal string alignment distance (Damerau-Levenshtein without repeated
edits of a substring), computed by RapidFuzz.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from dossier.slugs import slugify

WORD_SLIP = 5  # a word of this many letters or more may have one slip in it


def closest(
    value: str,
    candidates: Iterable[str],
    names: Mapping[str, Iterable[str]] | None = None,
) -> str | None:
    """The candidate meant by ``value``, or None. ``names`` (id -> its names and aliases) makes
    the candidates registry ids, matched also by name and by their words."""
    known = sorted(set(candidates))
    if not value or not known:
        return None
    folded = {c.casefold(): c for c in known}
    if value.casefold() in folded:
        return folded[value.casefold()]
    if names is not None:
        wanted = slugify(value)
        if wanted in folded:
            return folded[wanted]
        by_name = sorted({i for i in known if any(slugify(n) == wanted for n in names.get(i, ()))})
        if len(by_name) == 1:
            return by_name[0]
    nearest = _by_spelling(value.casefold(), folded)
    if nearest is not None or names is None:
        return nearest
    return _by_words(slugify(value), known)


def _by_spelling(value: str, folded: Mapping[str, str]) -> str | None:
    limit = max(1, len(value) // 4)
    found = process.extract(
        value, list(folded), scorer=OSA.distance, score_cutoff=limit, limit=None
    )
    near = [(score, choice) for choice, score, _ in found if _slips_per_word(value, choice)]
    if not near:
        return None
    best = min(score for score, _ in near)
    nearest = [choice for score, choice in near if score == best]
    if len(nearest) > 1:  # 2379: 2397 (two keys swapped) rather than 2371 (one missed)
        likeness = {choice: JaroWinkler.similarity(value, choice) for choice in nearest}
        top = max(likeness.values())
        nearest = [choice for choice in nearest if likeness[choice] == top]
    return folded[nearest[0]] if len(nearest) == 1 else None


def _slips_per_word(value: str, candidate: str) -> bool:
    """Whether, word by word, ``candidate`` is no further from ``value`` than a slip for every
    three letters; true when they have not as many words to compare."""
    words, others = re.split(r"[-_ ]", value), re.split(r"[-_ ]", candidate)
    if len(words) != len(others):
        return True
    return all(
        OSA.distance(w, o) <= max(1, len(w) // 3) for w, o in zip(words, others, strict=True)
    )


def _by_words(wanted: str, ids: list[str]) -> str | None:
    words = [w for w in wanted.split("-") if w]
    if not words:
        return None
    fitting = [i for i in ids if _has_words(i.split("-"), words)]
    return fitting[0] if len(fitting) == 1 else None


def _has_words(have: list[str], words: list[str]) -> bool:
    """Whether each of ``words`` is a different one of ``have``, exactly or with one slip."""
    left = list(have)
    for word in words:
        match = next(
            (
                w
                for w in left
                if w == word or (len(word) >= WORD_SLIP and OSA.distance(w, word) <= 1)
            ),
            None,
        )
        if match is None:
            return False
        left.remove(match)
    return True
