"""How every editing command changes content: the change planned whole in memory, checked as
``dossier check`` would check the files it leaves, and only then written, all or nothing.

``check_change`` reads the content with the planned files in place of the disk's (the read
stage's overlay: nothing is written to check them); ``write_change`` writes them through the
journal (``dossier.journal``): staged files, a journal, renames, and recovery after a crash.
A command refuses (``RefusalError``, exit status 1) before writing anything when the check finds
an error, when another command is changing the content, when a file changed since the plan was
made, and when the disk refuses a write (then whatever was written is undone first).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from dossier import atomic, journal
from dossier.check import check_files
from dossier.diagnostics import Diagnostic
from dossier.editing.messages import RefusalError, shown
from dossier.journal import FileChange
from dossier.read.corpus import Overlay
from dossier.settings import DossierSettings

__all__ = ["FileChange", "check_change", "encoded", "overlay", "write_change"]


def encoded(text: str) -> bytes:
    """``text`` as the bytes a command writes: UTF-8. Text that reached the command line in
    another encoding keeps the bytes it came as (Python hands them over as surrogates), so
    that check reports them as not UTF-8 instead of the command failing half-way."""
    for errors in ("strict", "surrogateescape"):
        try:
            return text.encode("utf-8", errors)
        except UnicodeEncodeError:
            continue
    return text.encode("utf-8", "surrogatepass")


def overlay(changes: Iterable[FileChange]) -> Overlay:
    """The planned files, for the read stage to read in place of the disk's."""
    return {change.path: change.new for change in changes}


def check_change(
    settings: DossierSettings, changes: Sequence[FileChange], paths: Iterable[Path]
) -> list[Diagnostic]:
    """What ``dossier check PATHS`` would say once ``changes`` are written; nothing is written."""
    return check_files(settings, paths, overlay=overlay(changes))


def write_change(settings: DossierSettings, name: str, changes: Sequence[FileChange]) -> None:
    """Write ``changes`` all or nothing, under the content folder's lock; ``name`` says what
    the change is ("rename of 'a' to 'b'") in messages and in the journal. Raises RefusalError
    with every file as it was, or ``journal.InterruptError`` (Ctrl-C, SIGTERM)."""
    folder = settings.content_folder.resolve()
    held = [c for c in changes if journal.holds(folder, c.path)]
    beside = [c for c in changes if c not in held]  # frontmatter.json far from the content
    try:
        with journal.locked(folder, name):
            if (folder / journal.JOURNAL).exists():
                raise RefusalError(
                    "Nothing was written: an interrupted change is waiting to be finished; "
                    "run the command again."
                )
            journal.commit(folder, name, held)
    except journal.BusyError as busy:
        raise RefusalError(
            f"Nothing was written: another dossier command is changing the content "
            f"({busy.holder}); run this one again when it has finished."
        ) from busy
    except journal.ConflictError as conflict:
        raise RefusalError(
            f"Nothing was written: {shown(conflict.path)} changed while the {name} was being "
            "prepared; run the command again."
        ) from conflict
    except journal.WriteError as failed:
        if failed.undone:
            raise RefusalError(
                f"Nothing was changed: {shown(failed.path)} cannot be written ({failed.reason}); "
                f"the {name} was undone, every file is as it was."
            ) from failed
        raise RefusalError(
            f"The {name} stopped: {shown(failed.path)} cannot be written ({failed.reason}), "
            "and undoing it failed too; the next dossier command finishes undoing it."
        ) from failed
    except OSError as error:  # the lock cannot be made: a read-only content folder
        raise RefusalError(
            f"Nothing was written: {shown(folder)} cannot be written ({error.strerror or error})."
        ) from error
    for change in beside:
        atomic.write_text(change.path, (change.new or b"").decode("utf-8"))
