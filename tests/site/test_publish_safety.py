"""No build can destroy content, and nothing unsafe is ever published.

1. An output folder that would delete what the build reads (the content, the project, the
   theme, the schemas, the cache), a Git repository or files no build published is refused
   (exit status 2) before anything is made or removed, by `dossier build` and by a plain
   `pelican` run alike.
2. Faults of the machine (a full disk, a read-only folder, an output that is a mount point)
   end in one line that says what to do, with the published site as it was and no staging
   folder left; a mount point is published into, entry by entry, and a build killed while
   doing so is finished by the next.
3. Two builds at once into one folder: the second is told, and waits for nothing.

Each case is one attack on the publish path; the pure decisions are in
tests/core/test_publish_target.py, damaged caches in tests/site/test_caches.py."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from dossier.publish.reuse import manifest_path
from dossier.publish.target import MARKER, MARKER_BYTES
from dossier.publish.transaction import recover

from ..conftest import REPO, Site, make_site
from ..support.mounts import bound, needs_root, read_only, tmpfs, used
from ..support.pagefind import UNSTABLE, facets, fragments

DOSSIER = Path(sys.executable).with_name("dossier")
PELICAN = Path(sys.executable).with_name("pelican")
STAGING = ".dossier-build-"
PAGEFIND = re.compile(r"pagefind/.*")


def tree(folder: Path, leave: re.Pattern[str] = UNSTABLE) -> dict[str, bytes]:
    """Every file's bytes, but those ``leave`` matches (by default those Pagefind writes in
    another order each time)."""
    return {
        name: p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not leave.fullmatch(name := p.relative_to(folder).as_posix())
    }


def snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry below ``root`` (links not followed): its type, size and modification time."""
    found = {}
    for path in sorted(root.rglob("*")):
        stat = path.lstat()
        found[path.relative_to(root).as_posix()] = (stat.st_mode, stat.st_size, stat.st_mtime_ns)
    return found


def bulk_article(number: int) -> str:
    return (
        f"---\ntitle: Bulk article {number}\nslug: bulk-{number}\nlang: en\n"
        "date: 2023-10-01T12:00:00+02:00\nauthors: [anna-berger]\n"
        f"summary: Article number {number} of many.\nactors: [kim-jong-un]\n---\n"
        f"Text of article {number}. " * 40 + "\n"
    )


def run(site: Site, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The installed command, in its own process: its streams apart, its exit status as is."""
    return subprocess.run(
        [str(DOSSIER), *args, "--settings", "settings.py"],
        cwd=site.root,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def clean_build(site: Site, folder: Path) -> Path:
    """The site the same content makes, built from nothing into a plain folder below ``folder``."""
    fresh = make_site(folder, site.content)
    shutil.rmtree(fresh.content)
    shutil.copytree(site.content, fresh.content)
    result = fresh.build()
    assert result.exit_code == 0, result.output
    return fresh.output


def same_site(output: Path, clean: Path) -> None:
    """The same files with the same bytes, and a search index that finds the same. Pagefind
    numbers the pages in the order the file system lists them, which differs between a tmpfs
    and a disk, and names its index files by what they hold: its files are compared for what
    they find."""
    assert tree(output, PAGEFIND) == tree(clean, PAGEFIND)
    assert fragments(output) == fragments(clean)
    assert facets(output) == facets(clean)


def no_staging(*folders: Path) -> None:
    for folder in folders:
        assert [p.name for p in folder.iterdir() if p.name.startswith(STAGING)] == []


# --- 1. outputs that cannot eat inputs -----------------------------------------------------------

Setup = Callable[[Site], None]


def nothing(site: Site) -> None:
    pass


def link(name: str, to: str) -> Setup:
    def make(site: Site) -> None:
        (site.root / name).symlink_to(site.root / to)

    return make


def folder_with(*names: str) -> Setup:
    def make(site: Site) -> None:
        for name in names:
            path = site.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if name.endswith("/"):
                path.mkdir(exist_ok=True)
            else:
                path.write_text("kept\n", encoding="utf-8")

    return make


def loop(site: Site) -> None:
    (site.root / "a").symlink_to(site.root / "b")
    (site.root / "b").symlink_to(site.root / "a")


def published(site: Site) -> None:
    assert site.build().exit_code == 0


def own_theme_and_schemas(site: Site) -> None:
    """Copies of the theme and schemas, for the site's settings to name: a test that refuses
    them must never risk the repository's own."""
    shutil.copytree(REPO / "theme", site.root / "theme")
    shutil.copytree(REPO / "schema", site.root / "schema")
    settings = site.root / "settings.py"
    settings.write_text(
        settings.read_text("utf-8") + 'THEME = "theme"\nDOSSIER_SCHEMA_PATH = "schema"\n', "utf-8"
    )


# (what --output says, what is made first, what the refusal says after "<output>: ")
REFUSED = [
    ("content", nothing, "that is the content folder; choose a folder of its own, such as output"),
    (".", nothing, "that is the project folder; choose a folder of its own, such as output"),
    ("output/..", nothing, "that is the project folder; "),
    ("..", nothing, "it holds the project folder (.), which publishing would delete; "),
    ("/", nothing, "it holds the project folder (.), which publishing would delete; "),
    ("cache", published, "that is the cache folder; "),
    ("cache/site", nothing, "it lies inside the cache folder (cache); "),
    ("content/articles", nothing, "it lies inside the content folder (content); "),
    ("content/site", nothing, "it lies inside the content folder (content); "),
    ("theme", own_theme_and_schemas, "that is the theme; "),
    ("theme/static/site", own_theme_and_schemas, "it lies inside the theme (theme); "),
    ("schema", own_theme_and_schemas, "that is the schemas folder; "),
    ("schema/site", own_theme_and_schemas, "it lies inside the schemas folder (schema); "),
    ("to-content", link("to-content", "content"), "that is the content folder; "),
    ("to-project", link("to-project", "."), "that is the project folder; "),
    ("to-content/site", link("to-content", "content"), "it lies inside the content folder "),
    ("a/site", loop, "its path cannot be resolved"),
    (".git/site", folder_with(".git/HEAD"), "it lies inside a Git repository's own folder (.git)"),
    ("repo", folder_with("repo/.git/", "repo/README"), "it holds a Git repository (.git), "),
    ("notes", folder_with("notes/todo.txt"), "it holds files that no Dossier build published "),
    (".dossier-build-1-x", nothing, "names beginning with .dossier-build- are the build's "),
    ("/dev/null", nothing, "that is a file, not a folder; "),
    ("output/preview", published, "it lies inside the site published at output, which the next "),
]


@pytest.mark.parametrize(("output", "setup", "reason"), REFUSED, ids=[case[0] for case in REFUSED])
def test_an_output_that_would_delete_what_must_stay_is_refused(
    fixture_site: Site, tmp_path: Path, output: str, setup: Setup, reason: str
) -> None:
    setup(fixture_site)
    before = snapshot(tmp_path)
    around = sorted(Path("/").iterdir())

    result = fixture_site.run("build", "--output", output)

    assert result.exit_code == 2, result.output
    assert f"Error: Invalid value for --output: {output}: {reason}" in result.output
    assert snapshot(tmp_path) == before  # nothing made, nothing removed, not even a cache
    assert sorted(Path("/").iterdir()) == around


def test_the_users_home_is_refused(fixture_site: Site, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / ".bashrc").write_text("# mine\n", encoding="utf-8")
    before = snapshot(tmp_path)
    done = run(fixture_site, "build", "--output", str(home), env=os.environ | {"HOME": str(home)})
    assert done.returncode == 2
    assert f"Invalid value for --output: {home}: it holds files that no Dossier build" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("setting", "shown", "reason"),
    [
        ('""', ".", "that is the project folder; "),
        ('"content"', "content", "that is the content folder; "),
        ('"settings.py"', "settings.py", "that is a file, not a folder; "),
        ('"."', ".", "that is the project folder; "),
    ],
)
def test_the_setting_output_path_is_checked_the_same(
    fixture_site: Site, tmp_path: Path, setting: str, shown: str, reason: str
) -> None:
    settings = fixture_site.root / "settings.py"
    settings.write_text(settings.read_text("utf-8") + f"OUTPUT_PATH = {setting}\n", "utf-8")
    before = snapshot(tmp_path)
    result = fixture_site.build()
    assert result.exit_code == 2, result.output
    assert f"Error: Invalid value for OUTPUT_PATH: {shown}: {reason}" in result.output
    assert snapshot(tmp_path) == before


def test_a_file_given_as_output_is_refused_by_the_option_itself(fixture_site: Site) -> None:
    result = fixture_site.run("build", "--output", "settings.py")
    assert result.exit_code == 2
    assert "'settings.py' is a file" in result.output


def test_an_output_path_of_no_text_is_a_settings_problem_not_a_traceback(
    fixture_site: Site,
) -> None:
    settings = fixture_site.root / "settings.py"
    settings.write_text(settings.read_text("utf-8") + "OUTPUT_PATH = None\n", "utf-8")
    done = run(fixture_site, "build")
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == "settings:1:1: OUTPUT_PATH: must be text, not None"
    assert done.stderr == "Nothing was published.\n"


def test_a_plain_pelican_run_refuses_the_content_folder_too(fixture_site: Site) -> None:
    before = snapshot(fixture_site.root)
    done = subprocess.run(
        [str(PELICAN), "-s", "settings.py", "-o", "content"],
        cwd=fixture_site.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    said = " ".join((done.stdout + done.stderr).split())
    assert "that is the content folder; choose a folder of its own, such as output" in said
    assert snapshot(fixture_site.root) == before


def test_a_plain_pelican_run_publishes_and_marks_the_site(fixture_site: Site) -> None:
    done = subprocess.run(
        [str(PELICAN), "-s", "settings.py"],
        cwd=fixture_site.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (fixture_site.output / MARKER).read_bytes() == MARKER_BYTES


def test_every_build_marks_the_site_with_the_same_bytes(fixture_site: Site) -> None:
    assert fixture_site.build().exit_code == 0
    assert (fixture_site.output / MARKER).read_bytes() == MARKER_BYTES
    assert fixture_site.build().exit_code == 0
    assert (fixture_site.output / MARKER).read_bytes() == MARKER_BYTES
    assert sorted(p.name for p in fixture_site.root.iterdir()) == [
        "cache",
        "content",
        "output",
        "settings.py",
    ]


def test_an_empty_folder_is_published_into(fixture_site: Site) -> None:
    (fixture_site.root / "output").mkdir()
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    assert (fixture_site.output / "index.html").is_file()


def test_a_site_published_before_the_marker_is_known_by_the_cache(fixture_site: Site) -> None:
    """A folder published by a build that wrote no marker: the cache's manifest names it, so
    it is still Dossier's to replace; without the manifest, nothing says so, and it is kept."""
    assert fixture_site.build().exit_code == 0
    (fixture_site.output / MARKER).unlink()
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    assert (fixture_site.output / MARKER).is_file()

    (fixture_site.output / MARKER).unlink()
    fixture_site.settled()
    shutil.rmtree(fixture_site.root / "cache")
    before = snapshot(fixture_site.root)
    result = fixture_site.build()
    assert result.exit_code == 2
    assert "output: it holds files that no Dossier build published" in result.output
    assert snapshot(fixture_site.root) == before


def test_a_link_to_a_folder_of_its_own_is_published_through(
    fixture_site: Site, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "www"
    (fixture_site.root / "public").symlink_to(elsewhere)
    for _ in range(2):
        result = fixture_site.run("build", "--output", "public")
        assert result.exit_code == 0, result.output
    assert (fixture_site.root / "public").is_symlink()
    assert (elsewhere / MARKER).is_file()
    no_staging(tmp_path)


# --- 2. faults of the machine --------------------------------------------------------------------


def last_line(done: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    assert "Aborted" not in done.stderr
    return done.stderr.splitlines()[-1]


@needs_root
def test_a_full_disk_ends_in_one_line_and_keeps_the_site(
    fixture_site: Site, tmp_path: Path
) -> None:
    """The output's disk fills up halfway through the second build's writing."""
    assert fixture_site.build().exit_code == 0
    size = used(fixture_site.output)
    disk = tmp_path / "disk"
    with tmpfs(disk, size * 3 // 2 + 512 * 1024):
        output = disk / "site"
        done = run(fixture_site, "build", "--output", str(output))
        assert done.returncode == 0, done.stdout + done.stderr
        before = tree(output)
        for number in range(1, 301):
            fixture_site.write(f"articles/2023/bulk-{number}.en.md", bulk_article(number))

        done = run(fixture_site, "build", "--output", str(output))

        assert done.returncode == 1
        assert last_line(done) == (
            f"No space left on the disk of {output}: free some space, then build again. "
            f"Nothing was published; {output} is unchanged."
        )
        assert tree(output) == before
        assert sorted(p.name for p in disk.iterdir()) == ["site"]


@needs_root
def test_a_read_only_parent_ends_in_one_line_and_keeps_the_site(
    fixture_site: Site, tmp_path: Path
) -> None:
    parent = tmp_path / "www"
    output = parent / "site"
    assert run(fixture_site, "build", "--output", str(output)).returncode == 0
    before = tree(output)
    fixture_site.write("articles/2023/bulk-1.en.md", bulk_article(1))
    with read_only(parent):
        done = run(fixture_site, "build", "--output", str(output))
    assert done.returncode == 1
    assert last_line(done) == (
        f"{output} is on a read-only file system: make it writable, or publish to another "
        f"folder (--output or OUTPUT_PATH). Nothing was published; {output} is unchanged."
    )
    assert tree(output) == before
    assert sorted(p.name for p in parent.iterdir()) == ["site"]


@needs_root
def test_a_mount_point_is_published_into_entry_by_entry(fixture_site: Site, tmp_path: Path) -> None:
    """A container's volume as the output: it cannot be swapped, so its contents are."""
    volume = tmp_path / "volume"
    with tmpfs(volume, 64 * 1024 * 1024):
        (volume / "lost+found").mkdir()  # what a new file system may hold: not ours, kept
        for edit in range(2):
            fixture_site.write(f"articles/2023/bulk-{edit}.en.md", bulk_article(edit))
            done = run(fixture_site, "build", "--output", str(volume))
            assert done.returncode == 0, done.stdout + done.stderr
            assert done.stdout.splitlines()[-1] == f"Published to {volume}."
            assert os.path.ismount(volume)
            assert sorted(p.name for p in volume.iterdir() if p.name.startswith(".")) == [MARKER]
            assert (volume / "lost+found").is_dir()
            same_site(volume, clean_build(fixture_site, tmp_path / f"clean-{edit}"))
        beside = sorted(p.name for p in tmp_path.iterdir())
        assert beside == ["clean-0", "clean-1", "site", "volume"]


KILL_MID_MOVE = """
import os, signal, sys
from pathlib import Path
from dossier import cli
from dossier.publish import transaction

limit, moving, renames = int(sys.argv[1]), [False], [0]
real_rename, real_move_in = Path.rename, transaction._move_in

def rename(self, to):
    if moving[0]:
        if renames[0] == limit:
            os.kill(os.getpid(), signal.SIGKILL)
        renames[0] += 1
    return real_rename(self, to)

def move_in(ready, target):
    moving[0] = True
    return real_move_in(ready, target)

Path.rename, transaction._move_in = rename, move_in
sys.argv = ["dossier", *sys.argv[2:]]
cli.main()
"""


@needs_root
@pytest.mark.parametrize("renames", [0, 3])
def test_a_build_killed_while_moving_into_a_mount_point_is_finished_by_the_next(
    fixture_site: Site, tmp_path: Path, renames: int
) -> None:
    volume = tmp_path / "volume"
    with tmpfs(volume, 64 * 1024 * 1024):
        assert run(fixture_site, "build", "--output", str(volume)).returncode == 0
        fixture_site.write("articles/2023/bulk-1.en.md", bulk_article(1))
        killed = subprocess.run(
            [sys.executable, "-c", KILL_MID_MOVE, str(renames), "build", "--output",
             str(volume), "--settings", "settings.py"],
            cwd=fixture_site.root, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert killed.returncode == -9, killed.stderr
        left = sorted(p.name for p in volume.iterdir() if p.name.startswith(STAGING))
        assert [name.rsplit("-", 1)[1] for name in left] == ["new", "old"]
        assert (volume / MARKER).is_file()  # still known as Dossier's: the next build may go on

        recover(volume)  # what every build does first
        same_site(volume, clean_build(fixture_site, tmp_path / "clean"))
        assert [p.name for p in volume.iterdir() if p.name.startswith(".")] == [MARKER]

        fixture_site.write("articles/2023/bulk-2.en.md", bulk_article(2))
        assert run(fixture_site, "build", "--output", str(volume)).returncode == 0
        same_site(volume, clean_build(fixture_site, tmp_path / "clean-2"))


@needs_root
def test_a_mount_point_the_swap_runs_into_is_published_into(
    fixture_site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mount point not seen beforehand (here: told so) makes the swap fail with EBUSY; the
    site is then moved in entry by entry all the same."""
    from dossier.publish import transaction

    output = tmp_path / "mounted"
    output.mkdir()
    with bound(output):
        monkeypatch.setattr(transaction, "is_mount", lambda path: False)
        for edit in range(2):
            fixture_site.write(f"articles/2023/bulk-{edit}.en.md", bulk_article(edit))
            result = fixture_site.run("build", "--output", str(output))
            assert result.exit_code == 0, result.output
            same_site(output, clean_build(fixture_site, tmp_path / f"clean-{edit}"))
            assert [p.name for p in output.iterdir() if p.name.startswith(".")] == [MARKER]
            no_staging(tmp_path)


# --- 3. two builds at once -----------------------------------------------------------------------


def test_a_second_build_into_the_same_folder_is_told_to_wait(fixture_site: Site) -> None:
    assert fixture_site.build().exit_code == 0
    before = tree(fixture_site.output)
    lock = manifest_path(fixture_site.root / "cache", fixture_site.output.resolve())
    with lock.with_suffix(".lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("4242")
        held.flush()
        fixture_site.write("articles/2023/bulk-1.en.md", bulk_article(1))
        result = fixture_site.build()
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Another build (process 4242) is publishing to {fixture_site.output}; build again when "
        "it has finished. Nothing was published by this one."
    )
    assert tree(fixture_site.output) == before
    no_staging(fixture_site.root)
    assert fixture_site.build().exit_code == 0  # the lock is the system's: gone with its holder


def test_two_builds_started_together_publish_one_whole_site(
    fixture_site: Site, tmp_path: Path
) -> None:
    for number in range(1, 201):
        fixture_site.write(f"articles/2023/bulk-{number}.en.md", bulk_article(number))
    command = [str(DOSSIER), "build", "--settings", "settings.py"]
    first, second = (
        subprocess.Popen(command, cwd=fixture_site.root, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    )  # fmt: skip
    outcomes = []
    for process in (first, second):
        out, err = process.communicate(timeout=300)
        outcomes.append((process.returncode, out, err))
    assert any(code == 0 for code, _, _ in outcomes), outcomes
    for code, _, err in outcomes:
        assert "Traceback" not in err
        if code != 0:
            assert err.splitlines()[-1].startswith("Another build (process ")
    assert tree(fixture_site.output) == tree(clean_build(fixture_site, tmp_path / "clean"))
    no_staging(fixture_site.root)
