"""Publish stage, the transaction: a build writes into a fresh folder beside the output and swaps
it in only when everything succeeded, search index included.

A failed or interrupted build therefore never touches the published site: the old ``output/``
stays exactly as it was until the new one is complete. ``Publication.begin`` makes the staging
folder (removing those that killed builds left), with what the build may keep from the
published site (``reuse``) and the search indexer; ``commit`` finishes the index and swaps;
``abort`` leaves nothing behind. A publication that is neither committed nor aborted when the
process ends (a plain ``pelican`` run that failed) is aborted then.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dossier.enrich.search import Shard
from dossier.publish.reuse import Reuse
from dossier.publish.search_index import SearchIndex, SearchIndexer, SearchIndexError

_STAGING_PREFIX = ".dossier-build-"


class PublishError(Exception):
    """Nothing was published, for the reasons given (one line each); the site is unchanged."""

    def __init__(self, *lines: str) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Published:
    """What a committed publication did, in the words `dossier build` prints."""

    target: Path
    kept: str  # rendered and kept files
    index: SearchIndex
    indexed: str  # shards, and how many were indexed anew

    def lines(self) -> list[str]:
        return [
            self.kept,
            f"{self.index.summary()} ({self.indexed})",
            f"Published to {self.target}.",
        ]


class Publication:
    """One build's way into ``target``: its staging folder, what it reuses, its search index."""

    def __init__(self, target: Path, staging: Path, reuse: Reuse, indexer: SearchIndexer) -> None:
        self.target, self.staging, self.reuse, self.indexer = target, staging, reuse, indexer
        self._open = True
        atexit.register(self.abort)

    @classmethod
    def begin(cls, target: Path, manifest: Path, version: str, shards: list[Shard]) -> Publication:
        """A staging folder beside ``target``; the published build's manifest, if it was
        written by a build of ``version``, says which of its files may be kept."""
        target = target.resolve()
        staging = staging_dir(target)
        reuse = Reuse.load(target, staging, manifest, version)
        # The search index is built from the staging folder, so the published site and its
        # index always match; the indexer starts once the article pages are written.
        indexer = SearchIndexer(staging, reuse, shards)
        return cls(target, staging, reuse, indexer)

    def commit(self) -> Published:
        """Finish the search index and swap the staging folder in; raises PublishError (with
        the site unchanged) when the index fails."""
        try:
            index = self.indexer.finish()
        except SearchIndexError as error:
            self.abort()
            raise PublishError(
                f"Indexing for search failed: {error}",
                f"Nothing was published; {self.target} is unchanged.",
            ) from None
        except BaseException:
            self.abort()
            raise
        published = Published(self.target, self.reuse.summary(), index, self.indexer.summary())
        swap_in(self.staging, self.target)
        self.reuse.save()
        self._close()
        return published

    def abort(self) -> None:
        """Remove the staging folder, once a running search index has stopped writing to it."""
        if self._open:
            self.indexer.wait()
            discard(self.staging)
            self._close()

    def _close(self) -> None:
        self._open = False
        atexit.unregister(self.abort)


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
