"""Publish stage: build into a fresh folder beside the output and swap it in only on success.

A failed or interrupted build therefore never touches the published site: the old ``output/``
stays exactly as it was until the new one is complete.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import tempfile
from pathlib import Path

_STAGING_PREFIX = ".dossier-build-"


def staging_dir(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(target.parent)
    staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{os.getpid()}-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp's 0700 would make the published site unreadable to a web server
    return staging


def swap_in(staging: Path, target: Path) -> None:
    """Make ``staging`` the new ``target`` in one step where the OS allows it."""
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging)  # now holds the previous site
        return
    old = target.with_name(f"{_STAGING_PREFIX}{os.getpid()}-old")
    target.rename(old)
    staging.rename(target)
    shutil.rmtree(old)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): swaps two directories atomically."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, bytes(a), at_fdcwd, bytes(b), rename_exchange)
    return result == 0


def _remove_stale(parent: Path) -> None:
    """Staging folders left by builds that were killed: their process no longer exists."""
    for path in parent.glob(f"{_STAGING_PREFIX}*"):
        pid = path.name.removeprefix(_STAGING_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ErrorCounter(logging.Handler):
    """Counts error records while Pelican runs: a build that logged an error is not published."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
