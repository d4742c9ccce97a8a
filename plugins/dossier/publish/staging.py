"""Publish stage: build into a fresh folder beside the output, index it for search, and swap it
in only on success.

A failed or interrupted build therefore never touches the published site: the old ``output/``
stays exactly as it was until the new one is complete, search index included.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dossier.enrich.urls import SEARCH_BUNDLE

_STAGING_PREFIX = ".dossier-build-"

# Pagefind through its Python package's documented entry point, which runs the binary of the
# pagefind_bin package pinned in requirements.txt: the same indexer on every machine.
PAGEFIND: tuple[str, ...] = (sys.executable, "-m", "pagefind")
INDEX_TIMEOUT = 600  # seconds; the sample site takes well under one


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


class SearchIndexError(Exception):
    """Pagefind could not index the built site; the message is Pagefind's own."""


@dataclass(frozen=True)
class SearchIndex:
    pages: Mapping[str, int]  # language -> article pages in its index

    def summary(self) -> str:
        counts = ", ".join(f"{lang} {n}" for lang, n in self.pages.items())
        return f"Indexed for search: {counts} pages."


def index_for_search(site: Path, bundle: Path | None = None) -> SearchIndex:
    """Write Pagefind's index of ``site`` and its UI into ``bundle`` (default: ``site/pagefind/``),
    one index per ``<html lang>``.

    Pagefind indexes only what the templates mark ``data-pagefind-body`` (the article element of
    article pages) and takes facets and result metadata from ``data-pagefind-filter`` and
    ``data-pagefind-meta``. Drafts are never written, so they cannot be indexed.
    """
    # No PAGEFIND_* variables, and a folder of our own to run in: a pagefind.yml in the
    # directory the build was started from, or the environment, must not change the index.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    bundle = (bundle or site / SEARCH_BUNDLE).resolve()
    command = [*PAGEFIND, "--site", str(site.resolve()), "--output-path", str(bundle), "--quiet"]
    try:
        done = subprocess.run(
            command,
            cwd=site,
            env=env,
            capture_output=True,
            text=True,
            timeout=INDEX_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(str(error)) from None
    entry = bundle / "pagefind-entry.json"
    if done.returncode != 0 or not entry.is_file():
        said = done.stderr.strip() or done.stdout.strip()
        raise SearchIndexError(said or f"pagefind exited with status {done.returncode}")
    languages = json.loads(entry.read_text(encoding="utf-8")).get("languages", {})
    return SearchIndex({lang: languages[lang]["page_count"] for lang in sorted(languages)})
