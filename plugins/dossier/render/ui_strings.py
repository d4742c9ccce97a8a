"""Render stage, words: the theme's UI strings from its gettext catalogues, per language.

Catalogues are the standard PO files under ``theme/translations/<lang>/LC_MESSAGES/``, read with
Babel, so translators can use their usual tools. Message ids are keys (``skip_to_content``);
a key missing from a language stops the build instead of showing the key to readers.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DOMAIN = "messages"


def catalogue_path(theme: Path, lang: str) -> Path:
    return theme / "translations" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def load(theme: Path, languages: tuple[str, ...]) -> UiStrings:
    catalogues = {}
    for lang in languages:
        with catalogue_path(theme, lang).open("rb") as po:
            catalog = read_po(po, locale=lang)
        compiled = BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        catalogues[lang] = Translations(compiled, domain=DOMAIN)
    return UiStrings(catalogues)


class UiStrings:
    def __init__(self, catalogues: dict[str, Translations]):
        self.catalogues = catalogues

    def text(self, key: str, lang: str) -> str:
        """t('key', lang) in templates."""
        found = self._catalogue(lang).gettext(key)
        if found == key:
            raise KeyError(f"UI string '{key}' has no '{lang}' text in {DOMAIN}.po")
        return found

    def count(self, key: str, n: int, lang: str, shown: str | None = None) -> str:
        """tn('key', n, lang): the form for n (one or other), with {n} filled in."""
        found = self._catalogue(lang).ngettext(key, f"{key}_plural", n)
        if found in (key, f"{key}_plural"):
            raise KeyError(f"UI string '{key}' has no '{lang}' plural forms in {DOMAIN}.po")
        return found.format(n=shown if shown is not None else n)

    def _catalogue(self, lang: str) -> Translations:
        try:
            return self.catalogues[lang]
        except KeyError:
            raise KeyError(f"no UI strings for language '{lang}'") from None


def keys(theme: Path, lang: str) -> Iterable[str]:
    """Every message id of a catalogue (plural entries by their singular id)."""
    with catalogue_path(theme, lang).open("rb") as po:
        for message in read_po(po, locale=lang):
            if message.id:
                yield message.id[0] if isinstance(message.id, tuple) else message.id
