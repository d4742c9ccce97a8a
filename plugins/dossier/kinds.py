"""Words the site is built from: the registry's kinds (``data/kinds.yaml``), facts about its
languages (``data/languages.yaml``) and the placeholders left for editors
(``data/placeholders.yaml``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

Kinds = dict[str, dict[str, dict[str, str]]]  # kind -> {singular|plural|path} -> lang -> word


@cache
def load_kinds() -> Kinds:
    path = Path(__file__).with_name("data") / "kinds.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def singular(kind: str, lang: str = "en") -> str:
    return load_kinds()[kind]["singular"][lang]


@cache
def load_languages() -> dict[str, dict[str, Any]]:
    """Facts about each language that are not UI text (``data/languages.yaml``)."""
    path = Path(__file__).with_name("data") / "languages.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def load_placeholders() -> dict[str, dict[str, str]]:
    """What ``dossier new`` and ``dossier translate`` leave for an editor: marker, message, hint."""
    path = Path(__file__).with_name("data") / "placeholders.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))
