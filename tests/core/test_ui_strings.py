"""The theme's UI strings: complete in every language, every key the templates use exists, and
every entity type the schemas allow has a label.

Keys are found the way translators' tools find them: Babel's Jinja extractor over the templates,
with t and tn as the gettext keywords.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from dossier.render.ui_strings import UiStrings, load

from ..conftest import REPO, catalogue
from ..support.sample import LANGS

THEME = REPO / "theme"


def used_keys() -> set[str]:
    found = extract_from_dir(
        str(THEME / "templates"),
        method_map=[("**.html", "jinja2")],
        keywords={"t": (1,), "tn": (1,)},
    )
    return {message for _, _, message, _, _ in found}


def test_every_language_has_every_string_and_no_empty_one() -> None:
    catalogues = {lang: catalogue(lang) for lang in LANGS}
    assert catalogues["de"].keys() == catalogues["en"].keys()
    for lang, strings in catalogues.items():
        for key, text in strings.items():
            texts = text if isinstance(text, tuple) else (text,)
            assert all(t.strip() for t in texts), (lang, key)


def test_every_key_the_templates_use_is_in_the_catalogues() -> None:
    used = used_keys()
    assert len(used) > 40  # the extractor really found the calls
    assert used - catalogue("de").keys() == set()


def schema_types() -> set[str]:
    """Every entity type any registry schema allows (schema/entities/*.schema.json)."""
    types: set[str] = set()
    for path in (REPO / "schema" / "entities").glob("*.schema.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        types.update(schema["properties"].get("type", {}).get("enum", []))
    return types


def test_every_type_the_schemas_allow_has_a_label_in_every_language() -> None:
    types = schema_types()
    assert {"Person", "GovernmentOrganization", "AdministrativeArea", "SeaBodyOfWater"} <= types
    for lang in LANGS:
        words = catalogue(lang)
        for name in types:
            label = words.get(f"type_{name}")
            assert label, (lang, name)
            # Words for readers, not schema.org's run-together class names.
            assert not re.search(r"[a-z][A-Z]", label), (lang, name, label)


def test_a_missing_key_or_language_stops_the_build_instead_of_showing_the_key() -> None:
    words = load(THEME.resolve(), LANGS)
    assert words.text("skip_to_content", "de") == "Zum Inhalt springen"
    with pytest.raises(KeyError, match="'no_such_key' has no 'en' text"):
        words.text("no_such_key", "en")
    with pytest.raises(KeyError, match="no UI strings for language 'fr'"):
        words.text("skip_to_content", "fr")


@pytest.mark.parametrize(
    ("lang", "n", "shown", "expected"),
    [
        ("de", 1, "1", "1 Artikel"),
        ("de", 2, "2", "2 Artikel"),
        ("en", 1, "1", "1 article"),
        ("en", 1234, "1,234", "1,234 articles"),
    ],
)
def test_counts_take_the_language_s_plural_form(
    lang: str, n: int, shown: str, expected: str
) -> None:
    words: UiStrings = load(Path(THEME).resolve(), LANGS)
    assert words.count("articles_total", n, lang, shown) == expected
