"""docs/settings.md shows every setting exactly as declared: its tables are the ones
dossier.settings.markdown_table() makes. After a deliberate change of a setting, rewrite them with
DOSSIER_UPDATE_GOLDEN=1 and review the diff."""

from __future__ import annotations

import os

from dossier.settings import markdown_table

from ..conftest import REPO

DOCS = REPO / "docs" / "settings.md"
BEGIN = "<!-- The tables below are made by dossier.settings.markdown_table()"
END = "<!-- end of the generated tables -->"


def test_the_docs_show_every_setting_as_declared() -> None:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index("\n", text.index(BEGIN)) + 1
    start = text.index("\n\n", start) + 2  # after the comment's second line and a blank line
    end = text.index(END)
    if os.environ.get("DOSSIER_UPDATE_GOLDEN"):
        DOCS.write_text(text[:start] + markdown_table() + text[end:], encoding="utf-8")
        return
    assert text[start:end] == markdown_table()
