"""Read stage, the caches' files: what a crash or a full disk can leave in one.

A cache is written whole or not at all (``atomic``), but a machine that stops at the wrong
moment, or a disk that fills, can still leave a file empty, cut short or garbled, and a file
can hold data of another shape than the code expects. Every cache treats such a file as an empty
cache and writes it anew; the build says so in one warning line (``warning``), never with a
traceback. A missing file is no damage: the cache is simply not made yet.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EMPTY = "empty"
NOT_JSON = "cut short or garbled: not JSON"
NOT_UTF8 = "garbled: not UTF-8 text"
SHAPE = "not the data Dossier writes there"


def load_json(path: Path) -> tuple[Any, str | None]:
    """The data kept in ``path``, and None; or None and what is wrong with the file. A file
    that is missing, or that cannot be read at all, is (None, None): no cache."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None, None
    if not raw.strip():
        return None, EMPTY
    try:
        return json.loads(raw.decode("utf-8")), None
    except UnicodeDecodeError:
        return None, NOT_UTF8
    except ValueError:
        return None, NOT_JSON


def warning(path: Path, damage: str) -> str:
    """The one line a damaged cache file is reported with."""
    return f"{_shown(path)}: warning: damaged cache file ({damage}); it is rebuilt"


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder where it lies below."""
    cwd = Path.cwd().resolve()
    full = path.resolve()
    return full.relative_to(cwd).as_posix() if full.is_relative_to(cwd) else str(full)
