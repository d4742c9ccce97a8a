"""The GitHub Actions workflow (.github/workflows/site.yml), parsed and its content check run:
it builds and publishes main on a schedule too (so that scheduled stories go live), and its
check of a pull request is of the changed paths only when only content changed, and of all
content otherwise, or when the change cannot be listed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from ..conftest import REPO

WORKFLOW = yaml.safe_load((REPO / ".github/workflows/site.yml").read_text(encoding="utf-8"))


def test_main_is_built_and_published_on_a_schedule_as_after_a_push() -> None:
    triggers = WORKFLOW[True]  # YAML 1.1 reads the key `on` as true
    (schedule,) = triggers["schedule"]
    minute, hour, *rest = schedule["cron"].split()
    assert (hour, rest) == ("*", ["*", "*", "*"])  # every hour
    assert minute.isdigit()
    jobs = WORKFLOW["jobs"]
    assert "if" not in jobs["test"]  # a scheduled run is tested as a push is
    assert jobs["build"]["needs"] == "test"
    assert "github.event_name == 'schedule'" in jobs["deploy"]["if"]
    assert "refs/heads/main" in jobs["deploy"]["if"]


def check_step() -> str:
    (step,) = [s for s in WORKFLOW["jobs"]["check"]["steps"] if s.get("name") == "dossier check"]
    return step["run"]


def commit(repo: Path, *files: str) -> None:
    for name in files:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(name, encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "change"], cwd=repo, check=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose dossier prints the arguments it is run with."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    tool = tmp_path / ".venv/bin/dossier"
    tool.parent.mkdir(parents=True)
    tool.write_text('#!/bin/sh\necho "$@"\n', encoding="utf-8")
    tool.chmod(0o755)
    (tmp_path / ".gitignore").write_text(".venv/\n", encoding="utf-8")
    return tmp_path


def run_check(repo: Path, event: str) -> str:
    done = subprocess.run(
        ["bash", "-e", "-c", check_step()],
        check=False,
        cwd=repo,
        env={"EVENT": event, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_content_only_pull_request_checks_its_changed_paths(repo: Path) -> None:
    commit(repo, "content/articles/2023/a.en.md")
    commit(repo, "content/articles/2023/b.en.md", "content/entities/actors/x.yaml")
    assert run_check(repo, "pull_request") == (
        "check --format github content/articles/2023/b.en.md content/entities/actors/x.yaml"
    )


@pytest.mark.parametrize(
    ("changes", "event"),
    [
        ((("content/a.md",), ("content/b.md", "plugins/x.py")), "pull_request"),  # code too
        ((("content/a.md",),), "pull_request"),  # no parent: the change cannot be listed
        ((("content/a.md",), ("content/b.md",)), "push"),
    ],
    ids=["code", "no-parent", "push"],
)
def test_anything_else_checks_all_content(
    repo: Path, changes: tuple[tuple[str, ...], ...], event: str
) -> None:
    for files in changes:
        commit(repo, *files)
    assert run_check(repo, event) == "check --format github"
