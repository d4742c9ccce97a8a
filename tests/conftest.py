"""Shared helpers: build real sites from fixture folders in temporary directories."""

from __future__ import annotations

import os
import shutil
import time
from contextlib import chdir
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner
from dossier.cli import main
from dossier.publish.transaction import RETIRED

# The helper modules the tests share: an assert in them explains a failure as the tests' own do.
pytest.register_assert_rewrite("tests.support")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The schema.org 30.0 vocabulary, context and shapes: the folder $SCHEMAORG names (`make test`
# passes the Makefile's, made absolute), else the one kept beside the checkout (../shared).
SCHEMAORG = Path(os.environ.get("SCHEMAORG") or REPO.parent / "shared" / "schemaorg")

SETTINGS = f"""\
import sys
sys.path.insert(0, {str(REPO)!r})
from pelicanconf import *  # the project's settings, with this site's folders
PATH = "content"
OUTPUT_PATH = "output"
THEME = {str(REPO / "theme")!r}
"""


@dataclass
class Result:
    exit_code: int
    output: str


@dataclass
class Site:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def settled(self, patience: float = 30) -> None:
        """Wait until the previous sites builds retired are removed: a process of their own
        removes them in the background (``publish.transaction.retire``)."""
        retired = self.root / "cache" / RETIRED
        deadline = time.monotonic() + patience
        while retired.is_dir() and any(retired.iterdir()):
            assert time.monotonic() < deadline, f"{retired} was not emptied"
            time.sleep(0.02)

    def run(self, *args: str) -> Result:
        """Run the real `dossier` command in this site's folder (paths print relative to it)."""
        runner = CliRunner()
        with chdir(self.root):
            result = runner.invoke(
                main, [*args, "--settings", "settings.py"], catch_exceptions=False
            )
        return Result(result.exit_code, result.output)

    def check(self) -> Result:
        return self.run("check")

    def build(self) -> Result:
        return self.run("build")

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def page(self, url: str) -> Path:
        """The file a site-relative URL is served from."""
        path = self.output / url.lstrip("/")
        return path / "index.html" if url.endswith("/") or url == "" else path


def catalogue(lang: str) -> dict[str, Any]:
    """The theme's UI strings in one language, read from its PO catalogue with Babel:
    {key: text}, and for a key with plural forms, {key: (one, other)}."""
    path = REPO / "theme" / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        return {
            (m.id[0] if isinstance(m.id, tuple) else m.id): m.string
            for m in read_po(po, locale=lang)
            if m.id
        }


def make_site(root: Path, content: Path, overlay: Path | None = None) -> Site:
    """A site folder: a copy of `content`, then `overlay` on top (a `X.delete` file removes X).

    The publisher's logo and default images named in the project's settings come along, as
    they would in a newsroom's own repository."""
    shutil.copytree(content, root / "content")
    shutil.copytree(REPO / "content" / "images", root / "content" / "images", dirs_exist_ok=True)
    if overlay is not None:
        apply_overlay(root, overlay)
    (root / "settings.py").write_text(SETTINGS, encoding="utf-8")
    return Site(root)


def apply_overlay(root: Path, overlay: Path) -> None:
    """Copy the overlay's files over the site folder; a file `X.delete` removes X."""
    for path in sorted(overlay.rglob("*")):
        if not path.is_file():
            continue
        target = root / path.relative_to(overlay)
        if path.name.endswith(".delete"):
            target.with_name(path.name.removesuffix(".delete")).unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


# Lines the tests leave for the end of the run: what the browser checks measured. pytest hides
# the output of passing tests, and a score is worth reading when it passes too.
SUMMARY = pytest.StashKey[list[str]]()


@pytest.fixture(scope="session")
def summary(request: pytest.FixtureRequest) -> list[str]:
    """Append a line to print in the run's terminal summary, passed or failed."""
    return request.config.stash.setdefault(SUMMARY, [])


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    lines = config.stash.get(SUMMARY, [])
    if lines:
        terminalreporter.section("measured in the browser")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def schemaorg() -> Path:
    """The vocabulary folder for the schema.org checks; missing, a failure that says what to set."""
    if not (SCHEMAORG / "schemaorg-current-https.jsonld").is_file():
        pytest.fail(
            f"SCHEMAORG={SCHEMAORG}: no schema.org vocabulary there. Set the environment variable "
            "SCHEMAORG to the folder holding schema.org 30.0 (schemaorg-current-https.jsonld, "
            "its context and SHACL shapes), or run `make test SCHEMAORG=…`.",
            pytrace=False,
        )
    return SCHEMAORG


@pytest.fixture
def fixture_site(tmp_path: Path) -> Site:
    """The small valid fixture site (tests/fixtures/site), ready to change and build."""
    return make_site(tmp_path / "site", FIXTURES / "site" / "content")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Site:
    """The project's own sample content, built once for the whole session."""
    site = make_site(tmp_path_factory.mktemp("sample") / "site", REPO / "content")
    result = site.build()
    assert result.exit_code == 0, result.output
    return site
