"""The journal (dossier.journal) on its own: a change of several files is made all or nothing,
whatever stops it and wherever. A crash is simulated at every step that touches the disk (an
exception no handler catches, as SIGKILL leaves things), Ctrl-C and I/O errors likewise, and the
next ``recover`` must leave every file all as before or all as after. Real signals and real
read-only folders, through the command, are in tests/site/test_edit_transactions.py."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from dossier import journal
from dossier.journal import FileChange

OLD = {
    "articles/2023/a.en.md": b"---\ntopics: [x]\n---\nA\n",
    "articles/2023/b.en.md": b"---\ntopics: [x]\n---\nB\n",
    "entities/topics/x.yaml": b"name: {de: X, en: X}\n",
    "entities/topics/gone.yaml": b"name: {de: G, en: G}\n",
}
NEW = {
    "articles/2023/a.en.md": b'---\ntopics: ["no"]\n---\nA\n',
    "articles/2023/b.en.md": b'---\ntopics: ["no"]\n---\nB\n',
    "entities/topics/no.yaml": b"name: {de: X, en: X}\nformerly: [x]\n",
    "articles/2026/new.en.md": b"---\ntitle: New\n---\n",  # in a folder the change makes
}


class Crash(BaseException):
    """What SIGKILL does to a process: it stops, and no handler runs."""


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def folders(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    for name, data in OLD.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def changes(folder: Path) -> list[FileChange]:
    """x.yaml moves to no.yaml, a.en.md and b.en.md follow, gone.yaml goes, new.en.md comes."""
    names = [*OLD, "entities/topics/no.yaml", "articles/2026/new.en.md"]
    return [FileChange(folder / name, OLD.get(name), NEW.get(name)) for name in names]


def after() -> dict[str, bytes]:
    kept = {
        k: v
        for k, v in OLD.items()
        if k not in {"entities/topics/x.yaml", "entities/topics/gone.yaml"}
    }
    return dict(sorted((kept | NEW).items()))  # fmt: skip


# The calls through which the journal changes the disk (pathlib's replace, unlink, mkdir and
# rmdir go through them too).
MUTATING = ("open", "write", "fsync", "replace", "unlink", "mkdir", "rmdir", "fchmod")


@contextmanager
def fault_at(n: int, make: Callable[[], BaseException], **more: Callable) -> Iterator[list[str]]:
    """Raise ``make()`` instead of the ``n``-th call that changes the disk (0-based), and
    ``more["at_M"]()`` instead of the M-th; yield the calls made, named."""
    faults = {n: make} | {int(k.removeprefix("at_")): v for k, v in more.items()}
    calls: list[str] = []
    originals = {name: getattr(os, name) for name in MUTATING}

    def wrap(name: str, original: Callable) -> Callable:
        def call(*args, **kwargs):
            if name == "open" and not (args[1] if len(args) > 1 else kwargs["flags"]) & os.O_CREAT:
                return original(*args, **kwargs)  # reading opens nothing new
            calls.append(name)
            if len(calls) - 1 in faults:
                raise faults[len(calls) - 1]()
            return original(*args, **kwargs)

        return call

    for name, original in originals.items():
        setattr(os, name, wrap(name, original))
    try:
        yield calls
    finally:
        for name, original in originals.items():
            setattr(os, name, original)


def steps(content: Path, tmp_path: Path) -> list[str]:
    """The disk-changing calls a whole change makes, in order (on a copy of the content)."""
    copy = tmp_path / "count" / "content"
    for name, data in OLD.items():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_bytes(data)
    with fault_at(10**9, Crash) as calls:
        journal.commit(copy, "rename of 'x' to 'no'", changes(copy))
    assert tree(copy) == after()
    return calls


# --- a change that runs through ---------------------------------------------------------------


def test_a_change_writes_every_file_and_leaves_nothing_else(content: Path) -> None:
    (content / "articles/2023/a.en.md").chmod(0o600)  # a file's permissions are kept
    journal.commit(content, "rename of 'x' to 'no'", changes(content))
    assert tree(content) == after()
    assert (content / "articles/2023/a.en.md").stat().st_mode & 0o777 == 0o600
    assert journal.recover(content) is None


def test_a_file_changed_since_the_plan_stops_the_change_before_anything_is_written(
    content: Path,
) -> None:
    (content / "articles/2023/b.en.md").write_bytes(b"an editor saved this meanwhile\n")
    before = tree(content)
    with pytest.raises(journal.ConflictError) as conflict:
        journal.commit(content, "rename of 'x' to 'no'", changes(content))
    assert conflict.value.path == content / "articles/2023/b.en.md"
    assert tree(content) == before
    assert "articles/2026" not in folders(content)


def test_a_new_file_that_appeared_meanwhile_is_never_overwritten(content: Path) -> None:
    (content / "entities/topics/no.yaml").write_bytes(b"someone else's\n")
    before = tree(content)
    with pytest.raises(journal.ConflictError):
        journal.commit(content, "rename of 'x' to 'no'", changes(content))
    assert tree(content) == before


# --- stopped at every step --------------------------------------------------------------------


def test_a_crash_at_any_step_is_completed_or_undone_by_the_next_recovery(
    content: Path, tmp_path: Path
) -> None:
    total = len(steps(content, tmp_path))
    assert total > 20
    outcomes = {}
    for n in range(total):
        case = tmp_path / f"crash-{n}" / "content"
        for name, data in OLD.items():
            (case / name).parent.mkdir(parents=True, exist_ok=True)
            (case / name).write_bytes(data)
        with pytest.raises(Crash), fault_at(n, Crash):
            journal.commit(case, "rename of 'x' to 'no'", changes(case))
        recovered = journal.recover(case)
        found = tree(case)
        if found == after():
            assert recovered is None or recovered.completed, n
            outcomes[n] = "completed"
        else:
            assert found == dict(sorted(OLD.items())), n
            assert recovered is None or not recovered.completed, n
            assert "articles/2026" not in folders(case), n  # the folder it made is gone
            outcomes[n] = "undone"
        assert not list(case.rglob(".*")), n  # no staged file, backup or journal left
        if recovered:
            line = recovered.line(case)
            assert line.startswith("Recovered an interrupted rename of 'x' to 'no': it was ")
            assert "(6 files: " in line
    # Crashes before the commit point are undone, after it completed, and both happen.
    assert set(outcomes.values()) == {"completed", "undone"}
    first = min(n for n, way in outcomes.items() if way == "completed")
    assert all(way == "completed" for n, way in outcomes.items() if n >= first)


@pytest.mark.parametrize(
    "stop", [KeyboardInterrupt, lambda: SystemExit(143)], ids=["SIGINT", "SIGTERM"]
)
def test_ctrl_c_or_sigterm_at_any_step_undoes_or_completes_the_change_at_once(
    stop: Callable[[], BaseException], content: Path, tmp_path: Path
) -> None:
    total = len(steps(content, tmp_path))
    seen = set()
    for n in range(total):
        case = tmp_path / f"stop-{n}" / "content"
        for name, data in OLD.items():
            (case / name).parent.mkdir(parents=True, exist_ok=True)
            (case / name).write_bytes(data)
        with pytest.raises(journal.InterruptError) as stopped, fault_at(n, stop):
            journal.commit(case, "rename of 'x' to 'no'", changes(case))
        assert stopped.value.status == (130 if stop is KeyboardInterrupt else 143)
        expected = after() if stopped.value.completed else dict(sorted(OLD.items()))
        assert tree(case) == expected, n
        assert not list(case.rglob(".*")), n
        assert journal.recover(case) is None  # nothing is left for the next command
        seen.add(stopped.value.completed)
        line = stopped.value.line(case)
        if stopped.value.completed:
            assert line.startswith("Interrupted after the rename of 'x' to 'no' was committed: ")
        else:
            assert line == "Interrupted: the rename of 'x' to 'no' was undone; nothing was changed."
    assert seen == {True, False}


def test_an_io_error_at_any_step_undoes_the_change(content: Path, tmp_path: Path) -> None:
    """Until the change is made, an I/O error undoes it; in the clean-up after, it leaves the
    clean-up to the next command."""
    calls = steps(content, tmp_path)
    for n in range(len(calls)):
        case = tmp_path / f"eio-{n}" / "content"
        for name, data in OLD.items():
            (case / name).parent.mkdir(parents=True, exist_ok=True)
            (case / name).write_bytes(data)
        failed: journal.WriteError | None = None
        with fault_at(n, lambda: OSError(errno.EIO, "Input/output error")):
            try:
                journal.commit(case, "rename of 'x' to 'no'", changes(case))
            except journal.WriteError as error:
                failed = error
        if failed is not None:
            assert failed.undone, n
            assert failed.reason == "Input/output error"
            assert tree(case) == dict(sorted(OLD.items())), n
            assert not list(case.rglob(".*")), n
            assert "articles/2026" not in folders(case), n
            continue
        # The change was made and only its clean-up failed: the next command finishes that.
        assert calls[n] == "unlink" or n == len(calls) - 1, n
        assert {k: v for k, v in tree(case).items() if "/." not in f"/{k}"} == after(), n
        left = (case / journal.JOURNAL).exists()
        recovered = journal.recover(case)
        assert (recovered is not None and recovered.completed) if left else recovered is None, n
        assert tree(case) == after(), n


def test_a_crash_while_an_io_error_is_being_undone_is_undone_by_the_next_recovery(
    content: Path, tmp_path: Path
) -> None:
    """Two faults: an I/O error halfway through the renames, then a crash at each step of the
    undoing that follows."""
    calls = steps(content, tmp_path)
    failing = [n for n, call in enumerate(calls) if call == "replace"][4]  # among the renames
    undoing = 0
    for m in range(failing + 1, failing + 40):
        case = tmp_path / f"twice-{m}" / "content"
        for name, data in OLD.items():
            (case / name).parent.mkdir(parents=True, exist_ok=True)
            (case / name).write_bytes(data)
        eio = lambda: OSError(errno.EIO, "Input/output error")  # noqa: E731
        with (
            pytest.raises((Crash, journal.WriteError)) as stopped,
            fault_at(failing, eio, **{f"at_{m}": Crash}),
        ):
            journal.commit(case, "rename of 'x' to 'no'", changes(case))
        left = case / journal.JOURNAL
        state = json.loads(left.read_text())["state"] if left.exists() else None
        recovered = journal.recover(case)
        assert not list(case.rglob(".*")), m
        if stopped.type is journal.WriteError:  # the crash came after the undoing
            assert tree(case) == dict(sorted(OLD.items())), m
            continue
        if recovered is None:  # the crash came as the undoing ended
            assert tree(case) == dict(sorted(OLD.items())), m
            continue
        if state == "rolling back":  # once undoing was decided, it is finished
            undoing += 1
            assert tree(case) == dict(sorted(OLD.items())), m
            assert not recovered.completed, m
        else:  # the crash came before the decision was on disk: either way, all of it
            assert tree(case) == (after() if recovered.completed else dict(sorted(OLD.items())))
    assert undoing > 5


# --- what recovery will not touch -------------------------------------------------------------


def interrupted(content: Path, tmp_path: Path, renamed: int = 2) -> Path:
    """The content with a change stopped halfway through its renames (a SIGKILL): the first
    ``renamed`` files in place (the two new ones, then a.en.md, b.en.md), the others not yet."""
    replaces = [n for n, call in enumerate(steps(content, tmp_path)) if call == "replace"]
    with pytest.raises(Crash), fault_at(replaces[2 + renamed], Crash):
        journal.commit(content, "rename of 'x' to 'no'", changes(content))
    data = json.loads((content / journal.JOURNAL).read_text())
    assert data["state"] == "committed"
    return content / journal.JOURNAL


def rewrite(path: Path, edit: Callable[[dict], None]) -> None:
    """Change a journal and give it a correct checksum (a deliberate forgery)."""
    body = json.loads(path.read_text())
    del body["checksum"]
    edit(body)
    text = json.dumps(body, indent=1, ensure_ascii=False)
    digest = hashlib.sha256(text.encode()).hexdigest()
    path.write_text(f'{text[:-2]},\n "checksum": "{digest}"\n}}\n')


def first(**fields: str) -> Callable[[dict], None]:
    """An edit of a journal's first file."""
    return lambda body: body["files"][0].update(fields)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda p: p.write_bytes(p.read_bytes()[:-40]), "its checksum does not match"),
        (lambda p: p.write_bytes(p.read_bytes()[:100]), "its checksum is missing"),
        (lambda p: p.write_bytes(b""), "its checksum is missing"),
        (lambda p: p.write_bytes(b"\xff\xfe"), "'utf-8' codec can't decode"),
        (lambda p: p.write_text(p.read_text().replace('"committed"', '"preparing"')), "checksum"),
        (lambda p: rewrite(p, lambda b: b.update(format=2)), "unknown format 2"),
        (lambda p: rewrite(p, lambda b: b.update(state="half")), "unknown state 'half'"),
        (lambda p: rewrite(p, first(path="../../etc/passwd")), "outside the project"),
        (lambda p: rewrite(p, first(path="/etc/passwd")), "names the path '/etc/passwd'"),
        (lambda p: rewrite(p, first(staged="../x")), "misnamed"),
        (lambda p: rewrite(p, first(new="abc")), "malformed digest"),
        (lambda p: rewrite(p, lambda b: b.pop("files")), "it lacks 'files'"),
    ],
    ids=["truncated", "cut-short", "empty", "not-utf8", "edited", "format", "state",
         "escapes", "absolute", "misnamed", "digest", "no-files"],
)  # fmt: skip
def test_a_damaged_journal_is_reported_and_nothing_is_touched(
    damage: Callable[[Path], None], reason: str, content: Path, tmp_path: Path
) -> None:
    path = interrupted(content, tmp_path)
    damage(path)
    before = tree(content)
    with pytest.raises(journal.JournalError) as error:
        journal.recover(content)
    assert reason in str(error.value)
    assert "is damaged" in str(error.value)
    assert "Compare the content with your last commit" in str(error.value)
    assert tree(content) == before


def test_a_change_whose_backup_is_lost_is_left_for_a_person(content: Path, tmp_path: Path) -> None:
    path = interrupted(content, tmp_path, renamed=3)
    # A staged file is lost (so it cannot be completed) and so is a backup (nor undone).
    (content / f"articles/2023/.b.en.md{journal.STAGED}").unlink()
    (content / f"articles/2023/.a.en.md{journal.BACKUP}").unlink()
    before = tree(content)
    with pytest.raises(journal.JournalError, match="can be neither completed nor undone"):
        journal.recover(content)
    assert tree(content) == before
    assert path.exists()


def test_a_lost_staged_file_is_undone_from_the_backups(content: Path, tmp_path: Path) -> None:
    interrupted(content, tmp_path)
    next(content.rglob(f"*{journal.STAGED}")).unlink()
    recovered = journal.recover(content)
    assert recovered is not None
    assert not recovered.completed
    assert tree(content) == dict(sorted(OLD.items()))


def test_a_file_an_editor_changed_after_the_crash_is_never_overwritten(
    content: Path, tmp_path: Path
) -> None:
    interrupted(content, tmp_path)
    # b.en.md was not renamed yet when the command died; an editor then saves it.
    edited = content / "articles/2023/b.en.md"
    assert edited.read_bytes() == OLD["articles/2023/b.en.md"]
    edited.write_bytes(b"saved by an editor\n")
    recovered = journal.recover(content)
    assert recovered is not None
    assert not recovered.completed
    assert edited.read_bytes() == b"saved by an editor\n"
    assert tree(content) == dict(sorted(OLD.items())) | {
        "articles/2023/b.en.md": b"saved by an editor\n"
    }


# --- the lock ---------------------------------------------------------------------------------


def test_one_change_at_a_time(content: Path) -> None:
    with journal.locked(content, "rename of 'x' to 'no'"):
        assert (content / journal.LOCK).read_text().endswith(": rename of 'x' to 'no'\n")
        with pytest.raises(journal.BusyError) as busy, journal.locked(content, "merge"):
            pass
        assert busy.value.holder == f"process {os.getpid()}: rename of 'x' to 'no'"
    assert not (content / journal.LOCK).exists()


def test_recovery_waits_for_a_live_change_and_leaves_it_alone(content: Path) -> None:
    """A journal whose command still holds the lock is that command's: recovery waits until it
    is released (by then the command removed its journal) and finds nothing to do."""
    found: list[object] = []
    with journal.locked(content, "rename of 'x' to 'no'"):
        (content / journal.JOURNAL).write_text("{not yet written whole")
        waiting = threading.Thread(target=lambda: found.append(journal.recover(content)))
        waiting.start()
        time.sleep(0.3)  # time to reach the lock; the outcome does not depend on it
        (content / journal.JOURNAL).unlink()
    waiting.join()
    assert found == [None]


def test_a_lock_file_a_killed_command_left_is_taken_over(content: Path) -> None:
    (content / journal.LOCK).write_text("process 99999999: rename of 'x' to 'no'\n")
    with journal.locked(content, "merge"):
        assert (content / journal.LOCK).read_text().endswith(": merge\n")
    assert not (content / journal.LOCK).exists()
