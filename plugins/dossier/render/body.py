"""Render stage, an article's text: Markdown to HTML."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def markdown_options(configured: Mapping[str, Any]) -> dict[str, Any]:
    """Pelican's ``MARKDOWN`` setting as python-markdown's arguments: as in Pelican's own Markdown
    reader, every extension ``extension_configs`` configures is loaded too."""
    options = dict(configured)
    extensions = list(options.get("extensions", []))
    extensions += [name for name in options.get("extension_configs", {}) if name not in extensions]
    return options | {"extensions": extensions}
