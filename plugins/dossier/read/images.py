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


@dataclass(frozen=True)
class ImageProblem:
    """Why an image cannot be published as it is: what is wrong, worded after the file's name
    ("is not a PNG image, as its name says"), what to do, and the diagnostic's code."""

    message: str
    hint: str = "save the image again, or use another one"
    code: str = "unreadable-image"


def image_problem(path: Path, max_pixels: int, *, decode: bool = False) -> ImageProblem | None:
    """Why the image at ``path`` cannot be published as it is; None when it can. It must hold
    the format its extension names (a .png that is HTML, or JPEG, is refused), have at most
    ``max_pixels`` pixels, hold no GPS position, and pass Pillow's verification (a PNG's chunks
    whole); with ``decode``, it must decode whole, as the build decodes an article's own image
    to make its smaller copies."""
    from PIL import Image as Pillow
    from PIL import UnidentifiedImageError

    expected = STATIC_TYPES.get(path.suffix.lower().removeprefix("."))
    if expected is None:
        return ImageProblem("is not an image the site publishes", _OTHER_IMAGE)
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
                if _has_position(image):
                    return GPS_PROBLEM
                if decode:
                    image.load()
                else:
                    image.verify()
    except (Pillow.DecompressionBombError, Pillow.DecompressionBombWarning):
        return ImageProblem(
            f"has more pixels than the limit of {max_pixels:,}", _SMALLER, "image-too-large"
        )
    except UnidentifiedImageError:
        article = "an" if expected == "AVIF" else "a"
        return ImageProblem(f"is not {article} {expected} image, as its name says", _OTHER_IMAGE)
    except OSError as error:
        if isinstance(error, FileNotFoundError | PermissionError | IsADirectoryError):
            return ImageProblem(f"cannot be read: {error.strerror}", "check the file")
        return ImageProblem(f"cannot be decoded: the image data is broken ({error})")
    except Exception as error:  # noqa: BLE001 - Pillow's decoders raise many kinds on bad data
        return ImageProblem(f"cannot be decoded: the image data is broken ({error})")
    return None


_OTHER_IMAGE = "replace it with an image the site can publish"
_SMALLER = "use a smaller version of the image (DOSSIER_IMAGE_MAX_PIXELS)"


# The site publishes an image's file as it is (its smaller copies are made without metadata): a
# photo's EXIF position would tell every reader where it was taken, a source's home perhaps.
GPS_PROBLEM = ImageProblem(
    "holds the place where it was taken (a GPS position in its EXIF data), which the site would "
    "publish with it",
    "remove the position (exiftool -gps:all= FILE), or save the image without its metadata",
    "image-location",
)


def _has_position(image) -> bool:
    """Whether the image's EXIF data holds a GPS position. Read from what opening the file
    found (JPEG's APP1, WebP's and AVIF's EXIF, PNG's eXIf before the image data), not through
    ``getexif``, which decodes a PNG whole and ends the use of the image before ``verify``."""
    from PIL import ExifTags
    from PIL import Image as Pillow

    raw = image.info.get("exif")
    if not raw:
        return False
    exif = Pillow.Exif()
    exif.load(raw)
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    return any(tag in gps for tag in (ExifTags.GPS.GPSLatitude, ExifTags.GPS.GPSLongitude))


def _too_many(width: int, height: int, most: int) -> ImageProblem:
    return ImageProblem(
        f"is {width:,}×{height:,} pixels, more than the limit of {most:,} pixels",
        _SMALLER,
        "image-too-large",
    )


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
