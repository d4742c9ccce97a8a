"""The check spine's functions on a copy of the sample content: checking one path reads only
what it needs. The `check` command itself is driven in tests/site/test_editor_tools.py and
tests/site/test_build.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import REPO, Site, make_site

EPOCH = "1790000000"  # 2026-09-21 14:13:20 UTC: 16:13 in Berlin (summer time)


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    """A fresh copy of the project's sample content, with the clock fixed."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return make_site(tmp_path / "site", REPO / "content")


def test_check_with_a_path_reads_only_that_article(sample: Site) -> None:
    """What keeps `check PATH` fast: of the articles it reads only the given one (and its
    language versions), though all of the registry. Counted, not timed."""
    from dossier.check import check_files, read_content
    from dossier.plugin import read_settings
    from dossier.settings import of

    settings = of(read_settings(sample.root / "settings.py") | {"PATH": str(sample.content)})
    read: list[Path] = []
    read_content(settings, sample.root, on_file=read.append)
    article = sample.content / "articles/2023/shoigu-pyongyang.en.md"
    assert check_files(settings, [article], sample.root) == []
    selected: list[Path] = []
    read_content(settings, sample.root, {article}, on_file=selected.append)
    articles = [p for p in selected if p.suffix == ".md"]
    assert articles == [article]
    assert len(selected) < len(read)
