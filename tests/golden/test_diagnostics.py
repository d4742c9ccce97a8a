"""Every bad input gets exactly the located, worded diagnostics in its fixture's expected.txt.

Each folder in tests/fixtures/bad/ changes the valid fixture site in one way (files to add or
replace; `X.delete` removes X) and holds the full expected output of `dossier check`.
After a deliberate change of wording, regenerate with DOSSIER_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import FIXTURES, apply_overlay, make_site

CASES = sorted(p.name for p in (FIXTURES / "bad").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported_exactly(case: str, tmp_path: Path) -> None:
    folder = FIXTURES / "bad" / case
    site = make_site(tmp_path / "site", FIXTURES / "site" / "content", folder)
    result = site.check()
    expected_file = folder / "expected.txt"
    if os.environ.get("DOSSIER_UPDATE_GOLDEN"):
        expected_file.write_text(result.output, encoding="utf-8")
    assert result.output == expected_file.read_text(encoding="utf-8")
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_every_case_has_expected_output() -> None:
    missing = [c for c in CASES if not (FIXTURES / "bad" / c / "expected.txt").is_file()]
    assert not missing


@pytest.mark.parametrize("case", CASES)
def test_a_warm_check_cache_reports_the_same(case: str, tmp_path: Path) -> None:
    """The valid site is checked first, so every file it keeps is in the check cache (data and
    schema verdicts, no positions); then the case's change, and the same exact report."""
    folder = FIXTURES / "bad" / case
    site = make_site(tmp_path / "site", FIXTURES / "site" / "content")
    assert site.check().output == "All content is valid.\n"
    assert (site.root / "cache" / "dossier-check.json").is_file()
    apply_overlay(site.root, folder)
    result = site.check()
    assert result.output == (folder / "expected.txt").read_text(encoding="utf-8")
    assert result.exit_code == 1
