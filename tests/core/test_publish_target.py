"""Which folders a build may publish into (publish.target), decided from paths and what lies at
them, and the moves that publish into a mount point and finish an interrupted one
(publish.transaction). Real builds against the same: tests/site/test_publish_safety.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from dossier.publish.reuse import manifest_path
from dossier.publish.target import (
    MARKER,
    MARKER_BYTES,
    Found,
    Inputs,
    UnsafeOutputError,
    check_output,
    refusal,
)
from dossier.publish.transaction import _list_entries, _move_in, recover

PROJECT = Path("/news")
INPUTS = Inputs(
    project=PROJECT,
    content=PROJECT / "content",
    theme=PROJECT / "theme",
    schemas=PROJECT / "schema",
    cache=PROJECT / "cache",
    reading=(PROJECT / "content" / "articles", PROJECT / "content" / "entities"),
)
NEW = Found("missing")


def refused(output: str, found: Found = NEW, inputs: Inputs = INPUTS) -> str | None:
    return refusal(Path(output), found, inputs, PROJECT)


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        ("/news/content", "that is the content folder; choose a folder of its own, such as output"),
        ("/news", "that is the project folder; choose a folder of its own, such as output"),
        ("/news/theme", "that is the theme; "),
        ("/news/schema", "that is the schemas folder; "),
        ("/news/cache", "that is the cache folder; "),
        ("/", "it holds the project folder (.), which publishing would delete; "),
        ("/news/content/articles", "it lies inside the content folder (content); "),
        ("/news/content/images/site", "it lies inside the content folder (content); "),
        ("/news/theme/static/x", "it lies inside the theme (theme); "),
        ("/news/cache/site", "it lies inside the cache folder (cache); "),
        ("/news/.git/site", "it lies inside a Git repository's own folder (.git); "),
        ("/news/.dossier-build-1-x", "names beginning with .dossier-build- are the build's "),
    ],
)
def test_folders_the_build_reads_are_refused(output: str, reason: str) -> None:
    said = refused(output)
    assert said is not None
    assert said.startswith(reason)


def test_a_folder_holding_the_cache_elsewhere_is_refused() -> None:
    inputs = Inputs(
        project=PROJECT,
        content=PROJECT / "content",
        theme=Path("/srv/theme"),
        schemas=Path("/srv/schema"),
        cache=Path("/var/cache/news"),
    )
    assert refused("/var", inputs=inputs) == (
        "it holds the cache folder (/var/cache/news), which publishing would delete; choose a "
        "folder of its own, such as output"
    )


@pytest.mark.parametrize("output", ["/news/output", "/news/public/site", "/srv/www/news"])
def test_a_new_folder_outside_what_is_read_is_accepted(output: str) -> None:
    assert refused(output) is None


def test_content_at_the_project_root_keeps_its_reading_folders_apart() -> None:
    """PATH = "." makes the project the content folder: output/ must still be possible, but
    not a folder articles or registry entries are read from."""
    inputs = Inputs(
        project=PROJECT,
        content=PROJECT,
        theme=PROJECT / "theme",
        schemas=PROJECT / "schema",
        cache=PROJECT / "cache",
        reading=(PROJECT / "articles", PROJECT / "entities"),
    )
    assert refused("/news/output", inputs=inputs) is None
    said = refused("/news/articles/site", inputs=inputs)
    assert said is not None
    assert said.startswith("it lies inside a folder the content is read from (articles)")


def test_existing_folders_need_to_be_empty_or_published_by_dossier() -> None:
    assert refused("/news/output", Found("folder")) is None
    assert refused("/news/output", Found("folder", frozenset({MARKER, "index.html"}))) is None
    legacy = Found("folder", frozenset({"index.html"}), published=True)
    assert refused("/news/output", legacy) is None
    # Staging folders of other builds are not the user's files.
    assert refused("/news/output", Found("folder", frozenset({".dossier-build-7-x"}))) is None
    said = refused("/news/output", Found("folder", frozenset({"notes.txt"})))
    assert said == (
        "it holds files that no Dossier build published (there is no .dossier-site in it), "
        "which publishing would delete; choose a folder of its own, such as output, or empty "
        "this one yourself if none of it is needed"
    )


def test_a_new_file_system_may_hold_lost_and_found() -> None:
    assert refused("/mnt/site", Found("folder", frozenset({"lost+found"}), mount=True)) is None
    assert refused("/mnt/site", Found("folder", frozenset({"lost+found"}))) is not None


def test_a_repository_and_a_file_are_refused_even_when_marked() -> None:
    marked_repo = Found("folder", frozenset({MARKER, ".git"}))
    assert refused("/news/output", marked_repo) == (
        "it holds a Git repository (.git), which publishing would delete; choose a folder of "
        "its own, such as output"
    )
    assert refused("/news/output", Found("file")) == (
        "that is a file, not a folder; choose a folder of its own, such as output"
    )


def test_a_folder_inside_a_published_site_is_refused() -> None:
    inside = Found("missing", site=PROJECT / "output")
    assert refused("/news/output/preview", inside) == (
        "it lies inside the site published at output, which the next build there replaces "
        "whole; choose a folder of its own, such as output"
    )


def test_the_suggestion_avoids_a_folder_that_is_read() -> None:
    inputs = Inputs(
        project=PROJECT,
        content=PROJECT / "output",
        theme=PROJECT / "theme",
        schemas=PROJECT / "schema",
        cache=PROJECT / "cache",
    )
    said = refused("/news/output", inputs=inputs)
    assert said == "that is the content folder; choose a folder of its own, such as site"


# --- looking at real folders ---------------------------------------------------------------------


def inputs_in(root: Path) -> Inputs:
    for name in ("content", "theme", "schema", "cache"):
        (root / name).mkdir(parents=True, exist_ok=True)
    return Inputs(
        project=root,
        content=root / "content",
        theme=root / "theme",
        schemas=root / "schema",
        cache=root / "cache",
    )


def test_symbolic_links_are_resolved_before_comparing(tmp_path: Path) -> None:
    inputs = inputs_in(tmp_path)
    (tmp_path / "to-content").symlink_to(tmp_path / "content")
    with pytest.raises(UnsafeOutputError) as refusal_:
        check_output(tmp_path / "to-content", inputs, tmp_path)
    assert refusal_.value.reason.startswith("that is the content folder")
    assert str(refusal_.value.folder) == str(tmp_path / "to-content")


def test_a_loop_of_links_is_refused(tmp_path: Path) -> None:
    inputs = inputs_in(tmp_path)
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(UnsafeOutputError) as refusal_:
        check_output(tmp_path / "a" / "site", inputs, tmp_path)
    assert refusal_.value.reason.startswith("its path cannot be resolved")


def test_a_folder_published_before_the_marker_is_known_by_the_manifest(tmp_path: Path) -> None:
    inputs = inputs_in(tmp_path)
    output = tmp_path / "output"
    (output / "en").mkdir(parents=True)
    page = output / "en" / "index.html"
    page.write_text("<p>old</p>", encoding="utf-8")
    with pytest.raises(UnsafeOutputError):
        check_output(output, inputs, tmp_path)
    stat = page.stat()
    files = {"en/index.html": ["f", stat.st_size, stat.st_mtime_ns, ""]}
    manifest = manifest_path(inputs.cache, output.resolve())
    manifest.write_text(json.dumps({"version": "v", "files": files}), encoding="utf-8")
    assert check_output(output, inputs, tmp_path) == output.resolve()
    page.write_text("<p>changed by hand, so no longer what the manifest names</p>", "utf-8")
    with pytest.raises(UnsafeOutputError):
        check_output(output, inputs, tmp_path)


# --- publishing into a mount point, entry by entry -----------------------------------------------


def files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def old_site(target: Path) -> None:
    (target / "en").mkdir(parents=True)
    (target / "en" / "index.html").write_text("old en", encoding="utf-8")
    (target / "gone.html").write_text("old only", encoding="utf-8")
    (target / MARKER).write_bytes(MARKER_BYTES)
    (target / "lost+found").mkdir()


def new_site(ready: Path) -> None:
    (ready / "en").mkdir(parents=True)
    (ready / "en" / "index.html").write_text("new en", encoding="utf-8")
    (ready / "de.html").write_text("new de", encoding="utf-8")
    (ready / MARKER).write_bytes(MARKER_BYTES)
    _list_entries(ready)


EXPECTED = {"de.html": "new de", "en/index.html": "new en", MARKER: MARKER_BYTES.decode()}


def dead_pid() -> int:
    """The id of a process that has ended."""
    code = "import os; print(os.getpid())"
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return int(done.stdout)


def test_moving_in_replaces_every_entry_and_keeps_lost_and_found(tmp_path: Path) -> None:
    target = tmp_path / "mnt"
    old_site(target)
    ready = target / ".dossier-build-1-new"
    new_site(ready)
    _move_in(ready, target)
    assert files(target) == EXPECTED
    assert sorted(p.name for p in target.iterdir()) == [MARKER, "de.html", "en", "lost+found"]


@pytest.mark.parametrize("moved", [0, 1, 2, 3])
def test_a_move_interrupted_anywhere_is_finished_by_the_next_build(
    tmp_path: Path, moved: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The move stops after ``moved`` renames (as a killed build would); ``recover``, which
    every build runs first, finishes it: the new site, whole, and nothing left over."""
    target = tmp_path / "mnt"
    old_site(target)
    ready = target / f".dossier-build-{dead_pid()}-new"
    new_site(ready)
    renames = 0
    real = Path.rename

    def rename(self: Path, to: Path) -> Path:
        nonlocal renames
        if renames == moved:
            raise KeyboardInterrupt
        renames += 1
        return real(self, to)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        _move_in(ready, target)
    monkeypatch.setattr(Path, "rename", real)
    assert (target / MARKER).is_file()  # the folder is still known as Dossier's
    recover(target)
    assert files(target) == EXPECTED
    assert sorted(p.name for p in target.iterdir()) == [MARKER, "de.html", "en", "lost+found"]


def test_a_site_moved_aside_by_an_unfinished_swap_is_put_back(tmp_path: Path) -> None:
    """Where the atomic exchange is missing, a swap is two renames; a build killed between
    them leaves no output, and the old site beside it: the next build puts it back."""
    target = tmp_path / "output"
    aside = tmp_path / f".dossier-build-{dead_pid()}-old"
    aside.mkdir()
    (aside / "index.html").write_text("old", encoding="utf-8")
    staging = tmp_path / f".dossier-build-{dead_pid()}-abcdefgh"
    staging.mkdir()
    recover(target)
    assert files(target) == {"index.html": "old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_the_folders_of_a_running_build_are_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "output"
    mine = tmp_path / f".dossier-build-{os.getpid()}-abcdefgh"
    mine.mkdir()
    recover(target)
    assert mine.is_dir()
