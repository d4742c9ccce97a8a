"""No editing command can leave content half-changed: real `dossier rename … --apply` processes
are stopped by real signals (SIGINT, SIGTERM, SIGKILL, SIGHUP) at every phase of their writing,
and by real I/O errors (an immutable file, a read-only bind mount, a full disk); the next command
must find the content byte for byte all as before or all as after, say so when it recovered it,
and pass check.

Where the signal lands is not left to timing: the test watches the content folder, stops the
process (SIGSTOP) the moment the phase it wants begins (the journal appears; the first file is
renamed; the last one removed), looks at the files while it is frozen, then sends the signal and
lets it go on (SIGCONT). Random delays add other points. Nothing asserts on time.

The journal alone, with a fault injected at every step, is in tests/core/test_journal.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import chdir, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from dossier.cli import main

from ..conftest import FIXTURES, REPO, Site, make_site
from ..support.mounts import needs_root, read_only, tmpfs

DOSSIER = Path(sys.executable).with_name("dossier")  # the installed entry point
ARTICLES = 200  # hundreds of files change: each phase of the writing takes a while
OLD, NEW = "ballistic-missiles", "no"  # YAML 1.1 reads a plain `no` as false
CHANGE = f"rename of '{OLD}' to '{NEW}'"
JOURNAL = "content/.dossier-journal.json"
ANY = random.Random(0)  # noqa: S311 - where a signal lands, not a secret


def tree(root: Path) -> dict[str, str]:
    """Every file of the project but the check cache, with the hash of its bytes; hidden ones
    (staged files, backups, journal, lock) included."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] not in {"cache", "output"}
    }


def visible(files: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in files.items() if not any(p.startswith(".") for p in k.split("/"))}


def generated(number: int) -> str:
    return (
        f"---\ntitle: Launch report {number}\nslug: report-{number}\nlang: en\n"
        "date: 2024-03-01T09:00:00+01:00\nauthors: [anna-berger]\n"
        f"summary: Report number {number}.\nactors: [north-korea]\n"
        f"topics: [{OLD}]  # kept through the rename\n---\nText of report {number}.\n"
    )


@dataclass(frozen=True)
class Crowd:
    """A site whose topic OLD is named by ARTICLES articles, with the editor's form, and the
    project's files as they are before the rename and after it."""

    template: Path
    before: dict[str, str]
    after: dict[str, str]

    def site(self, root: Path) -> Site:
        shutil.copytree(self.template, root, symlinks=True)
        return Site(root)


@pytest.fixture(scope="module")
def crowd(tmp_path_factory: pytest.TempPathFactory) -> Crowd:
    site = make_site(tmp_path_factory.mktemp("crowd") / "site", FIXTURES / "site" / "content")
    for number in range(ARTICLES):
        site.write(f"articles/2024/report-{number}.en.md", generated(number))
    shutil.copyfile(REPO / "frontmatter.json", site.root / "frontmatter.json")
    assert site.run("editor-config").exit_code == 0  # current, so that the rename refreshes it
    assert site.check().exit_code == 0
    before = tree(site.root)
    done = make_site(tmp_path_factory.mktemp("done") / "site", site.content)
    shutil.copyfile(site.root / "frontmatter.json", done.root / "frontmatter.json")
    result = done.run("rename", OLD, NEW, "--apply")
    assert result.exit_code == 0, result.output
    after = tree(done.root)
    assert visible(after) == after
    assert after["frontmatter.json"] != before["frontmatter.json"]
    assert sum(1 for k in after if k not in before or after[k] != before[k]) > ARTICLES
    return Crowd(site.root, before, after)


@contextmanager
def started(site: Site, *args: str) -> Iterator[subprocess.Popen]:
    """The real command in its own process; it hears SIGINT as from a terminal's Ctrl-C even
    when the tests run in a background job that ignores it (see test_reliability.py)."""
    ignored = signal.signal(signal.SIGINT, signal.default_int_handler)
    out = (site.root.parent / "out.txt").open("w+")
    err = (site.root.parent / "err.txt").open("w+")
    try:
        process = subprocess.Popen(
            [str(DOSSIER), *args, "--settings", "settings.py"],
            cwd=site.root, stdout=out, stderr=err,
        )  # fmt: skip
    finally:
        signal.signal(signal.SIGINT, ignored)
    try:
        yield process
    finally:
        if process.poll() is None:  # pragma: no cover - only when the test itself fails
            os.kill(process.pid, signal.SIGCONT)
            process.kill()
        process.wait()
        out.close()
        err.close()


def output(site: Site) -> tuple[str, str]:
    return ((site.root.parent / "out.txt").read_text(), (site.root.parent / "err.txt").read_text())


def run(site: Site, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DOSSIER), *args, "--settings", "settings.py"],
        cwd=site.root, capture_output=True, text=True, check=False,
    )  # fmt: skip


def checked(site: Site) -> subprocess.CompletedProcess:
    """`dossier check`, run in this process (the same command, without starting Python)."""
    with chdir(site.root):
        result = CliRunner().invoke(main, ["check", "--settings", "settings.py"])
    return subprocess.CompletedProcess([], result.exit_code, result.stdout, result.stderr)


def wait_for(process: subprocess.Popen, ready: Callable[[], bool]) -> bool:
    """Poll until ``ready()`` or the process ended; whether it is ready (checked first)."""
    while not ready():
        if process.poll() is not None:
            return ready()
    return True


# --- the phases a signal can land in ----------------------------------------------------------

Trigger = Callable[[Site, subprocess.Popen, random.Random], bool]


def planning(site: Site, process: subprocess.Popen, rng: random.Random) -> bool:
    """A moment while it reads and plans: before the journal exists."""
    time.sleep(rng.uniform(0.2, 1.5))
    return process.poll() is None


def journal_appears(site: Site, process: subprocess.Popen, rng: random.Random) -> bool:
    return wait_for(process, (site.root / JOURNAL).exists)


def first_rename(site: Site, process: subprocess.Popen, rng: random.Random) -> bool:
    """The first file in place: the new entry (new files go first)."""
    return wait_for(process, (site.content / f"entities/topics/{NEW}.yaml").exists)


def last_removal(site: Site, process: subprocess.Popen, rng: random.Random) -> bool:
    """The old entry gone: removals go last, the clean-up follows."""
    return wait_for(process, lambda: not (site.content / f"entities/topics/{OLD}.yaml").exists())


def somewhere(site: Site, process: subprocess.Popen, rng: random.Random) -> bool:
    """A random moment after the journal appears."""
    if not journal_appears(site, process, rng):
        return False
    time.sleep(rng.uniform(0, 0.3))
    return process.poll() is None


TRIGGERS = [planning, journal_appears, first_rename, last_removal, somewhere]


def phase(crowd: Crowd, files: dict[str, str]) -> str:
    """Where the writing stood: before any file changed, during (some changed), after (all)."""
    shown = visible(files)
    if shown == crowd.before:
        return "before"
    if shown == crowd.after:
        return "after"
    return "during"


def attempt(
    crowd: Crowd, root: Path, sig: signal.Signals, trigger: Trigger, rng: random.Random
) -> str:
    """One rename, stopped by ``sig`` where ``trigger`` says; the checks every outcome passes.
    Returns the phase the signal landed in."""
    site = crowd.site(root)
    with started(site, "rename", OLD, NEW, "--apply") as process:
        caught = trigger(site, process, rng)
        if caught:
            os.kill(process.pid, signal.SIGSTOP)
            caught = process.poll() is None
        landed = phase(crowd, tree(site.root))
        if caught:
            process.send_signal(sig)
            os.kill(process.pid, signal.SIGCONT)
        status = process.wait()
    if not caught:
        landed = "finished"
    out, err = output(site)
    assert "Traceback" not in out + err, (sig, trigger.__name__, err)
    left = (site.root / JOURNAL).exists()
    stopped = err.strip().splitlines()[-1] if err.strip() else ""

    # What the command said, and its status.
    if landed == "finished":
        assert status == 0, err
    elif sig in {signal.SIGKILL, signal.SIGHUP}:
        assert status == -sig
    elif stopped.startswith("Interrupted"):  # it was writing: it undid or completed the change
        assert status == 128 + sig, (status, err)
        assert not left
        completed = stopped.startswith(f"Interrupted after the {CHANGE} was committed: ")
        assert completed or stopped == f"Interrupted: the {CHANGE} was undone; nothing was changed."
        assert visible(tree(site.root)) == (crowd.after if completed else crowd.before)
    else:  # not writing: still planning, or done and printing what it did
        assert status in {1, 128 + sig}, (status, err)  # Ctrl-C in click: "Aborted!"
        assert not left
        assert visible(tree(site.root)) == (crowd.before if landed == "before" else crowd.after)

    # The next command recovers what is left, and says so in one line.
    check = checked(site)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout == "All content is valid.\n"
    recovered = [line for line in check.stderr.splitlines() if line.startswith("Recovered")]
    if left:
        assert len(recovered) == 1, check.stderr
        assert recovered[0].startswith(f"Recovered an interrupted {CHANGE}: it was ")
        assert f"({len(crowd_changes(crowd))} files: " in recovered[0]
    else:
        assert recovered == [], check.stderr
    final = tree(site.root)
    assert final in (crowd.before, crowd.after), sorted(
        set(final.items()) ^ set(crowd.after.items())
    )[:6]
    if recovered:
        assert (final == crowd.after) == (" it was completed " in recovered[0])
    if landed == "during" and sig not in {signal.SIGKILL, signal.SIGHUP}:
        assert stopped.startswith("Interrupted")
    shutil.rmtree(root)
    return landed


def crowd_changes(crowd: Crowd) -> set[str]:
    return {k for k in crowd.before.keys() | crowd.after.keys()
            if crowd.before.get(k) != crowd.after.get(k)}  # fmt: skip


@pytest.mark.parametrize(
    "sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name
)
def test_a_rename_stopped_by_a_signal_anywhere_is_all_old_or_all_new(
    sig: signal.Signals, crowd: Crowd, tmp_path: Path
) -> None:
    rng = random.Random(sig.name)  # noqa: S311 - where to stop, not a secret
    seen: list[str] = []
    for number, trigger in enumerate(TRIGGERS * 3):  # each once, then again until all are hit
        seen.append(attempt(crowd, tmp_path / f"try-{number}", sig, trigger, rng))
        if {"before", "during", "after"} <= set(seen) and number >= len(TRIGGERS) - 1:
            break
    assert {"before", "during", "after"} <= set(seen), seen


def test_a_hangup_mid_rename_is_recovered_by_the_next_command(crowd: Crowd, tmp_path: Path) -> None:
    """SIGHUP (a closed terminal) ends the process at once, as SIGKILL does."""
    rng = random.Random("hup")  # noqa: S311
    assert attempt(crowd, tmp_path / "hup", signal.SIGHUP, first_rename, rng) == "during"


def test_the_build_recovers_an_interrupted_change_before_it_reads(
    crowd: Crowd, tmp_path: Path
) -> None:
    site = crowd.site(tmp_path / "site")
    with started(site, "rename", OLD, NEW, "--apply") as process:
        assert first_rename(site, process, ANY)
        process.kill()
    assert (site.root / JOURNAL).exists()
    built = run(site, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert f"Recovered an interrupted {CHANGE}: it was completed" in built.stdout
    assert visible(tree(site.root)) == crowd.after
    assert (site.root / "output/en/topics/no/index.html").is_file()


def test_two_commands_recovering_at_once_recover_once(crowd: Crowd, tmp_path: Path) -> None:
    site = crowd.site(tmp_path / "site")
    with started(site, "rename", OLD, NEW, "--apply") as process:
        assert first_rename(site, process, ANY)
        process.kill()
    checks = [
        subprocess.Popen(
            [str(DOSSIER), "check", "--settings", "settings.py"],
            cwd=site.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [(c.communicate(), c.returncode) for c in checks]
    results = [(status, out, err) for (out, err), status in results]
    assert [status for status, _, _ in results] == [0, 0, 0], results
    lines = [line for _, _, err in results for line in err.splitlines()]
    assert len([line for line in lines if line.startswith("Recovered")]) == 1, lines
    assert tree(site.root) == crowd.after


# --- real I/O errors --------------------------------------------------------------------------


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    """chattr +i: not even root may change, rename over or remove the file, or add to the
    folder."""
    subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def refused_and_undone(crowd: Crowd, site: Site, result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return line


@needs_root
def test_a_file_that_cannot_be_replaced_undoes_the_whole_rename(
    crowd: Crowd, tmp_path: Path
) -> None:
    """Files are renamed in order; one late in it is immutable, so the renames before it are
    undone from their backups."""
    site = crowd.site(tmp_path / "site")
    late = site.content / f"articles/2024/report-{ARTICLES - 1}.en.md"
    with immutable(late):
        result = run(site, "rename", OLD, NEW, "--apply")
        assert tree(site.root) == crowd.before
    line = refused_and_undone(crowd, site, result)
    assert line == (
        f"Nothing was changed: content/articles/2024/report-{ARTICLES - 1}.en.md cannot be "
        f"written (Operation not permitted); the {CHANGE} was undone, every file is as it was."
    )
    assert run(site, "check").returncode == 0


@needs_root
def test_an_entry_that_cannot_be_removed_undoes_the_whole_rename(
    crowd: Crowd, tmp_path: Path
) -> None:
    """The last step of all, the old entry's removal, fails."""
    site = crowd.site(tmp_path / "site")
    with immutable(site.content / f"entities/topics/{OLD}.yaml"):
        result = run(site, "rename", OLD, NEW, "--apply")
        assert tree(site.root) == crowd.before
    line = refused_and_undone(crowd, site, result)
    assert f"content/entities/topics/{OLD}.yaml cannot be written (Operation not permitted)" in line


@needs_root
def test_an_editor_form_that_cannot_be_written_undoes_the_rename(
    crowd: Crowd, tmp_path: Path
) -> None:
    site = crowd.site(tmp_path / "site")
    with immutable(site.root / "frontmatter.json"):
        result = run(site, "rename", OLD, NEW, "--apply")
        assert tree(site.root) == crowd.before
    assert "frontmatter.json cannot be written" in refused_and_undone(crowd, site, result)


@needs_root
def test_a_read_only_folder_stops_the_rename_before_anything_changes(
    crowd: Crowd, tmp_path: Path
) -> None:
    site = crowd.site(tmp_path / "site")
    with read_only(site.content / "articles/2024"):
        result = run(site, "rename", OLD, NEW, "--apply")
        assert tree(site.root) == crowd.before
    line = refused_and_undone(crowd, site, result)
    assert line.startswith("Nothing was changed: content/articles/2024/")
    assert "(Read-only file system)" in line


@needs_root
def test_a_full_disk_stops_the_rename_and_undoes_it(crowd: Crowd, tmp_path: Path) -> None:
    """A small file system of its own, with room for the site but not for a second copy."""
    # tmpfs counts whole pages: each file takes its size rounded up to 4 KiB
    size = sum(
        -(-p.stat().st_size // 4096) * 4096 for p in crowd.template.rglob("*") if p.is_file()
    )
    with tmpfs(tmp_path / "small", size + 400_000) as mount:
        site = crowd.site(mount / "site")
        shutil.rmtree(site.root / "cache", ignore_errors=True)
        result = run(site, "rename", OLD, NEW, "--apply")
        assert tree(site.root) == crowd.before
        line = refused_and_undone(crowd, site, result)
        assert "(No space left on device)" in line
        assert line.endswith("every file is as it was.")


# --- a change meets other changes ---------------------------------------------------------------


def test_two_commands_at_once_one_waits_its_turn(crowd: Crowd, tmp_path: Path) -> None:
    """A command started while another one's change is under way says whom it waits for, and
    waits, however long that takes (here the other is frozen); then it reads the whole change
    and makes its own."""
    site = crowd.site(tmp_path / "site")
    waiting = tmp_path / "waiting.txt"
    new_entry = ["new", "entity", "topics", "cyber-theft", "--name-de", "Cyberdiebstahl",
                 "--name-en", "Cyber theft", "--settings", "settings.py"]  # fmt: skip
    with started(site, "rename", OLD, NEW, "--apply") as process:
        assert journal_appears(site, process, ANY)
        os.kill(process.pid, signal.SIGSTOP)  # holding the lock, half-way through its staging
        with waiting.open("w") as err:
            other = subprocess.Popen([str(DOSSIER), *new_entry], cwd=site.root, stderr=err)
            try:
                said = f"process {process.pid}: {CHANGE}"
                assert wait_for(other, lambda: said in waiting.read_text())
                assert other.poll() is None  # it waits: it neither reads nor writes meanwhile
                assert not (site.content / "entities/topics/cyber-theft.yaml").exists()
                os.kill(process.pid, signal.SIGCONT)
                assert process.wait() == 0
                assert other.wait() == 0, waiting.read_text()
            finally:
                other.kill()
                other.wait()
    assert waiting.read_text().splitlines()[0] == (
        f"Waiting for another dossier command to finish changing the content (process "
        f"{process.pid}: {CHANGE}); Ctrl-C stops only this one."
    )
    made, expected = tree(site.root), dict(crowd.after)
    assert made.pop("content/entities/topics/cyber-theft.yaml")
    del made["frontmatter.json"], expected["frontmatter.json"]  # which now offers cyber-theft
    assert "cyber-theft" in (site.root / "frontmatter.json").read_text()
    assert made == expected
    assert run(site, "check").returncode == 0


def test_a_command_that_finds_a_change_planned_but_not_begun_is_refused(
    crowd: Crowd, tmp_path: Path
) -> None:
    """Two changes at once, the second reaching its writing while the first holds the lock:
    the second is refused before it writes anything, and says why."""
    site = crowd.site(tmp_path / "site")
    with started(site, "rename", OLD, NEW, "--apply") as process:
        assert journal_appears(site, process, ANY)
        os.kill(process.pid, signal.SIGSTOP)
        journal = (site.root / JOURNAL).read_bytes()
        (site.root / JOURNAL).rename(tmp_path / "journal")  # as if the first had not written it
        other = run(site, "new", "entity", "topics", "cyber-theft", "--name-de", "Cyberdiebstahl",
                    "--name-en", "Cyber theft")  # fmt: skip
        (site.root / JOURNAL).write_bytes(journal)
        os.kill(process.pid, signal.SIGCONT)
        assert process.wait() == 0
    assert other.returncode == 1, other.stderr
    assert other.stderr.strip() == (
        f"Nothing was written: another dossier command is changing the content (process "
        f"{process.pid}: {CHANGE}); run this one again when it has finished."
    )
    assert tree(site.root) == crowd.after


@pytest.mark.parametrize("when", [journal_appears, first_rename], ids=["staging", "renaming"])
def test_a_file_saved_while_the_rename_writes_is_kept_and_the_rename_undone(
    when: Trigger, crowd: Crowd, tmp_path: Path
) -> None:
    """An editor saves a file the rename is about to rewrite: the rename stops, undoes what
    it did, and the editor's save stays."""
    site = crowd.site(tmp_path / "site")
    saved = site.content / f"articles/2024/report-{ARTICLES - 1}.en.md"
    with started(site, "rename", OLD, NEW, "--apply") as process:
        assert when(site, process, ANY)
        os.kill(process.pid, signal.SIGSTOP)
        saved.write_text(saved.read_text().replace("Text of", "Edited text of"))
        os.kill(process.pid, signal.SIGCONT)
        assert process.wait() == 1
    _, err = output(site)
    assert err.strip().splitlines()[-1] == (
        f"Nothing was written: content/articles/2024/report-{ARTICLES - 1}.en.md changed while "
        f"the {CHANGE} was being prepared; run the command again."
    )
    expected = dict(crowd.before)
    expected[saved.relative_to(site.root).as_posix()] = hashlib.sha256(
        saved.read_bytes()
    ).hexdigest()
    assert tree(site.root) == expected
    assert "Edited text of" in saved.read_text()


# --- a journal that cannot be trusted -----------------------------------------------------------


def test_a_damaged_journal_stops_every_command_and_the_build(crowd: Crowd, tmp_path: Path) -> None:
    site = crowd.site(tmp_path / "site")
    with started(site, "rename", OLD, NEW, "--apply") as process:
        assert first_rename(site, process, ANY)
        process.kill()
    journal = site.root / JOURNAL
    journal.write_bytes(journal.read_bytes()[: len(journal.read_bytes()) // 2])
    left = tree(site.root)
    for args in (["check"], ["check", "content/articles"], ["rename", NEW, "x", "--apply"],
                 ["refs", OLD], ["editor-config", "--check"]):  # fmt: skip
        result = run(site, *args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert result.stderr.startswith(f"error: {JOURNAL} is damaged (its checksum is missing: ")
        assert "Traceback" not in result.stderr
    built = run(site, "build")
    assert built.returncode == 1
    assert f"error: {JOURNAL} is damaged" in built.stderr
    assert "Nothing was published." in built.stderr
    assert not (site.root / "output").exists()
    lock = "content/.dossier-lock"  # the killed command's; the next one to lock removes it
    assert {k: v for k, v in tree(site.root).items() if k != lock} == {
        k: v for k, v in left.items() if k != lock
    }


def test_recovery_keeps_json_output_parseable(crowd: Crowd, tmp_path: Path) -> None:
    site = crowd.site(tmp_path / "site")
    with started(site, "rename", OLD, NEW, "--apply") as process:
        assert first_rename(site, process, ANY)
        process.kill()
    result = run(site, "check", "--format", "json")
    assert json.loads(result.stdout)["diagnostics"] == []
    assert result.stderr.startswith(f"Recovered an interrupted {CHANGE}: it was completed (")
