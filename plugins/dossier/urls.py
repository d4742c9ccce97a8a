"""Every URL the site has, from the patterns in the settings (directory-style: ``…/slug/``).

``url`` values are relative to the site root, as Pelican's are (``de/akteure/kim-jong-un/``);
``href`` turns one into a link (SITEURL + url) and ``absolute`` into the canonical address
(DOSSIER_SITE_URL + url), which JSON-LD, canonical links and feeds need.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .kinds import load_kinds
from .resolve import Article, Entity


class Urls:
    def __init__(self, settings: Mapping[str, Any]):
        self.links = settings.get("SITEURL", "").rstrip("/")
        self.site = settings["DOSSIER_SITE_URL"].rstrip("/")
        self.patterns = {
            "article": settings["ARTICLE_URL"],
            "entity": settings["DOSSIER_ENTITY_URL"],
            "kind": settings["DOSSIER_KIND_URL"],
            "home": settings["DOSSIER_HOME_URL"],
            "id": settings["DOSSIER_ID_URL"],
        }
        self.segments = {kind: words["path"] for kind, words in load_kinds().items()}

    def article(self, article: Article) -> str:
        return self.patterns["article"].format_map({**article.data, "date": article.date})

    def entity(self, entity: Entity, lang: str) -> str:
        segment = self.segments[entity.kind][lang]
        return self.patterns["entity"].format(lang=lang, kind=segment, id=entity.id)

    def kind(self, kind: str, lang: str) -> str:
        return self.patterns["kind"].format(lang=lang, kind=self.segments[kind][lang])

    def home(self, lang: str) -> str:
        return self.patterns["home"].format(lang=lang)

    def iri(self, entity: Entity) -> str:
        """The entity's @id: one IRI for every page and both languages."""
        return self.absolute(self.patterns["id"].format(kind=entity.kind, id=entity.id))

    def href(self, url: str) -> str:
        return f"{self.links}/{url}"

    def absolute(self, url: str) -> str:
        return f"{self.site}/{url}"


def save_as(url: str) -> str:
    """Where a directory-style URL is written: ``de/orte/`` -> ``de/orte/index.html``."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url
