"""Real file systems for the tests of machine faults: a small tmpfs (to fill up, or to publish
into as a container's volume), and a read-only bind mount; and immutable files (chattr +i).
These need root, which CI has: there they always run, and a mount that fails fails the test.
Run without root, the tests that use them skip, saying why (the only skips in the suite)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

needs_root = pytest.mark.skipif(
    os.geteuid() != 0,
    reason="mounting a tmpfs or a read-only bind mount, or chattr +i, needs root (CI has it)",
)


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


def _unmount(point: Path) -> None:
    done = subprocess.run(["umount", str(point)], check=False, capture_output=True)
    if done.returncode != 0:  # still busy: detach it now, the kernel frees it when it can
        subprocess.run(["umount", "-l", str(point)], check=False, capture_output=True)


@contextmanager
def tmpfs(point: Path, size: int) -> Iterator[Path]:
    """A tmpfs of ``size`` bytes mounted at ``point`` (made if missing), unmounted after."""
    point.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point))
    try:
        yield point
    finally:
        _unmount(point)


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """``folder`` mounted read-only over itself, unmounted after."""
    _mount("--bind", str(folder), str(folder))
    try:
        _mount("-o", "remount,ro,bind", str(folder))
        yield folder
    finally:
        _unmount(folder)


@contextmanager
def bound(folder: Path) -> Iterator[Path]:
    """``folder`` bind-mounted over itself: a mount point on the same file system, which
    os.path.ismount does not see, and which cannot be renamed either."""
    _mount("--bind", str(folder), str(folder))
    try:
        yield folder
    finally:
        _unmount(folder)


def used(folder: Path) -> int:
    """Bytes the files below ``folder`` take on disk (hard links once)."""
    seen: set[int] = set()
    total = 0
    for path in folder.rglob("*"):
        stat = path.lstat()
        if stat.st_ino not in seen:
            seen.add(stat.st_ino)
            total += stat.st_blocks * 512
    return total
