"""``dossier check PATHS`` is as strict as the build for those files: every error a full check
finds after a change, and did not find before it, is found by a check of the changed paths
alone (a removed file given as the path where it was); and it finds no error the full check
does not. Every bad fixture is applied as a change to the valid fixture site; then the plain
case of an editor's day, an actor added to one language version only, and changes whose
problems the build reports in files the change does not touch: an entry removed, retyped,
moved or renamed, a new entry's id taken, a cycle closed, an image removed. Driven through the
real `dossier` entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ..conftest import FIXTURES, REPO, Site, apply_overlay, make_site
from .test_checker import CASES, overlay_paths

EPOCH = "1790000000"

Found = tuple[str, int, int, str, str]  # path, line, column, field, message


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def errors(site: Site, *paths: str) -> set[Found]:
    """The errors `dossier check [PATHS] --format json` reports, parsed."""
    result = site.run("check", *paths, "--format", "json")
    assert result.exit_code in {0, 1}, result.output
    report = json.loads(result.output)
    assert result.exit_code == (1 if report["errors"] else 0)
    return {
        (d["path"], d["line"], d["column"], d["field"], d["message"])
        for d in report["diagnostics"]
        if d["severity"] == "error"
    }


@pytest.mark.parametrize("case", CASES)
def test_check_of_the_changed_paths_finds_every_new_error_of_the_full_check(
    case: str, tmp_path: Path
) -> None:
    site = make_site(tmp_path / "site", FIXTURES / "site" / "content")
    before = errors(site)
    assert before == set()
    folder = FIXTURES / "bad" / case
    apply_overlay(site.root, folder)
    changed = [str(p.relative_to(site.root)) for p in overlay_paths(site, folder)]
    after = errors(site)
    new = after - before
    assert new  # every case has an error
    found = errors(site, *changed)
    assert new <= found, sorted(new - found)
    assert found <= after, sorted(found - after)


def sample(tmp_path: Path) -> Site:
    return make_site(tmp_path / "site", REPO / "content")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_actor_added_to_one_language_version_fails_the_check_of_that_file(
    tmp_path: Path,
) -> None:
    """The German version nobody touched is where the problem shows, and where it is reported."""
    site = sample(tmp_path)
    english = "content/articles/2023/missile-launches-sunan.en.md"
    edit(site.root / english, "actors:\n  - north-korea\n", "actors:\n  - north-korea\n  - china\n")
    result = site.run("check", english)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        (
            "content/articles/2023/missile-launches-sunan.de.md:9:1: actors: lacks 'china', "
            "which the 'en' version lists; language versions share their actors "
            "(content/articles/2023/missile-launches-sunan.en.md)"
        ),
        "Found 1 error in 1 file.",
    ]
    assert site.run("check").output == result.output  # as the full check says it


def test_a_removed_entry_fails_the_check_with_the_articles_that_name_it(tmp_path: Path) -> None:
    site = sample(tmp_path)
    china = site.content / "entities/actors/china.yaml"
    china.unlink()
    whole = errors(site)
    assert {path for path, *_ in whole} == {
        "content/articles/2006/resolution-1718.de.md",
        "content/articles/2006/resolution-1718.en.md",
        "content/articles/2023/sanctions-regime-explained.de.md",
        "content/articles/2023/sanctions-regime-explained.en.md",
        "content/articles/2023/shoigu-pyongyang.en.md",
    }
    assert errors(site, "content/entities/actors/china.yaml") == whole


def test_an_entrys_changed_type_fails_the_check_with_the_entries_it_breaks(
    tmp_path: Path,
) -> None:
    """A nationality names a location of type Country: the entries that name this one break."""
    site = sample(tmp_path)
    entry = "content/entities/locations/country-russia.yaml"
    edit(site.root / entry, "type: Country", "type: Place")
    whole = errors(site)
    assert {path for path, *_ in whole} == {
        entry,
        "content/entities/actors/sergei-shoigu.yaml",
        "content/entities/actors/vladimir-putin.yaml",
    }
    assert errors(site, entry) == whole


def test_an_entry_moved_to_another_kind_fails_the_check_with_the_articles_it_breaks(
    tmp_path: Path,
) -> None:
    """Articles list it as an actor; as `git diff --name-only` lists the move: both paths."""
    site = sample(tmp_path)
    china = site.content / "entities/actors/china.yaml"
    china.rename(site.content / "entities/topics/china.yaml")
    whole = errors(site)
    assert "content/articles/2023/shoigu-pyongyang.en.md" in {path for path, *_ in whole}
    moved = ["content/entities/topics/china.yaml", "content/entities/actors/china.yaml"]
    assert errors(site, *moved) == whole


def test_a_renamed_entry_fails_the_check_of_both_its_names_with_what_names_the_old(
    tmp_path: Path,
) -> None:
    """As `git diff --name-only` lists a renamed file: the new name, and the old, gone."""
    site = sample(tmp_path)
    china = site.content / "entities/actors/china.yaml"
    china.rename(china.with_name("prc.yaml"))
    whole = errors(site)
    assert len({path for path, *_ in whole}) == 5
    renamed = ["content/entities/actors/prc.yaml", "content/entities/actors/china.yaml"]
    assert errors(site, *renamed) == whole


AGENCY = """type: Organization
name: {de: Nachrichtenagentur, en: News agency}
description: {de: Eine Nachrichtenagentur., en: A news agency.}
"""


def test_a_new_entry_fails_the_check_with_the_entries_it_collides_with(tmp_path: Path) -> None:
    """Where the build reports it is not the new file: the id's other entry (the later of
    the two), an entry that has the new id as a former id, and the articles that listed the
    other entry and now name the new one."""
    site = sample(tmp_path)
    edit(
        site.content / "entities/actors/kcna.yaml", "aliases:", "formerly: [news-agency]\naliases:"
    )
    assert errors(site) == set()
    for new, collides in [
        ("actors/news-agency.yaml", "content/entities/actors/kcna.yaml"),
        ("actors/pyongyang.yaml", "content/entities/locations/pyongyang.yaml"),
    ]:
        site.write(f"entities/{new}", AGENCY)
        whole = errors(site)
        assert collides in {path for path, *_ in whole}
        assert errors(site, f"content/entities/{new}") == whole
        (site.content / "entities" / new).unlink()


def test_a_cycle_closed_by_an_entry_fails_the_check_where_the_build_reports_it(
    tmp_path: Path,
) -> None:
    """Vostochny lies in Amur Oblast, in Russia, here in the Yellow Sea: the sea in Vostochny
    closes the cycle, which the build reports on its entry first by id, Amur Oblast, which
    neither names the sea nor is named by it."""
    site = sample(tmp_path)

    def contained_in(entry: str, where: str) -> None:
        path = site.content / "entities/locations" / entry
        text = path.read_text(encoding="utf-8")
        path.write_text(f"{text}contained_in: {where}\n", encoding="utf-8")

    contained_in("country-russia.yaml", "yellow-sea")
    assert errors(site) == set()
    contained_in("yellow-sea.yaml", "vostochny-cosmodrome")
    whole = errors(site)
    assert {path for path, *_ in whole} == {"content/entities/locations/amur-oblast.yaml"}
    assert errors(site, "content/entities/locations/yellow-sea.yaml") == whole


def test_a_removed_image_fails_the_check_with_the_articles_that_show_or_link_it(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path / "site", FIXTURES / "site" / "content")
    shutil.copyfile(site.content / "images/dossier-default-4x3.png", site.content / "images/x.png")
    edit(
        site.content / "articles/2023/launches.en.md",
        "---\nThe",
        "image:\n  src: images/x.png\n  alt: A launch\n---\nThe",
    )
    edit(
        site.content / "articles/2023/summit.en.md",
        "\n---\n",
        "\n---\n![A map]({static}/images/x.png)\n\n",
    )
    assert errors(site) == set()
    (site.content / "images/x.png").unlink()
    whole = errors(site)
    assert {path for path, *_ in whole} == {
        "content/articles/2023/launches.en.md",
        "content/articles/2023/summit.en.md",
    }
    assert errors(site, "content/images/x.png") == whole


def test_a_path_where_nothing_is_is_a_removed_file_outside_the_content_folder_refused(
    tmp_path: Path,
) -> None:
    site = sample(tmp_path)
    gone = site.run("check", "content/articles/2023/no-such-story.en.md")
    assert (gone.exit_code, gone.output) == (0, "All content is valid.\n")
    outside = site.run("check", "drafts/no-such-story.en.md")
    assert outside.exit_code == 2
    assert "drafts/no-such-story.en.md is not in the content folder" in outside.output


def test_an_article_taking_a_moved_storys_old_address_fails_the_check_where_it_redirects(
    tmp_path: Path,
) -> None:
    """A story moved keeps its old address (``formerly``), which redirects to it; another
    article given that address by hand breaks the redirect, and the build reports it in the
    moved story, whose file name no longer says the slug."""
    site = sample(tmp_path)
    moved = site.run("move", "missile-launches-sunan", "--slug", "sunan-launches", "--apply")
    assert moved.exit_code == 0, moved.output
    assert errors(site) == set()
    old = site.content / "articles/2023/shoigu-pyongyang.en.md"
    new = old.with_name("missile-launches-sunan.en.md")
    new.write_text(
        old.read_text(encoding="utf-8").replace(
            "slug: shoigu-pyongyang", "slug: missile-launches-sunan"
        ),
        encoding="utf-8",
    )
    old.unlink()
    whole = errors(site)
    assert {path for path, *_ in whole} == {"content/articles/2023/sunan-launches.en.md"}
    paths = [str(p.relative_to(site.root)) for p in (new, old)]
    assert errors(site, *paths) == whole


def test_a_former_address_that_another_article_has_fails_the_check_of_the_file_that_lists_it(
    tmp_path: Path,
) -> None:
    """The error is in the given file, about another: the other article is read to find it."""
    site = sample(tmp_path)
    path = site.content / "articles/2023/missile-launches-sunan.en.md"
    edit(
        path,
        "slug: missile-launches-sunan\n",
        "slug: missile-launches-sunan\nformerly:\n  - {slug: shoigu-pyongyang, year: 2023}\n",
    )
    whole = errors(site)
    assert {path for path, *_ in whole} == {"content/articles/2023/missile-launches-sunan.en.md"}
    assert errors(site, str(path.relative_to(site.root))) == whole


def test_a_folder_given_with_a_trailing_dot_dot_is_the_folder_it_names(tmp_path: Path) -> None:
    site = sample(tmp_path)
    edit(site.content / "articles/2023/missile-launches-sunan.de.md", "  - japan\n", "")
    whole = errors(site)
    assert whole
    assert errors(site, "content/articles/2023/..") == whole
    outside = site.run("check", "content/..")
    assert outside.exit_code == 2
    assert "is not in the content folder" in outside.output


def test_a_link_to_a_file_outside_the_content_folder_fails_the_check_of_the_link(
    tmp_path: Path,
) -> None:
    """The link is what is given, and what the build reports; not the file it points at."""
    site = sample(tmp_path)
    link = site.content / "articles/2023/kim-putin-vostochny.de.md"
    outside = tmp_path / "elsewhere.de.md"
    shutil.move(link, outside)
    link.symlink_to(outside)
    whole = errors(site)
    assert {path for path, *_ in whole} == {"content/articles/2023/kim-putin-vostochny.de.md"}
    assert errors(site, "content/articles/2023/kim-putin-vostochny.de.md") == whole
