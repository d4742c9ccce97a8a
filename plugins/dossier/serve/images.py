"""``dossier serve``, the smaller copies of the articles' own images (an article page's
``srcset`` names them): made when one is asked for, by the build's own function and in its cache
(``publish.files.variant_file``), so that their bytes are the build's. Nothing is written into an
output folder; a copy not cached yet is made into the cache, as the build would make it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from dossier.publish.files import variant_file
from dossier.read.images import Image, Variant, is_remote, variants
from dossier.render.pages import Pages


class ImageCopies:
    """The smaller copies of the served articles' images, by the name the build writes each
    under ('images/photo-480w.jpg'). ``warn`` hears of a damaged cached copy."""

    def __init__(self, pages: Pages, warn: Callable[[str], None]) -> None:
        self.pages, self.warn = pages, warn
        settings = pages.model.settings
        self.content = settings.content_folder
        self.cache = settings.cache_folder / "dossier-images"  # the build's (ImageSizesGenerator)

    @cached_property
    def by_name(self) -> dict[str, tuple[Image, Variant]]:
        """Each copy's name -> the image it is made from, and its size; known without making
        one."""
        images = self.pages.model.site.images
        out: dict[str, tuple[Image, Variant]] = {}
        for article in self.pages.articles.values():
            src = (article.data.get("image") or {}).get("src")
            if src and not is_remote(src) and (image := images.get(src)):
                for variant in variants(image):
                    out.setdefault(variant.src.lstrip("/"), (image, variant))
        return out

    def file(self, name: str) -> Path | None:
        """The cached copy written as ``name``, made when there is none; None when no article
        shows such a copy."""
        found = self.by_name.get(name)
        if found is None:
            return None
        image, variant = found
        return variant_file(self.content, image, variant, self.cache, self.warn)
