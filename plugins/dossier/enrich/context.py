"""Enrich stage, the build context: what every view and JSON-LD piece of one build needs (the
model, its URLs, the publisher and the default images), and the pieces built so far.

One context per build, so that a node or feed entry made for one page (an entity, the publisher,
an article's summary) is made once for the thousands of pages that show it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from dossier.enrich.urls import Urls
from dossier.read.images import Image
from dossier.resolve.model import Site
from dossier.settings import DossierSettings, Publisher

Node = dict[str, Any]


@dataclass(frozen=True)
class BuildContext:
    """What every piece needs: the model, the URLs and the configured publisher and images."""

    site: Site
    urls: Urls
    publisher: Publisher
    default_images: tuple[str, ...]
    timezone: str = "UTC"  # the newsroom's (TIMEZONE): times shown to editors are in it
    # Nodes already built, by piece and arguments (see ``once``).
    built: dict[tuple, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, site: Site, settings: DossierSettings) -> BuildContext:
        return cls(
            site, Urls(settings), settings.publisher, settings.default_images, settings.timezone
        )

    def iri(self, entity_id: str) -> str:
        return self.urls.iri(self.site.entities[entity_id])

    def ref(self, entity_id: str) -> Node:
        return {"@id": self.iri(entity_id)}

    def image(self, src: str) -> Image:
        return self.site.images.get(src) or Image(src)

    def image_url(self, src: str) -> str:
        return src if re.match(r"https?://", src) else self.urls.absolute(src.lstrip("/"))


def once(piece: Callable[..., Any]) -> Callable[..., Any]:
    """Build a piece once per build context for the same arguments.

    Pieces are pure in their arguments, and the same entity, publisher or article summary
    appears on thousands of pages of a large archive. The node is shared between graphs, so no
    caller may change it: graphs are assembled from pieces and serialized, never edited."""

    @wraps(piece)
    def built_once(ctx: BuildContext, *args: Any) -> Any:
        key = (piece.__name__, *args)
        try:
            return ctx.built[key]
        except KeyError:
            node = ctx.built[key] = piece(ctx, *args)
            return node

    return built_once
