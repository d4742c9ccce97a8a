"""Every command, given what a hurried or confused editor types: a broken or misplaced settings
file, ids and slugs that are paths or patterns, a field given twice, arguments that are not
UTF-8, an editor form that is not the one Dossier wrote. Each must end in one message that says
what is wrong, where, and what to do, with the documented exit status, and leave every file as
it was."""

from __future__ import annotations

import hashlib
from contextlib import chdir
from pathlib import Path

import pytest
from click.testing import CliRunner
from dossier.cli import main

from ..conftest import REPO, Result, Site, make_site

EPOCH = "1790000000"  # 2026-09-21, as in test_editor_tools


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return make_site(tmp_path / "site", REPO / "content")


def run_with(site: Site, settings: str, *args: str) -> Result:
    """``dossier ARGS --settings SETTINGS`` in the site's folder."""
    with chdir(site.root):
        result = CliRunner().invoke(main, [*args, "--settings", settings], catch_exceptions=False)
    return Result(result.exit_code, result.output)


def tree(root: Path) -> dict[str, str]:
    """Every file below ``root`` (symbolic links as their target), by its hash."""
    found = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[key] = f"-> {path.readlink()}"
        elif path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            found[key] = "folder"
    return found


def error_line(output: str) -> str:
    """The line click prints for wrong usage, without its 'Error: ' prefix."""
    return next(line for line in output.splitlines() if line.startswith("Error: "))[7:]


# --- the settings file ------------------------------------------------------------------------

SETTINGS_FILES = {
    "syntax.py": (
        "X = 1\nPATH = \n",
        "syntax.py:2: invalid syntax; this settings file is not valid Python",
    ),
    "raises.py": (
        "X = 1\nraise RuntimeError('no such host')\n",
        (
            "raises.py:2: reading the settings file raised RuntimeError: no such host; fix "
            "the file, or name another"
        ),
    ),
    "exits.py": (
        "import sys\nsys.exit(3)\n",
        "exits.py:2: the settings file exits (status 3) instead of setting values",
    ),
    "missing-import.py": (
        "from nowhere_settings import *\n",
        (
            "missing-import.py:1: reading the settings file raised ModuleNotFoundError: No module "
            "named 'nowhere_settings'; fix the file, or name another"
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(SETTINGS_FILES))
@pytest.mark.parametrize(
    "command",
    [
        ("check",),
        ("build",),
        ("refs", "kim-jong-un"),
        ("new", "article", "--lang", "en", "--title", "A title"),
        ("editor-config",),
    ],
)
def test_a_settings_file_that_cannot_be_read_is_one_located_line(
    sample: Site, name: str, command: tuple[str, ...]
) -> None:
    text, message = SETTINGS_FILES[name]
    (sample.root / name).write_text(text, encoding="utf-8")
    before = tree(sample.root)
    result = run_with(sample, name, *command)
    assert result.exit_code == 2, result.output
    assert error_line(result.output) == f"Invalid value for --settings: {message}"
    assert "Traceback" not in result.output
    assert tree(sample.root) == before


def test_a_relative_path_is_taken_from_the_settings_files_folder_and_says_so(
    sample: Site,
) -> None:
    """The settings file moved into another folder: PATH = "content" names a folder there."""
    elsewhere = sample.root / "config"
    elsewhere.mkdir()
    (elsewhere / "settings.py").write_text(
        (sample.root / "settings.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = run_with(sample, "config/settings.py", "check")
    assert result.exit_code == 2
    assert error_line(result.output) == (
        f"Invalid value for --settings: config/settings.py: PATH: {elsewhere / 'content'} is "
        f"not a folder; a relative PATH is taken from the settings file's folder, {elsewhere}"
    )
