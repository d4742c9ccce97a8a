"""Publish stage, files: the feeds, sitemaps and image copies written into the staging folder.

The pages are written by Pelican's writer (the plugin's ``ReusingWriter``); everything else the
build makes is written here, from the data the enrich stage made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from hashlib import sha256
from pathlib import Path

from dossier.enrich.context import BuildContext
from dossier.enrich.feeds import RENDERERS, Feed, every_feed
from dossier.publish.reuse import Reuse
from dossier.read.images import Image, local_file, variants


def write_feeds(ctx: BuildContext, limit: int, keep: Reuse) -> None:
    """Write every feed (``enrich.feeds.every_feed``) in Atom and JSON Feed. A feed whose
    entries have not changed since the published build is linked from it instead."""
    for urls, feed in every_feed(ctx, limit):
        _write_feed(urls, feed, keep)


def _write_feed(urls: Mapping[str, str], feed: Feed, keep: Reuse) -> None:
    for ext, render in RENDERERS.items():
        name = urls[ext]
        head = replace(feed, entries=())
        fingerprint = keep.fingerprint(ext, name, head, tuple(e.said for e in feed.entries))
        keep.write(name, fingerprint, partial(_bytes, render, feed))


def _bytes(render: Callable[[Feed], str], feed: Feed) -> bytes:
    return render(feed).encode("utf-8")


def write_files(files: Mapping[str, bytes], output: Path) -> None:
    """Write each file (name below ``output`` -> bytes), such as the sitemaps."""
    output.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (output / name).write_bytes(content)


def write_variants(content: Path, image: Image, output: Path, cache: Path) -> None:
    """Write the smaller copies into output/, reusing earlier results from ``cache``.

    Resizing is the slow part, so each copy is cached under the hash of the original's bytes
    and the width; a rebuild only links the cached files into the fresh output folder."""
    from PIL import Image as Pillow  # only when an article has an image of its own

    source = local_file(content, image.src)
    digest = sha256(source.read_bytes()).hexdigest()[:16]
    for variant in variants(image):
        cached = cache / f"{digest}-{variant.width}w{Path(variant.src).suffix}"
        if not cached.is_file():
            cache.mkdir(parents=True, exist_ok=True)
            with Pillow.open(source) as original:
                small = original.resize((variant.width, variant.height), Pillow.Resampling.LANCZOS)
                partial = cached.with_suffix(cached.suffix + ".part")
                small.save(partial, format=original.format, optimize=True)
                partial.replace(cached)
        target = output / variant.src.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        try:
            target.hardlink_to(cached)
        except OSError:  # another file system: copy instead
            target.write_bytes(cached.read_bytes())
