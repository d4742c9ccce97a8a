"""Pelican's content cache, which keeps each article's rendered body: a folder of its own for
each build version, and checksums that tell a damaged cache file from a good one.

Pelican keys what it caches by the file's stamp only; the rendered body also depends on
Dossier's code, the Markdown settings and the libraries, so each version of those gets a fresh
cache (``folder``; the others are removed). Pelican writes its cache files in place, so a crash
or a full disk can leave one cut short or garbled, and it stops at some damage (an empty file
ends the run) and trips over other (data of another shape). Each file's checksum is kept
beside it as Pelican last wrote it (``record``); ``folder`` removes a file whose bytes differ,
or, without a checksum, that is no pickle of what Pelican keeps, for Pelican to make anew.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import pickle
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path

from dossier.atomic import write_text
from dossier.read.cache_files import EMPTY, SHAPE, load_json, warning

SUMS = ".dossier-sums.json"  # in Pelican's cache folder: each file's size, time and CRC-32


def folder(root: Path, version: str, *, gzipped: bool = False, warn: Callable[[str], None]) -> Path:
    """The cache folder of ``version`` below ``root``, its damaged files removed, each with one
    line to ``warn`` (``gzipped``: Pelican's GZIP_CACHE)."""
    here = root / f"pelican-{version}"
    if root.is_dir():
        for old in root.glob("pelican-*"):
            if old != here:
                shutil.rmtree(old, ignore_errors=True)
    if not here.is_dir():
        return here
    sums = _sums(here, warn=warn)
    for path in sorted(p for p in here.iterdir() if p.is_file() and p.name != SUMS):
        kept = sums.get(path.name)
        if damage := _pickle_damage(path, gzipped, kept[2] if kept else None):
            path.unlink(missing_ok=True)
            warn(warning(path, damage))
    return here


def record(here: Path) -> None:
    """Keep the checksum of each file Pelican has just saved in ``here``. A file of the size and
    time recorded was not written again: its checksum stands."""
    old, sums = _sums(here), {}
    for path in sorted(p for p in here.iterdir() if p.is_file() and p.name != SUMS):
        stat = path.stat()
        kept = old.get(path.name)
        same = kept is not None and kept[:2] == [stat.st_size, stat.st_mtime_ns]
        sums[path.name] = kept if same else [stat.st_size, stat.st_mtime_ns, _checksum(path)]
    with contextlib.suppress(OSError):  # without it, the next build checks each file whole
        write_text(here / SUMS, json.dumps(sums))


def _sums(here: Path, *, warn: Callable[[str], None] | None = None) -> dict[str, list]:
    """The checksums kept in ``here``: name -> [size, time, CRC-32]. A damaged file of them
    counts as none (each cache file is then checked whole), and ``warn`` hears of it."""
    sums, damage = load_json(here / SUMS)
    good = isinstance(sums, dict) and all(
        isinstance(v, list) and len(v) == 3 and all(isinstance(n, int) for n in v)
        for v in sums.values()
    )
    if warn and (damage or (sums is not None and not good)):
        warn(warning(here / SUMS, damage or SHAPE))
    return sums if good else {}


def _checksum(path: Path) -> int:
    """CRC-32, as zip and gzip keep: fast on a large cache, and sure to see a file cut short,
    zeroed or garbled by a crash."""
    crc = 0
    with path.open("rb") as stored:
        while chunk := stored.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


def _pickle_damage(path: Path, gzipped: bool, checksum: int | None) -> str | None:
    """What is wrong with one of Pelican's cache files, or None: the bytes it was last written
    with, or else a pickle (gzipped or not) of a dict of file name -> (stamp, data), as
    ``pelican.cache.FileStampDataCacher`` keeps."""
    if not path.stat().st_size:
        return EMPTY
    if checksum is not None:
        return None if _checksum(path) == checksum else "cut short or garbled: not as last written"
    try:
        with (gzip.open if gzipped else open)(path, "rb") as stored:
            data = pickle.load(stored)  # noqa: S301 - Pelican's own cache, which it unpickles too
    except Exception:  # noqa: BLE001 - damaged bytes can make unpickling fail in any way
        return "cut short or garbled: not a pickle Pelican can read"
    if not isinstance(data, dict) or not all(
        isinstance(v, tuple | list) and len(v) == 2 for v in data.values()
    ):
        return "not the data Pelican writes there"
    return None
