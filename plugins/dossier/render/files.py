"""Render stage, the other files of the model: the feeds, the sitemaps and robots.txt, each found
by the name the build writes it under and made when asked for (``dossier serve``). The build
writes the same bytes with the same functions (``publish.files``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property

from dossier.enrich.context import BuildContext
from dossier.enrich.feeds import entity_feed, feed_file, feed_urls, site_feed
from dossier.enrich.sitemaps import INDEX_FILE, NEWS_FILE, ROBOTS_FILE, sitemap_files
from dossier.resolve.model import Entity
from dossier.settings import DossierSettings


class Files:
    """The model's feeds and sitemaps by name. ``now``: the build time the news sitemap
    counts its last days from (``DossierSettings.build_time``)."""

    def __init__(
        self, ctx: BuildContext, settings: DossierSettings, now: Callable[[], datetime]
    ) -> None:
        self.ctx, self.settings, self.now = ctx, settings, now

    @cached_property
    def feeds(self) -> dict[str, tuple[str, str, Entity | None]]:
        """name -> (format, language, entity or None for the site's feed): known without
        making a feed."""
        out: dict[str, tuple[str, str, Entity | None]] = {}
        for lang in self.ctx.site.languages:
            for entity in [None, *self.ctx.site.entities.values()]:
                for ext, name in feed_urls(self.ctx.urls, lang, entity).items():
                    out[name] = (ext, lang, entity)
        return out

    def render(self, name: str) -> bytes | None:
        """The file written as ``name``; None when the model makes no such file."""
        if name in self.feeds:
            ext, lang, entity = self.feeds[name]
            limit = self.settings.feed_limit
            feed = site_feed(self.ctx, lang, limit) if entity is None else (
                entity_feed(self.ctx, entity, lang, limit)
            )  # fmt: skip
            return feed_file(ext, feed)
        if name in {INDEX_FILE, NEWS_FILE, ROBOTS_FILE} or (
            name.startswith("sitemap-") and name.endswith(".xml")
        ):
            made = sitemap_files(self.ctx.site, self.ctx.urls, self.settings, self.now())
            return made.get(name)
        return None
