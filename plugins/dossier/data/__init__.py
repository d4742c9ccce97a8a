"""Dossier's own data, kept in YAML files beside this module: the registry's kinds
(``kinds.yaml``), the links between its entries (``links.yaml``), facts about its languages
(``languages.yaml``), the placeholders left for editors (``placeholders.yaml``), how the registry
becomes schema.org (``schemaorg.yaml``), what ``dossier suggest`` expects of texts
(``suggestions.yaml``), the feeds' words (``feeds.yaml``), the JSON-LD
linter's rules (``jsonld_check.yaml``) and the HTML an article's text may hold
(``html_policy.yaml``, read by ``html_policy``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

FOLDER = Path(__file__).resolve().parent
Kinds = dict[str, dict[str, dict[str, str]]]  # kind -> {singular|plural|path} -> lang -> word


@cache
def load(name: str) -> Any:
    """One of the data files, by its name without ``.yaml``; read once per process."""
    return yaml.safe_load((FOLDER / f"{name}.yaml").read_text(encoding="utf-8"))


def load_kinds() -> Kinds:
    return load("kinds")


def singular(kind: str, lang: str = "en") -> str:
    return load_kinds()[kind]["singular"][lang]


def kind_named(word: str) -> str | None:
    """The registry kind ``word`` names, by its folder's name ('locations') or its singular in
    English ('location'), in any case; None when it names none."""
    word = word.strip().casefold()
    for kind in load_kinds():
        if word in {kind.casefold(), singular(kind).casefold()}:
            return kind
    return None


@dataclass(frozen=True)
class Link:
    """A registry field that names other entries, and what the link means (``links.yaml``)."""

    field: str
    schemaorg: str  # the schema.org property it becomes
    inbound: str | None  # UI string key of the link seen from the target's page; None: not shown
    acyclic: bool  # following it must never lead back to the entry it started from


@cache
def load_links() -> tuple[Link, ...]:
    """The registry's links, in the order an entry's facts show them."""
    return tuple(
        Link(
            field=field,
            schemaorg=facts["schemaorg"],
            inbound=facts.get("inbound"),
            acyclic=facts.get("acyclic", False),
        )
        for field, facts in load("links").items()
    )


def load_languages() -> dict[str, dict[str, Any]]:
    """Facts about each language that are not UI text."""
    return load("languages")


def load_suggestions() -> dict[str, Any]:
    """What ``dossier suggest`` expects of an article's text (``suggestions.yaml``)."""
    return load("suggestions")


def load_placeholders() -> dict[str, dict[str, str]]:
    """What ``dossier new`` and ``dossier translate`` leave for an editor: marker, message, hint."""
    return load("placeholders")
