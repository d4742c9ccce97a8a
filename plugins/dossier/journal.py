"""Changes to several files made all at once or not at all, and finished or undone after a crash.

The editing commands change content through ``commit``; every ``dossier`` command (and every
build) first calls ``recover``, which finishes or undoes a change that a crash, a kill or a
power cut stopped half-way. Whatever stops a change, and wherever, the files end up either all
as they were or all as the change makes them.

A change goes in four steps:

1. **Journal, preparing.** ``.dossier-journal.json`` in the content folder lists every file the
   change touches: its path (relative to the content folder), the SHA-256 of what it holds now
   (``old``, null for a file the change creates) and of what it is to hold (``new``, null for a
   file the change removes), its staged file and its backup.
2. **Staging.** Beside each file, in the same folder, under a hidden name that no reader looks
   at: ``.NAME.dossier-new``, the new bytes; ``.NAME.dossier-old``, a copy of the old ones (after
   checking that the file still holds what the change was planned from). Each is flushed to
   disk (fsync). Folders the change needs are made and listed in the journal.
3. **Journal, committed.** The journal is rewritten with the state ``committed``: from here on,
   the change is made, not undone. Then each staged file is renamed over its file (new files
   first, removals last, so that every id stays resolvable meanwhile), and the removed files go.
4. **Clean-up.** The backups are removed, then the journal.

The journal itself is always written whole: to ``.dossier-journal.json.tmp``, flushed, renamed
into place. It ends with a checksum of everything above it.

**Recovery** (``recover``), when a journal is found and no other command holds the lock:

- ``preparing``: nothing was changed yet. The staged files, backups and new folders are
  removed: the change is *undone*.
- ``committed``: if every file holds its new bytes or has them staged, the change is
  *completed* (rolled forward); otherwise (a staged file lost) it is undone from the backups.
- ``rolling back``: a command met an error while it renamed files and began to undo them:
  recovery undoes the rest.

Recovery says what it did in one line (``Recovery.line``). A journal that does not read, whose
checksum is wrong, or that names files outside the project, is *damaged*: nothing is touched and
``JournalError`` says what to do; so does a change that can be neither completed nor undone
(a backup lost as well).

A command in the middle of a change is stopped by Ctrl-C (SIGINT) or SIGTERM as an exception:
``commit`` then undoes the change if it was not committed yet, or completes it if it was, and
raises ``InterruptError`` saying which. An error while writing (a read-only folder, a full disk, a
file made immutable) undoes the change and raises ``WriteError``. SIGKILL and power cuts leave
the journal for the next command.

Two commands never change content at once: ``commit`` holds ``.dossier-lock`` in the content
folder (an advisory ``flock``, released by the system when its process dies), and a second
command is refused with ``BusyError``. The lock file is removed when it is released.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locking, the journal still protects
    fcntl = None  # type: ignore[assignment]

JOURNAL = ".dossier-journal.json"
LOCK = ".dossier-lock"
STAGED, BACKUP = ".dossier-new", ".dossier-old"
FORMAT = 1
SHOWN = 3  # files named in a recovery line; the others are counted


@dataclass(frozen=True)
class FileChange:
    """One file of a change: ``old``, what it holds now (None: it must not exist yet); ``new``,
    what it is to hold (None: it is removed)."""

    path: Path  # absolute
    old: bytes | None
    new: bytes | None


class BusyError(Exception):
    """Another command holds the lock: ``holder`` says which (its process id and command)."""

    def __init__(self, holder: str) -> None:
        super().__init__(f"another dossier command is changing the content ({holder})")
        self.holder = holder


class ConflictError(Exception):
    """``path`` no longer holds what the change was planned from; nothing was changed."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} changed after the change was planned")
        self.path = path


class WriteError(Exception):
    """Writing failed at ``path``; ``undone``: every file is as it was (else the journal stays,
    and the next command finishes undoing)."""

    def __init__(self, path: Path, error: OSError, undone: bool) -> None:
        super().__init__(f"{path}: {error.strerror or error}")
        self.path, self.error, self.undone = path, error, undone

    @property
    def reason(self) -> str:
        return _reason(self.error)


class InterruptError(Exception):
    """Ctrl-C or SIGTERM stopped a change, and it was ``completed`` (True), undone (False) or
    left to the next command's recovery (None: finishing failed); ``status``: the exit status
    the signal asks for (130, 143)."""

    def __init__(
        self, change: str, paths: Sequence[Path], completed: bool | None, status: int
    ) -> None:
        super().__init__(change)
        self.change, self.paths, self.completed, self.status = change, paths, completed, status

    def line(self, cwd: Path | None = None) -> str:
        if self.completed is None:
            return (
                f"Interrupted during the {self.change}; the next dossier command finishes or "
                "undoes it."
            )
        if self.completed:
            return (
                f"Interrupted after the {self.change} was committed: it was completed "
                f"({_files(self.paths, cwd)})."
            )
        return f"Interrupted: the {self.change} was undone; nothing was changed."


class JournalError(Exception):
    """A journal that recovery cannot act on: damaged, or its change neither finishable nor
    undoable. The message says what to do; nothing was touched."""


@dataclass(frozen=True)
class Recovery:
    """What ``recover`` did: the ``change`` the journal named, its files, and which way."""

    change: str
    paths: tuple[Path, ...]
    completed: bool

    def line(self, cwd: Path | None = None) -> str:
        way = "it was completed" if self.completed else "it was undone, every file is as before"
        return f"Recovered an interrupted {self.change}: {way} ({_files(self.paths, cwd)})."


# --- the journal ------------------------------------------------------------------------------


@dataclass
class _Entry:
    path: Path
    old: str | None  # SHA-256 of the bytes now, None: no file
    new: str | None  # SHA-256 of the bytes to be, None: removed
    data: bytes | None = field(default=None, repr=False)  # the new bytes (not journaled)

    @property
    def staged(self) -> Path:
        return self.path.with_name(f".{self.path.name}{STAGED}")

    @property
    def backup(self) -> Path:
        return self.path.with_name(f".{self.path.name}{BACKUP}")


@dataclass
class _Journal:
    folder: Path  # the content folder: the journal's paths are relative to it
    change: str
    entries: list[_Entry]
    folders: list[Path] = field(default_factory=list)  # made by the change, parents first
    state: str = "preparing"

    @property
    def path(self) -> Path:
        return self.folder / JOURNAL

    def drop(self) -> None:
        """Remove the journal (and a temporary one a kill left), flushed to disk."""
        _discard(self.path.with_name(f"{JOURNAL}.tmp"))
        _discard(self.path)
        _sync_folder(self.folder)

    def write(self) -> None:
        body = {
            "format": FORMAT,
            "change": self.change,
            "state": self.state,
            "files": [
                {
                    "path": self._relative(e.path),
                    "old": e.old,
                    "new": e.new,
                    "staged": self._relative(e.staged) if e.new is not None else None,
                    "backup": self._relative(e.backup) if e.old is not None else None,
                }
                for e in self.entries
            ],
            "folders": [self._relative(f) for f in self.folders],
        }
        text = json.dumps(body, indent=1, ensure_ascii=False)
        text = f'{text[:-2]},\n "checksum": "{_digest(text.encode())}"\n}}\n'
        temporary = self.path.with_name(f"{JOURNAL}.tmp")
        _write(temporary, text.encode(), mode=None)
        temporary.replace(self.path)
        _sync_folder(self.folder)

    def _relative(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.folder)).as_posix()

    @classmethod
    def read(cls, folder: Path) -> _Journal:
        """The journal in ``folder``; JournalError when it is damaged."""
        path = folder / JOURNAL
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
            body, found, checksum = text.rpartition(',\n "checksum": "')
            if not found:
                raise ValueError("its checksum is missing: it was cut short or rewritten")
            whole = body + "\n}"
            if checksum != _digest(whole.encode()) + '"\n}\n':
                raise ValueError("its checksum does not match")
            data = json.loads(whole)
            if data.get("format") != FORMAT:
                raise ValueError(f"it has the unknown format {data.get('format')!r}")
            if data["state"] not in {"preparing", "committed", "rolling back"}:
                raise ValueError(f"it has the unknown state {data['state']!r}")
            journal = cls(folder, str(data["change"]), [], state=data["state"])
            for item in data["files"]:
                entry = _Entry(journal._inside(item["path"]), item["old"], item["new"])
                for digest in (entry.old, entry.new):
                    if digest is not None and not (isinstance(digest, str) and len(digest) == 64):
                        raise ValueError(f"{item['path']} has a malformed digest")
                staged = journal._relative(entry.staged) if entry.new is not None else None
                backup = journal._relative(entry.backup) if entry.old is not None else None
                if (item.get("staged"), item.get("backup")) != (staged, backup):
                    raise ValueError(f"the staged file or backup of {item['path']} is misnamed")
                journal.entries.append(entry)
            journal.folders = [journal._inside(f) for f in data.get("folders", [])]
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
            raise JournalError(_damaged(path, error)) from error
        return journal

    def _inside(self, relative: str) -> Path:
        """A journaled path, refused unless it lies in the content folder or directly in the
        folder above it (frontmatter.json, beside the settings)."""
        if not isinstance(relative, str) or not relative or Path(relative).is_absolute():
            raise ValueError(f"it names the path {relative!r}")
        path = Path(os.path.normpath(self.folder / relative))
        if not holds(self.folder, path) or path.name in {"", ".", ".."}:
            raise ValueError(f"it names {relative}, outside the project")
        return path


def holds(folder: Path, path: Path) -> bool:
    """Whether a change to ``path`` can be journaled in ``folder`` (the content folder): it lies
    in it, or directly in the folder above it, as frontmatter.json does beside the settings."""
    folder, path = folder.resolve(), _absolute(path)
    return path.is_relative_to(folder) or path.parent == folder.parent


# --- the lock ---------------------------------------------------------------------------------


@contextmanager
def locked(
    folder: Path, holder: str, *, wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the content folder's lock (``holder``: what the command is, for the message another
    one shows); raises BusyError when another command holds it, or with ``wait`` tells it who
    does (``process 123: rename of 'a' to 'b'``) and waits for it to finish."""
    path = folder / LOCK
    if fcntl is None:  # pragma: no cover
        yield
        return
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = os.read(fd, 1000).decode("utf-8", "replace").strip() or "unknown"
            if wait is None:
                os.close(fd)
                raise BusyError(other) from None
            wait(other)  # said before blocking: a stopped command must not look like a hang
            fcntl.flock(fd, fcntl.LOCK_EX)
        # A command that released the lock removed the file: then lock the new one.
        try:
            if path.stat().st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"process {os.getpid()}: {holder}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


# --- a change ---------------------------------------------------------------------------------


def commit(folder: Path, change: str, files: Sequence[FileChange]) -> None:
    """Make ``change`` (its name in messages and the journal: "rename of 'a' to 'b'") to
    ``files``, all or nothing, as the module's docstring says. The caller holds the lock.

    Raises ConflictError (a file no longer holds its ``old`` bytes, or a new one exists) and
    WriteError (the disk refused) with every file as it was, and InterruptError on Ctrl-C or
    SIGTERM, once the change was undone or completed."""
    folder = folder.resolve()
    entries = [
        _Entry(_absolute(f.path), _digest_of(f.old), _digest_of(f.new), f.new)
        for f in sorted(files, key=lambda f: (_order(f), str(f.path)))
    ]
    journal = _Journal(folder, change, entries, _missing_folders(entries))
    committed = False
    try:
        with _at(journal.path):
            journal.write()
        _stage(journal)
        with _at(journal.path):
            journal.state = "committed"
            journal.write()
        committed = True
        _install(journal)
        _finish(journal)
    except (KeyboardInterrupt, SystemExit) as stop:
        status = 130 if isinstance(stop, KeyboardInterrupt) else _status(stop)
        paths = [e.path for e in entries]
        completed = committed and _can_roll_forward(journal)
        try:
            if completed:
                _roll_forward(journal)
            else:
                _undo(journal, committed, strict=True)
        except OSError:
            raise InterruptError(change, paths, None, status) from stop
        raise InterruptError(change, paths, completed, status) from stop
    except ConflictError:
        _undo(journal, committed)
        raise
    except _DiskError as failed:
        undone = _undo(journal, committed)
        raise WriteError(failed.path, failed.error, undone) from failed.error


def recover(folder: Path, waiting: Callable[[str], None] = lambda holder: None) -> Recovery | None:
    """Finish or undo the change a journal in ``folder`` records; None when there is nothing to
    do. When a live command holds the lock (its change under way, or another recovery), wait
    for it, after telling ``waiting`` who holds it: it finishes its change itself, and what is
    read next is whole. Raises JournalError
    when the journal is damaged or its change can be neither completed nor undone (nothing is
    touched then)."""
    folder = folder.resolve()
    if not (folder / JOURNAL).exists():
        if (folder / f"{JOURNAL}.tmp").exists():  # a kill while a journal was being written
            with contextlib.suppress(BusyError, OSError), locked(folder, "cleaning up"):
                (folder / f"{JOURNAL}.tmp").unlink(missing_ok=True)
        return None
    try:
        with locked(folder, "recovering an interrupted change", wait=waiting):
            if not (folder / JOURNAL).exists():  # finished meanwhile by the command that held it
                return None
            return _recover(_Journal.read(folder))
    except OSError as error:  # the lock cannot be made: a read-only content folder
        raise JournalError(
            f"{_here(folder / JOURNAL)} records an interrupted change, but {_here(folder)} cannot "
            f"be written ({_reason(error)}): make it writable and run the command again."
        ) from error


def waiting_line(holder: str) -> str:
    """What a command says while it waits for another one's change (``recover``)."""
    return (
        f"Waiting for another dossier command to finish changing the content ({holder}); "
        "Ctrl-C stops only this one."
    )


def _recover(journal: _Journal) -> Recovery:
    paths = tuple(e.path for e in journal.entries)
    if journal.state == "preparing":
        _undo_staging(journal)
        return Recovery(journal.change, paths, completed=False)
    if journal.state == "committed" and _can_roll_forward(journal):
        try:
            _roll_forward(journal)
            return Recovery(journal.change, paths, completed=True)
        except OSError:
            pass  # e.g. a folder made read-only since: undo instead, if that can be done
    missing = _cannot_undo(journal)
    if missing:
        raise JournalError(
            f"{_here(journal.path)} records an interrupted {journal.change} that can be neither "
            f"completed nor undone: {missing}. Compare the content with your last commit "
            f"(git status, git diff), restore what is wrong, then delete {_here(journal.path)}."
        )
    try:
        _roll_back(journal)
    except OSError as error:
        raise JournalError(
            f"{_here(journal.path)} records an interrupted {journal.change}, and undoing it "
            f"failed: {_reason(error)}. Fix the cause and run the command again."
        ) from error
    return Recovery(journal.change, paths, completed=False)


# --- the steps --------------------------------------------------------------------------------


class _DiskError(Exception):
    """An OSError met at ``path``, on its way to become a WriteError."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(str(error))
        self.path, self.error = path, error


@contextmanager
def _at(path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        raise _DiskError(path, error) from error


def _stage(journal: _Journal) -> None:
    """Make the folders the change needs, check each file against its plan, and write its
    backup and staged file; all flushed to disk."""
    for made in journal.folders:
        with _at(made):
            made.mkdir(exist_ok=True)
    for entry in journal.entries:
        mode = None
        with _at(entry.path):
            current = _read_or_none(entry.path)
            if _digest_of(current) != entry.old:
                raise ConflictError(entry.path)
            if current is not None:
                mode = entry.path.stat().st_mode & 0o7777
        if current is not None:
            with _at(entry.backup):
                _write(entry.backup, current, mode)
        if entry.data is not None:
            with _at(entry.staged):
                _write(entry.staged, entry.data, mode)
    for folder in {e.path.parent for e in journal.entries}:
        with _at(folder):
            _sync_folder(folder)


def _install(journal: _Journal) -> None:
    """Rename each staged file over its file and remove the removed ones, each checked first
    against its plan (an editor may have saved it meanwhile)."""
    for entry in journal.entries:
        with _at(entry.path):
            if _digest_of(_read_or_none(entry.path)) != entry.old:
                raise ConflictError(entry.path)
            if entry.new is None:
                entry.path.unlink()
            else:
                entry.staged.replace(entry.path)
    for folder in {e.path.parent for e in journal.entries}:
        with _at(folder):
            _sync_folder(folder)


def _finish(journal: _Journal) -> None:
    """Remove the backups, then the journal. The change is made: a failure here leaves the
    journal for the next command's recovery, which completes the clean-up."""
    with contextlib.suppress(OSError):
        for entry in journal.entries:
            if entry.old is not None:
                _discard(entry.backup)
        journal.drop()


def _undo(journal: _Journal, committed: bool, *, strict: bool = False) -> bool:
    """Undo after a failure; whether that worked (else the journal stays for recovery, and
    with ``strict`` the error is raised)."""
    try:
        if committed:
            journal.state = "rolling back"
            journal.write()
            _roll_back(journal)
        else:
            _undo_staging(journal)
    except OSError:
        if strict:
            raise
        return False
    return True


def _undo_staging(journal: _Journal) -> None:
    """Nothing was renamed yet: remove what staging made, then the journal."""
    for entry in journal.entries:
        _discard(entry.staged)
        _discard(entry.backup)
    _remove_folders(journal)
    journal.drop()


def _can_roll_forward(journal: _Journal) -> bool:
    """Every file holds its new bytes, or its old ones and its new ones staged (a file someone
    else changed meanwhile is never overwritten)."""
    for entry in journal.entries:
        current = _digest_of(_read_or_none(entry.path))
        if entry.new is None:
            if current not in {None, entry.old}:
                return False
        elif current != entry.new and (
            current != entry.old or _digest_of(_read_or_none(entry.staged)) != entry.new
        ):
            return False
    return True


def _roll_forward(journal: _Journal) -> None:
    for entry in journal.entries:
        if entry.new is None:
            entry.path.unlink(missing_ok=True)
        elif _digest_of(_read_or_none(entry.path)) != entry.new:
            entry.staged.replace(entry.path)
        else:
            _discard(entry.staged)
    for folder in {e.path.parent for e in journal.entries}:
        _sync_folder(folder)
    for entry in journal.entries:
        _discard(entry.backup)
    journal.drop()


def _changed_by_us(entry: _Entry, current: str | None) -> bool:
    """Whether the file is as the change left it, and so is to be put back. A file that holds
    neither its old nor its new bytes was changed by someone else: it is left alone."""
    if current == entry.old:
        return False
    return current is None if entry.new is None else current == entry.new


def _cannot_undo(journal: _Journal) -> str:
    """Why some file cannot be put back as it was; empty when all can."""
    for entry in journal.entries:
        current = _digest_of(_read_or_none(entry.path))
        if entry.old is None or not _changed_by_us(entry, current):
            continue
        if _digest_of(_read_or_none(entry.backup)) != entry.old:
            return f"the backup of {_here(entry.path)}, {entry.backup.name}, is gone or changed"
    return ""


def _roll_back(journal: _Journal) -> None:
    for entry in reversed(journal.entries):
        if not _changed_by_us(entry, _digest_of(_read_or_none(entry.path))):
            continue
        if entry.old is None:
            entry.path.unlink()
        else:
            entry.backup.replace(entry.path)
    for entry in journal.entries:
        _discard(entry.staged)
        _discard(entry.backup)
    for folder in {e.path.parent for e in journal.entries if e.path.parent.exists()}:
        _sync_folder(folder)
    _remove_folders(journal)
    journal.drop()


def _remove_folders(journal: _Journal) -> None:
    """The folders the change made, if nothing else was put in them meanwhile."""
    for made in reversed(journal.folders):
        with contextlib.suppress(OSError):
            made.rmdir()


# --- files ------------------------------------------------------------------------------------


def _write(path: Path, data: bytes, mode: int | None) -> None:
    """A new file holding ``data``, flushed to disk; never through a link left at its name.
    ``mode``: the permissions of the file it stands for (None: a new file's, by the umask)."""
    path.unlink(missing_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if mode is not None:
            os.fchmod(fd, mode)
        os.fsync(fd)
    finally:
        os.close(fd)


def _discard(path: Path) -> None:
    """Remove a file if it is there. On a read-only file system even removing a missing file
    fails (EROFS before the name is looked up): that is nothing to undo, so not an error."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        if os.path.lexists(path):
            raise


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (renames, removals) to disk, where the system allows it: some
    file systems cannot sync a folder, and say so; any other error is one."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as error:
        if error.errno in _CANNOT_SYNC:
            return
        raise
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in _CANNOT_SYNC:
            raise
    finally:
        os.close(fd)


_CANNOT_SYNC = {errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF, errno.EACCES}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _digest_of(data: bytes | None) -> str | None:
    return None if data is None else _digest(data)


def _absolute(path: Path) -> Path:
    return path.parent.resolve() / path.name


def _missing_folders(entries: list[_Entry]) -> list[Path]:
    """The folders the new files need that do not exist yet, each after its parent."""
    missing: list[Path] = []
    for entry in entries:
        parent = entry.path.parent
        chain = []
        while not parent.exists() and parent not in missing:
            chain.append(parent)
            parent = parent.parent
        missing.extend(reversed(chain))
    return missing


def _order(change: FileChange) -> int:
    """New files first, then changed ones, removals last: meanwhile every id resolves."""
    if change.old is None:
        return 0
    return 2 if change.new is None else 1


def _status(stop: SystemExit) -> int:
    return stop.code if isinstance(stop.code, int) else 1


def _damaged(path: Path, error: Exception) -> str:
    return (
        f"{_here(path)} is damaged ({_reason(error)}): Dossier cannot tell whether the change "
        "it records was finished. Compare the content with your last commit (git status, git "
        f"diff), restore what is wrong, then delete {_here(path)} and the hidden files ending "
        f"in {STAGED} and {BACKUP} beside the content files."
    )


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    if isinstance(error, KeyError):
        return f"it lacks {error}"
    return str(error) or type(error).__name__


def _here(path: Path) -> str:
    """A path as messages show it: relative to the working folder where possible."""
    return _shown(path, Path.cwd().resolve())


def _files(paths: Sequence[Path], cwd: Path | None) -> str:
    base = (cwd or Path.cwd()).resolve()
    shown = [_shown(p, base) for p in paths[:SHOWN]]
    more = len(paths) - len(shown)
    count = f"{len(paths)} file{'s' if len(paths) != 1 else ''}"
    listed = ", ".join(shown) + (f" and {more} more" if more else "")
    return f"{count}: {listed}"


def _shown(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()
