"""Read stage, images: where each image the pages show lives, and its size in pixels.

Search engines and social networks want image sizes (Google: at least 50,000 pixels, and
1,200 pixels wide for large previews), so sizes are read from the files' headers once, here.
Images given as https URLs are used as they are; their size is unknown.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import imagesize

# The images the site serves from its static folders, by extension, and the format Pillow finds
# in such a file. SVG is not among them: it is a document, which can hold scripts and load other
# files, and a static file is served from the site's own origin; proving an SVG harmless takes a
# sanitiser, and the image pipeline (sizes, smaller copies) cannot read it anyway.
STATIC_TYPES = {
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "png": "PNG",
    "webp": "WEBP",
    "avif": "AVIF",
    "gif": "GIF",
}

# Pillow's decompression-bomb limit (PIL.Image.MAX_IMAGE_PIXELS: 0.25 GiB at 3 bytes a pixel):
# it warns above it and refuses twice as many. DOSSIER_IMAGE_MAX_PIXELS may only be lower.
PILLOW_MAX_PIXELS = 89_478_485

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


def image_problem(path: Path, max_pixels: int, *, decode: bool = False) -> str | None:
    """Why the image at ``path`` cannot be published as it is, worded after its name; None when
    it can. It must hold the format its extension names (a .png that is HTML, or JPEG, is
    refused), have at most ``max_pixels`` pixels, and pass Pillow's verification (a PNG's
    chunks whole); with ``decode``, it must decode whole, as the build decodes an article's own
    image to make its smaller copies."""
    from PIL import Image as Pillow
    from PIL import UnidentifiedImageError

    expected = STATIC_TYPES.get(path.suffix.lower().removeprefix("."))
    if expected is None:
        return "is not an image the site publishes"
    size = pixel_size(path)
    if size and size[0] * size[1] > max_pixels:
        return _too_many(*size, max_pixels)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Pillow.DecompressionBombWarning)
            with Pillow.open(path, formats=[expected]) as image:
                width, height = image.size
                if width * height > max_pixels:
                    return _too_many(width, height, max_pixels)
                if decode:
                    image.load()
                else:
                    image.verify()
    except (Pillow.DecompressionBombError, Pillow.DecompressionBombWarning):
        return f"has more pixels than the limit of {max_pixels:,}"
    except UnidentifiedImageError:
        return f"is not {'an' if expected == 'AVIF' else 'a'} {expected} image, as its name says"
    except OSError as error:
        if isinstance(error, FileNotFoundError | PermissionError | IsADirectoryError):
            return f"cannot be read: {error.strerror}"
        return f"cannot be decoded: the image data is broken ({error})"
    except Exception as error:  # noqa: BLE001 - Pillow's decoders raise many kinds on bad data
        return f"cannot be decoded: the image data is broken ({error})"
    return None


def _too_many(width: int, height: int, most: int) -> str:
    return f"is {width:,}×{height:,} pixels, more than the limit of {most:,} pixels"


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
