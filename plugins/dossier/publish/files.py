"""Publish stage, files: the feeds, the smaller copies of images and the files an ``{attach}``
link moves, written into the staging folder. The write stage (``write.site``) calls on them for
the feeds, beside the pages it renders.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from hashlib import blake2b, sha256
from io import BytesIO
from pathlib import Path

from dossier.enrich.feeds import RENDERERS, Feed, feed_file
from dossier.publish.reuse import Reuse
from dossier.read.cache_files import EMPTY, warning
from dossier.read.images import Image, Variant, local_file, variants


def write_feed(urls: Mapping[str, str], feed: Feed, keep: Reuse) -> None:
    """Write one feed in every format, or link each file whose entries have not changed."""
    for ext in RENDERERS:
        name = urls[ext]
        head = replace(feed, entries=())
        fingerprint = keep.fingerprint(ext, name, head, tuple(e.said for e in feed.entries))
        keep.write(name, fingerprint, partial(feed_file, ext, feed))


def copy_new(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target``, a new file. Copied, not linked: an editor who changes
    the content's file in place must not change the published one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("xb") as out:
        out.write(source.read_bytes())


def write_variants(
    content: Path,
    image: Image,
    output: Path,
    cache: Path,
    warn: Callable[[str], None] | None = None,
) -> None:
    """Write the smaller copies into output/, reusing earlier results from ``cache``.

    Resizing is the slow part, so each copy is cached (``variant_file``); a rebuild only links
    the cached files into the fresh output folder."""
    digest = _digest(local_file(content, image.src))
    for variant in variants(image):
        cached = variant_file(content, image, variant, cache, warn, digest)
        target = output / variant.src.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        try:
            target.hardlink_to(cached)
        except OSError:  # another file system: copy instead
            target.write_bytes(cached.read_bytes())


def variant_file(
    content: Path,
    image: Image,
    variant: Variant,
    cache: Path,
    warn: Callable[[str], None] | None = None,
    digest: str | None = None,
) -> Path:
    """The cached file of one smaller copy of ``image``, made when there is none whole: what
    the build links into its output folder, and ``dossier serve`` sends.

    Each copy is cached under the hash of the original's bytes (``digest``, when the caller
    has it) and the width. Each cached copy has its checksum beside it (``.sum``): a copy a
    crash or a full disk left damaged is made again, and ``warn`` hears of it in one line."""
    source = local_file(content, image.src)
    digest = digest or _digest(source)
    cached = cache / f"{digest}-{variant.width}w{Path(variant.src).suffix}"
    damage = _damage(cached)
    if damage is None:
        return cached
    if damage and warn:
        warn(warning(cached, damage))
    from PIL import Image as Pillow  # only when an article has an image of its own

    cache.mkdir(parents=True, exist_ok=True)
    with Pillow.open(source) as original:
        small = original.resize((variant.width, variant.height), Pillow.Resampling.LANCZOS)
        made = BytesIO()
        small.save(made, format=original.format, optimize=True)
    _write_whole(cached, made.getvalue())
    _write_whole(_sum_file(cached), _sum(made.getvalue()).encode("ascii"))
    return cached


def _digest(source: Path) -> str:
    return sha256(source.read_bytes()).hexdigest()[:16]


def _damage(cached: Path) -> str | None:
    """None when the cached copy is whole; "" when there is none to use (not made yet, or made
    before checksums were kept, or its checksum was never written: made again, quietly); else
    what is wrong with it."""
    try:
        said = _sum_file(cached).read_bytes()
    except FileNotFoundError:
        return ""
    except OSError:
        return "its checksum cannot be read"
    try:
        data = cached.read_bytes()
    except FileNotFoundError:
        return ""
    except OSError:
        return "it cannot be read"
    if not data:
        return EMPTY
    if said.strip() != _sum(data).encode("ascii"):
        return "cut short or garbled: its bytes differ from those written"
    return None


def _sum_file(cached: Path) -> Path:
    return cached.with_name(f"{cached.name}.sum")


def _sum(data: bytes) -> str:
    return blake2b(data, digest_size=16).hexdigest()


def _write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file beside ``path`` and rename it over ``path``: two builds
    making the same copy at once, or a crash, never leave a mix."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
