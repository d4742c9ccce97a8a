"""The registry's kinds and their words, from ``data/kinds.yaml``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

Kinds = dict[str, dict[str, dict[str, str]]]  # kind -> {singular|plural|path} -> lang -> word


@cache
def load_kinds() -> Kinds:
    path = Path(__file__).with_name("data") / "kinds.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def singular(kind: str, lang: str = "en") -> str:
    return load_kinds()[kind]["singular"][lang]
