"""How diagnostics word things: "a" or "an", alternatives, counts, "did you mean".

Shared by the content checks, their summary and the JSON-LD linter, so that they say the same
things the same way.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def a_or_an(noun: str) -> str:
    """'an actor', 'a Person': chosen by the first letter, which serves the words messages use."""
    return f"{'an' if noun[0].lower() in 'aeiou' else 'a'} {noun}"


def alternatives(words: Sequence[str], conjunction: str = "or") -> str:
    """'a', 'a or b', 'a, b or c' (with ``conjunction`` "and", 'a, b and c'), in the order given."""
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def plural(n: int, word: str, words: str | None = None, *, grouped: bool = False) -> str:
    """'1 error', '2 errors'; ``words`` for a plural that is not ``word`` + s ('entries');
    ``grouped`` separates the thousands ('1,234 pages')."""
    number = f"{n:,}" if grouped else f"{n}"
    return f"{number} {word}" if n == 1 else f"{number} {words or word + 's'}"


def did_you_mean(suggestion: str | None) -> str:
    """The hint for a likely slip; nothing without a suggestion."""
    return f"did you mean '{suggestion}'?" if suggestion else ""


def character(char: str) -> str:
    """A character as messages name it: 'U+202E RIGHT-TO-LEFT OVERRIDE', 'U+001B' (Unicode gives
    the control characters no name)."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"
