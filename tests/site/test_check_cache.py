"""The check cache: what read cleanly and passed its schema is not parsed or validated again,
and nothing the cache holds ever changes what `check` reports (see also the warm-cache run of
every golden case in tests/golden/test_diagnostics.py). The cache alone is in
tests/core/test_check_cache.py."""

from __future__ import annotations

import json
from pathlib import Path

from dossier.read.check_cache import code_version

from ..conftest import REPO, Site

CACHE = Path("cache") / "dossier-check.json"
ARTICLE = "articles/2023/summit.en.md"


def stored(site: Site) -> dict:
    return json.loads((site.root / CACHE).read_text(encoding="utf-8"))


def test_the_first_check_fills_the_cache_and_the_second_uses_it(fixture_site: Site) -> None:
    assert fixture_site.check().output == "All content is valid.\n"
    first = stored(fixture_site)
    files = len(list((fixture_site.content / "articles").rglob("*.md")))
    files += len(list((fixture_site.content / "entities").rglob("*.yaml")))
    assert len(first["parsed"]) == files  # every file read cleanly
    assert len(first["valid"]) == files  # and passed its schema
    before = (fixture_site.root / CACHE).stat().st_mtime_ns
    assert fixture_site.check().output == "All content is valid.\n"
    assert (fixture_site.root / CACHE).stat().st_mtime_ns == before  # nothing new to write


def test_an_edited_file_is_read_again_and_its_old_entry_dropped(fixture_site: Site) -> None:
    fixture_site.check()
    path = fixture_site.content / ARTICLE
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1), "utf-8"
    )
    assert fixture_site.check().output == "All content is valid.\n"
    data = list(stored(fixture_site)["parsed"].values())
    titles = [d["title"] for d in data if d.get("slug") == "summit" and d.get("lang") == "en"]
    assert len(titles) == 1
    assert titles[0].startswith("Edited ")


def test_an_edit_in_the_body_keeps_the_front_matter_cached(fixture_site: Site) -> None:
    fixture_site.check()
    before = stored(fixture_site)
    path = fixture_site.content / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", "utf-8")
    assert fixture_site.check().output == "All content is valid.\n"
    assert stored(fixture_site) == before


def test_a_problem_is_never_cached(fixture_site: Site) -> None:
    fixture_site.write(ARTICLE, "---\ntitle: [unclosed\n---\n")
    first = fixture_site.check()
    second = fixture_site.check()
    assert first.exit_code == second.exit_code == 1
    assert first.output == second.output
    assert "YAML syntax error" in second.output


def test_a_registry_change_is_seen_by_articles_whose_files_did_not_change(
    fixture_site: Site,
) -> None:
    """The verdict for an unchanged article depends on the registry facts of the ids it names."""
    fixture_site.check()
    (fixture_site.content / "entities/actors/vladimir-putin.yaml").unlink()
    result = fixture_site.check()
    assert result.exit_code == 1
    assert "unknown actor 'vladimir-putin'" in result.output


def test_a_damaged_cache_file_is_an_empty_cache(fixture_site: Site) -> None:
    (fixture_site.root / "cache").mkdir()
    for damage in ("{not json", '["a list"]', '{"version": 1, "parsed": 5}', ""):
        (fixture_site.root / CACHE).write_text(damage, encoding="utf-8")
        result = fixture_site.check()
        assert (result.exit_code, result.output) == (0, "All content is valid.\n")
    assert stored(fixture_site)["version"] == code_version(REPO / "schema")


def test_cache_of_another_code_version_is_not_used(fixture_site: Site) -> None:
    (fixture_site.root / "cache").mkdir()
    fake = {"version": "older", "parsed": {"x": {"title": "stale"}}, "valid": ["y"]}
    (fixture_site.root / CACHE).write_text(json.dumps(fake), encoding="utf-8")
    assert fixture_site.check().output == "All content is valid.\n"
    assert "x" not in stored(fixture_site)["parsed"]


def test_dossier_cache_false_reads_and_writes_no_cache(fixture_site: Site) -> None:
    settings = fixture_site.root / "settings.py"
    settings.write_text(settings.read_text(encoding="utf-8") + "DOSSIER_CACHE = False\n", "utf-8")
    assert fixture_site.check().output == "All content is valid.\n"
    assert not (fixture_site.root / "cache").exists()
