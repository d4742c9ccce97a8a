"""Slugs and ids made from text in any script: the one way a title, a name or a file's name
becomes lowercase letters a-z, digits and single hyphens (the id pattern of
schema/common.schema.json), for ``dossier new`` and for every suggestion of an id or a slug.

German letters are spelled the German way (``data/transliteration.yaml``: ü -> ue, ß -> ss);
every other script goes through Unidecode, the transliteration Pelican itself depends on, kept
up to date with Unicode (Cyrillic, Hangul, Han, Greek, …). The result does not depend on the
language a text is in, since an article's translations share its slug.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from unidecode import unidecode

from dossier.data import load

LENGTH = 60  # a slug made from a title stops at a word before this many characters


def slugify(text: str, length: int = LENGTH) -> str:
    """``text`` as an id or slug, at most ``length`` characters, cut after a whole word where
    there is one: 'Größere Lücken bei Öl-Sanktionen' -> 'groessere-luecken-bei-oel-sanktionen'.
    Empty when the text has no letter or digit that ASCII can spell."""
    spelled = unicodedata.normalize("NFC", text).translate(_letters())
    ascii_text = re.sub(r"['’]", "", unidecode(spelled))  # "Kim's", "Pkhen'ian": one word
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) <= length:
        return slug
    cut = slug[: length + 1]
    return (cut.rsplit("-", 1)[0] if "-" in cut else cut[:length]).strip("-")


@cache
def _letters() -> dict[int, str]:
    return str.maketrans(load("transliteration"))
