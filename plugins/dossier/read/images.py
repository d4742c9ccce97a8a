"""Read stage, images: where each image the pages show lives, and its size in pixels.

Search engines and social networks want image sizes (Google: at least 50,000 pixels, and
1,200 pixels wide for large previews), so sizes are read from the files' headers once, here.
Images given as https URLs are used as they are; their size is unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import imagesize

# Google's guidance for article images in search results and Discover.
MIN_PIXELS = 50_000
MIN_WIDTH = 1200


@dataclass(frozen=True)
class Image:
    src: str  # as the editor wrote it: a path below content/ or an https URL
    width: int | None = None
    height: int | None = None


def is_remote(src: str) -> bool:
    return re.match(r"https?://", src) is not None


def local_file(content: Path, src: str) -> Path:
    return (content / src.lstrip("/")).resolve()


def pixel_size(path: Path) -> tuple[int, int] | None:
    """Width and height from the file's header, or None when it is not an image we can read."""
    try:
        width, height = imagesize.get(path)
    except (OSError, ValueError):
        return None
    return (width, height) if width > 0 and height > 0 else None


def read_image(content: Path, src: str) -> Image:
    if is_remote(src):
        return Image(src)
    size = pixel_size(local_file(content, src))
    return Image(src, *size) if size else Image(src)


def size_problem(image: Image) -> str | None:
    """Why an image is too small for search engines' large previews, if it is."""
    if image.width is None or image.height is None:
        return None
    if image.width * image.height < MIN_PIXELS or image.width < MIN_WIDTH:
        return (
            f"is {image.width}×{image.height} pixels; search engines show large previews only "
            f"for images at least {MIN_WIDTH} pixels wide"
        )
    return None


# --- responsive sizes ---------------------------------------------------------------------------

# Widths offered in srcset, besides the original: phones, tablets, and large previews.
WIDTHS = (480, 800, 1200)


@dataclass(frozen=True)
class Variant:
    src: str  # below content/'s URL space, e.g. images/photo-480w.jpg
    width: int
    height: int


def variants(image: Image, widths: tuple[int, ...] = WIDTHS) -> list[Variant]:
    """Smaller copies of a local raster image for srcset: every width below the original's."""
    if is_remote(image.src) or not image.width or not image.height:
        return []
    stem, dot, ext = image.src.rpartition(".")
    if not dot or ext.lower() not in {"jpg", "jpeg", "png", "webp"}:
        return []
    return [
        Variant(f"{stem}-{w}w.{ext}", w, round(image.height * w / image.width))
        for w in widths
        if w < image.width
    ]
