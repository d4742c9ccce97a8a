"""Publish stage, the transaction: a build writes into a fresh folder beside the output and swaps
it in only when everything succeeded, search index included.

A failed or interrupted build therefore never touches the published site: the old ``output/``
stays exactly as it was until the new one is complete. ``Publication.begin`` first checks that
the output may be replaced at all (``target``: never the content, the project, a repository…),
then takes the output's lock (one build at a time publishes to a folder), finishes or removes
what killed builds left, and makes the staging folder, with what the build may keep from the
published site (``reuse``) and the search indexer; ``commit`` finishes the index, marks the site
as Dossier's (``target.MARKER``) and swaps; ``abort`` leaves nothing behind. A publication that
is neither committed nor aborted when the process ends (a plain ``pelican`` run that failed) is
aborted then.

The swap is one atomic step (Linux's renameat2 with RENAME_EXCHANGE; elsewhere two renames, and
a build killed between them has the old site put back by the next). An output folder that is a
mount point (a container's volume) cannot be renamed: the build then stages inside it, under a
hidden name, and moves its entries in one by one (``_move_in``): each old entry is set aside
before the new one takes its name, and deleted only once every new entry is in place. That is
not atomic: while it runs, a reader may see some new entries beside old ones, and a build killed
during it leaves the site part old, part new, until the next build finishes the move.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import errno
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dossier.enrich.search import Shard
from dossier.publish.reuse import Reuse, manifest_path
from dossier.publish.search_index import SearchIndex, SearchIndexer, SearchIndexError
from dossier.publish.target import (
    LOST_FOUND,
    MARKER,
    MARKER_BYTES,
    STAGING_PREFIX,
    Inputs,
    check_output,
    is_mount,
)

_STAGING_PREFIX = STAGING_PREFIX
_READY, _ASIDE = "new", "old"  # suffixes: a staging folder being moved in; the old site aside
_ENTRIES = f"{STAGING_PREFIX}entries"  # in a ready folder: the names it moves in
RETIRED = "dossier-retired"  # in the cache folder: previous sites, being removed (``retire``)
_FULL = 64 * 1024  # bytes: a disk with less free is full (a write that failed filled it up)


class PublishError(Exception):
    """Nothing was published, for the reasons given (one line each); the site is unchanged."""

    def __init__(self, *lines: str) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


# What to do about a fault of the machine, by errno; {where}: the folder or file it concerns.
_FAULTS = {
    errno.ENOSPC: "No space left on the disk of {where}: free some space, then build again.",
    errno.EDQUOT: "The disk quota for {where} is used up: free some space, then build again.",
    errno.EROFS: (
        "{where} is on a read-only file system: make it writable, or publish to another "
        "folder (--output or OUTPUT_PATH)."
    ),
    errno.EACCES: "No permission to write to {where}: give this user the right, or publish "
    "to another folder (--output or OUTPUT_PATH).",
    errno.EIO: "The disk of {where} reported an input/output error: check it, then build again.",
}
_FAULTS[errno.EPERM] = _FAULTS[errno.EACCES]


def machine_fault(error: OSError, target: Path) -> PublishError:
    """A fault of the machine that stopped a build before it published (a full disk, a read-only
    folder…), in one line: what happened, what to do, and that ``target`` is as it was (the
    staging folder has been removed by then)."""
    where = _concerned(error, target)
    said = _FAULTS.get(error.errno or 0, "{error}: {where}.")
    text = said.format(where=where, error=error.strerror or error)
    return PublishError(f"{text} Nothing was published; {target} is unchanged.")


def _concerned(error: OSError, target: Path) -> str:
    """The folder or file the user can act on: the output folder, for a file of the staging
    folder (which lies beside it, on the same disk, or inside it when it is a mount point) or
    when the error names none; otherwise the file the error names (in the cache, say)."""
    name = error.filename or error.filename2
    if not name:
        return str(target)
    path = Path(os.fsdecode(name))
    if any(part.startswith(STAGING_PREFIX) for part in path.parts):
        return str(target)
    return str(path)


@dataclass(frozen=True)
class Published:
    """What a committed publication did, in the words `dossier build` prints."""

    target: Path
    kept: str  # rendered and kept files
    index: SearchIndex
    indexed: str  # shards, and how many were indexed anew
    built: str = ""  # what was built, with how many jobs, in how long (``build.finish``)

    def lines(self) -> list[str]:
        return [
            *([self.built] if self.built else []),
            self.kept,
            f"{self.index.summary()} ({self.indexed})",
            f"Published to {self.target}.",
        ]


class Publication:
    """One build's way into ``target``: its staging folder, what it reuses, its search index.
    ``into``: the staging folder lies inside ``target``, a mount point, and is moved in entry by
    entry."""

    def __init__(
        self,
        target: Path,
        staging: Path,
        reuse: Reuse,
        indexer: SearchIndexer,
        *,
        into: bool = False,
        lock: _Lock | None = None,
    ) -> None:
        self.target, self.staging, self.reuse, self.indexer = target, staging, reuse, indexer
        self.into = into
        self._lock = lock or _Lock(None)
        self._open = True
        atexit.register(self.abort)

    @classmethod
    def begin(
        cls, target: Path, version: str, shards: list[Shard], inputs: Inputs, jobs: int = 1
    ) -> Publication:
        """A staging folder beside ``target`` (inside it, when it is a mount point); the
        published build's manifest in the cache, if it was written by a build of ``version``,
        says which of its files may be kept; ``jobs``: the search shards indexed at once.
        Raises UnsafeOutputError, before anything is made, when ``target`` must not be replaced
        (``target.check_output``), and PublishError when another build is publishing there."""
        target = check_output(target, inputs)
        manifest = manifest_path(inputs.cache, target)
        lock = _Lock.take(manifest.with_suffix(".lock"), target)
        try:
            recover(target)
            into = is_mount(target)
            staging = staging_dir(target, inside=into)
            reuse = Reuse.load(target, staging, manifest, version)
        except BaseException:
            lock.release()
            raise
        # The search index is built from the staging folder, so the published site and its
        # index always match; the indexer starts once the article pages are written.
        indexer = SearchIndexer(staging, reuse, shards, jobs)
        return cls(target, staging, reuse, indexer, into=into, lock=lock)

    def commit(self) -> Published:
        """Finish the search index and swap the staging folder in; raises PublishError (with
        the site unchanged) when the index fails."""
        try:
            index = self.indexer.finish()
        except BaseException as error:
            full = self.out_of_space()
            self.abort()
            if full is not None:
                raise full from error
            if isinstance(error, SearchIndexError):
                raise PublishError(
                    f"Indexing for search failed: {error}",
                    f"Nothing was published; {self.target} is unchanged.",
                ) from None
            raise
        # Pagefind says nothing of the files it could not write (it exits 0): a disk that filled
        # up is the sign.
        if (full := self.out_of_space()) is not None:
            self.abort()
            raise full
        published = Published(self.target, self.reuse.summary(), index, self.indexer.summary())
        (self.staging / MARKER).write_bytes(MARKER_BYTES)
        if self.into:
            self._move_in()
        else:
            swap_in(self.staging, self.target, self.reuse.manifest.parent / RETIRED)
        self.reuse.save()
        self._close()
        return published

    def out_of_space(self) -> OSError | None:
        """ENOSPC, when the disk of the staging folder is full: some tools (Pagefind, Pelican's
        copying of static files) go on when a write fails, and leave a file short or missing."""
        try:
            disk = os.statvfs(self.staging)
        except OSError:
            return None
        free = disk.f_bfree if os.geteuid() == 0 else disk.f_bavail
        if free * disk.f_frsize >= _FULL:
            return None
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.staging))

    def abort(self) -> None:
        """Remove the staging folder, once a running search index has stopped writing to it."""
        if self._open:
            self.indexer.wait()
            discard(self.staging)
            self._close()

    def _move_in(self) -> None:
        """Publish into a mount point. Once the staging folder is named ready, the build is
        past the point of no return: whatever stops it, the next build finishes the move."""
        ready = self.staging.with_name(f"{STAGING_PREFIX}{os.getpid()}-{_READY}")
        _list_entries(self.staging)
        self.staging.rename(ready)
        self._open = False  # nothing to abort any more: the next build would finish the move
        atexit.unregister(self.abort)
        try:
            _publish_into(ready, self.target)
        finally:
            self._close()

    def _close(self) -> None:
        self._open = False
        atexit.unregister(self.abort)
        self._lock.release()


class _Lock:
    """One build at a time publishes to a folder: an exclusive flock on a file in the cache,
    which the system releases when the process ends, however it ends."""

    def __init__(self, fd: int | None) -> None:
        self.fd = fd

    @classmethod
    def take(cls, path: Path, target: Path) -> _Lock:
        """The lock, or PublishError naming the build that holds it. Without a cache folder to
        keep it in (a read-only checkout), the build goes on without it."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError:
            return cls(None)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            who = f"process {holder}" if holder.isdigit() else "another process"
            raise PublishError(
                f"Another build ({who}) is publishing to {target}; build again when it has "
                "finished. Nothing was published by this one."
            ) from None
        except OSError:  # a file system without locks
            os.close(fd)
            return cls(None)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        return cls(fd)

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the only descriptor releases the flock
            self.fd = None


def staging_dir(target: Path, *, inside: bool = False) -> Path:
    """A fresh staging folder beside ``target``, or inside it (``inside``: a mount point)."""
    parent = target if inside else target.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{os.getpid()}-", dir=parent))
    staging.chmod(0o755)  # mkdtemp's 0700 would make the published site unreadable to a web server
    return staging


def swap_in(staging: Path, target: Path, retired: Path | None = None) -> None:
    """Make ``staging`` the new ``target`` in one step where the OS allows it. The previous
    site is moved into ``retired`` (in the cache folder) and removed there in the background
    (``retire``); without ``retired``, removed now."""
    if not target.exists():
        staging.rename(target)
        return
    failed = _exchange(staging, target)
    if not failed:
        # Now holds the previous site; what cannot be removed, the next build removes.
        retire(staging, retired)
        return
    if failed in (errno.EBUSY, errno.EXDEV):  # a mount point, seen only now: write into it
        ready = target / f"{_STAGING_PREFIX}{os.getpid()}-{_READY}"
        try:
            shutil.copytree(staging, ready, symlinks=True)
            _list_entries(ready)
        except BaseException:
            shutil.rmtree(ready, ignore_errors=True)
            raise
        shutil.rmtree(staging, ignore_errors=True)
        _publish_into(ready, target)
        return
    old = target.with_name(f"{_STAGING_PREFIX}{os.getpid()}-{_ASIDE}")
    target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def retire(old: Path, retired: Path | None) -> None:
    """Remove the previous site, ``old``, off the build's path: deleting tens of thousands of
    files takes seconds, and nobody waits for it. It is renamed into the ``retired`` folder
    (one step, on the same disk) and a process of its own, in a session of its own, removes
    what that folder holds; one killed halfway leaves the rest to the next build's. Where the
    folder cannot take it (another disk), it is removed here and now."""
    if retired is not None:
        try:
            retired.mkdir(parents=True, exist_ok=True)
            old.rename(retired / old.name)
        except OSError:
            pass
        else:
            with contextlib.suppress(OSError):
                subprocess.Popen(
                    [sys.executable, "-c", _REMOVE, str(retired)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            return
    shutil.rmtree(old, ignore_errors=True)


# What the retiring process runs: every entry of the folder removed (others may be moved in
# meanwhile; the next build's process removes those).
_REMOVE = (
    "import pathlib, shutil, sys\n"
    "for p in pathlib.Path(sys.argv[1]).iterdir():\n"
    "    shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)\n"
)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def recover(target: Path) -> None:
    """Tidy what killed builds left, beside ``target`` and inside it: a publication into a mount
    point that had begun moving its files in is finished; a site that a swap had moved aside
    and not replaced is put back; staging folders are removed."""
    left = [
        path
        for folder in (target.parent, target)
        if folder.is_dir()
        for path in sorted(folder.glob(f"{_STAGING_PREFIX}*"))
        if _dead(path)
    ]
    for path in left:
        if path.parent == target and path.name.endswith(f"-{_READY}"):
            _move_in(path, target)
    for path in left:
        if not path.exists():
            continue
        moved_aside = path.parent == target.parent and path.name.endswith(f"-{_ASIDE}")
        if moved_aside and not target.exists():
            path.rename(target)
            continue
        shutil.rmtree(path, ignore_errors=True)


def _publish_into(ready: Path, target: Path) -> None:
    """``_move_in``, and if it fails, the one thing to say about it."""
    try:
        _move_in(ready, target)
    except OSError as error:
        raise PublishError(
            f"Publishing into {target} stopped halfway: {error.strerror or error}. The next "
            "build finishes it; until then the site may lack files or mix old and new ones."
        ) from error


def _list_entries(ready: Path) -> None:
    """Write down the names a ready folder moves in, so that a move interrupted halfway can be
    finished: by then some of them are no longer in it."""
    (ready / _ENTRIES).write_text(json.dumps(sorted(_names(ready))), encoding="utf-8")


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if not p.name.startswith(STAGING_PREFIX)}


def _move_in(ready: Path, target: Path) -> None:
    """Replace what ``target`` holds by what ``ready`` (a folder inside it) holds, entry by
    entry: the marker first, so that the folder is Dossier's throughout; each old entry is set
    aside (into a folder beside ``ready``) before the new one takes its name, and the old ones
    are deleted when every new one is in place. Run again on the folders an interrupted run
    left, it finishes the same way."""
    aside = ready.with_name(ready.name.removesuffix(_READY) + _ASIDE)
    aside.mkdir(exist_ok=True)
    try:
        names = set(json.loads((ready / _ENTRIES).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):  # interrupted before the list was written whole
        names = _names(ready)
    if (ready / MARKER).exists():
        (ready / MARKER).replace(target / MARKER)
    for name in sorted(_names(ready)):
        if (target / name).is_symlink() or (target / name).exists():
            (target / name).rename(aside / name)
        (ready / name).rename(target / name)
    for name in sorted(_names(target) - names - {MARKER, LOST_FOUND}):
        (target / name).rename(aside / name)
    # Every new entry is in place: what cannot be removed now, the next build removes.
    shutil.rmtree(ready, ignore_errors=True)
    shutil.rmtree(aside, ignore_errors=True)


def _exchange(a: Path, b: Path) -> int:
    """Linux renameat2(RENAME_EXCHANGE): swaps two directories atomically. 0 when it did, else
    the reason it did not (an errno; ENOSYS where there is no such call)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return errno.ENOSYS
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, bytes(a), at_fdcwd, bytes(b), rename_exchange)
    return 0 if result == 0 else ctypes.get_errno() or errno.EINVAL


def _dead(path: Path) -> bool:
    """Whether the build that made ``path`` (its process id is in the name) has ended."""
    pid = path.name.removeprefix(_STAGING_PREFIX).split("-", 1)[0]
    return pid.isdigit() and not _alive(int(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
