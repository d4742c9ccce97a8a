"""An article's text: how Markdown is configured, without Pelican."""

from __future__ import annotations

import runpy

from dossier.render.body import markdown_options

from ..conftest import REPO

MARKDOWN = runpy.run_path(str(REPO / "pelicanconf.py"))["MARKDOWN"]  # the project's


def test_markdown_loads_the_extensions_it_is_configured_with() -> None:
    options = markdown_options(MARKDOWN)
    assert options["extensions"] == [
        "markdown.extensions.extra",
        "markdown.extensions.smarty",
    ]
    assert markdown_options({**MARKDOWN, "extensions": ["toc"]})["extensions"][0] == "toc"
    assert MARKDOWN.get("extensions") is None  # the setting itself is left as it was
