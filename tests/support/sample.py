"""The sample content as the tests expect it, read with plain PyYAML, never through the plugin:
its languages, the addresses of its pages, its articles and registry entries, and the theme's UI
strings in its languages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml

from ..conftest import REPO, catalogue

LANGS = ("de", "en")
KIND_PATHS = {
    "actors": {"de": "akteure", "en": "actors"},
    "locations": {"de": "orte", "en": "locations"},
    "sanctions": {"de": "sanktionen", "en": "sanctions"},
    "events": {"de": "ereignisse", "en": "events"},
    "topics": {"de": "themen", "en": "topics"},
    "authors": {"de": "autoren", "en": "authors"},
}
REFERENCE_FIELDS = ("actors", "locations", "sanctions", "events", "topics")
# The Babel locales dates are written in: British English, as the newsroom's English pages are.
LOCALES = {"de": "de_DE", "en": "en_GB"}
# The canonical address of the sites the tests build (DOSSIER_SITE_URL in pelicanconf.py).
SITE = "https://dossier.example"


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def articles() -> list[dict]:
    out = []
    for path in sorted((REPO / "content" / "articles").rglob("*.md")):
        data = front_matter(path)
        data["date"] = _dt(data["date"])
        data["url"] = f"/{data['lang']}/{data['date']:%Y}/{data['slug']}/"
        out.append(data)
    return out


def _dt(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def published() -> list[dict]:
    return [a for a in articles() if a.get("status", "published") == "published"]


def drafts() -> list[dict]:
    return [a for a in articles() if a.get("status") == "draft"]


def entities() -> dict[str, dict]:
    out = {}
    for path in sorted((REPO / "content" / "entities").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[path.stem] = data | {"kind": path.parent.name, "id": path.stem}
    return out


def entity_url(entity: dict, lang: str) -> str:
    return f"/{lang}/{KIND_PATHS[entity['kind']][lang]}/{entity['id']}/"


def strings() -> dict[str, dict[str, str]]:
    """The theme's UI strings without plural forms, as {key: {lang: text}}."""
    out: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        for key, text in catalogue(lang).items():
            if isinstance(text, str):
                out.setdefault(key, {})[lang] = text
    return out
