"""The build's worker processes (``write.site``): the published site, the build's messages and
what a rebuild keeps are the same whatever their number; ``--jobs`` and ``DOSSIER_JOBS`` say
how many, and a wrong number is refused before anything is read."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from dossier.validate import body as check
from dossier.write import site as writing

from ..conftest import REPO, Site, make_site
from ..support.pagefind import UNSTABLE, search_index

SCRIPT = '<img src="images/x.png" alt="x" onerror="alert(1)">'


def tree(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, but those Pagefind orders differently each run (compared decoded,
    with ``search_index``)."""
    return {
        name: p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not UNSTABLE.fullmatch(name := p.relative_to(folder).as_posix())
    }


def said(output: str, root: Path) -> list[str]:
    """The build's lines, without its jobs, its timings and the site's folder."""
    text = output.replace(str(root), "<site>")
    text = re.sub(r"with \d+ jobs? in [\d.]+ seconds", "with … in … seconds", text)
    return text.splitlines()


def story(number: int) -> str:
    return (
        f"---\ntitle: Story {number}\nslug: story-{number}\nlang: en\n"
        f"date: 2023-10-{1 + number % 28:02d}T12:00:00+02:00\nauthors: [anna-berger]\n"
        f"summary: Story number {number}.\nactors: [kim-jong-un, vladimir-putin]\n---\n"
        f"Text of story {number}, with *emphasis* and a [link](https://example.org/{number}).\n"
    )


def newsroom(root: Path) -> Site:
    """The sample site and 300 more stories: many chunks of work, several for each worker; one
    text holds what the sanitiser removes (as if the check had a gap), for a warning."""
    site = make_site(root, REPO / "content")
    for number in range(300):
        site.write(f"articles/2023/story-{number}.en.md", story(number))
    text = story(7).replace("Text of story 7", f"Text of story 7 {SCRIPT}")
    site.write("articles/2023/story-7.en.md", text)
    return site


@pytest.fixture(autouse=True)
def check_gap(monkeypatch) -> None:
    """As if the check had a gap: the sanitiser removes what it let through, with a warning."""
    monkeypatch.setattr(check, "body_problems", lambda text, hosts: [])


def build(site: Site, jobs: int) -> list[str]:
    result = site.run("build", "--jobs", str(jobs))
    assert result.exit_code == 0, result.output
    return said(result.output, site.root)


def test_one_job_or_two_publish_the_same_site_and_say_the_same(tmp_path: Path) -> None:
    one, two = newsroom(tmp_path / "one"), newsroom(tmp_path / "two")
    said_one, said_two = build(one, 1), build(two, 2)
    assert said_one == said_two
    warning = (
        "content/articles/2023/story-7.en.md: removed from the text when it was rendered: "
        "'onerror' on <img>"
    )
    assert said_two.count(warning) == 1
    assert tree(one.output) == tree(two.output)
    assert search_index(one.output) == search_index(two.output)
    assert len(tree(two.output)) > 1000

    # A rebuild after edits: the same files kept and made, the same site as a clean build.
    for site in (one, two):
        site.write("articles/2023/story-3.en.md", story(3).replace("Story 3", "Story three"))
        path = site.content / "entities/actors/kim-jong-un.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("since late 2011", "since December 2011", 1), "utf-8")
    rebuilt_one, rebuilt_two = build(one, 1), build(two, 2)
    assert rebuilt_one == rebuilt_two
    assert re.search(r"Rendered \d+ files, kept [1-9][\d,]* unchanged ones", rebuilt_two[-3])
    clean = newsroom(tmp_path / "clean")
    clean.write("articles/2023/story-3.en.md", story(3).replace("Story 3", "Story three"))
    path = clean.content / "entities/actors/kim-jong-un.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("since late 2011", "since December 2011", 1), "utf-8")
    build(clean, 2)
    assert tree(two.output) == tree(one.output) == tree(clean.output)


def test_a_second_build_with_two_jobs_keeps_every_unchanged_file(tmp_path: Path) -> None:
    site = newsroom(tmp_path / "site")
    build(site, 2)
    before = {p: p.stat().st_ino for p in site.output.rglob("*.html")}
    lines = build(site, 2)
    assert "Rendered 0 files" in "\n".join(lines)
    assert {p: p.stat().st_ino for p in site.output.rglob("*.html")} == before


@pytest.mark.parametrize("value", ["0", "two", "-1", "1.5"])
def test_a_wrong_number_of_jobs_is_refused_before_anything_is_read(
    fixture_site: Site, monkeypatch, value: str
) -> None:
    result = fixture_site.run("build", "--jobs", value)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"Error: Invalid value for '--jobs' / '-j': {value!r}: give a whole number of jobs, "
        "1 or more"
    )
    monkeypatch.setenv("DOSSIER_JOBS", value)
    result = fixture_site.build()
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"Error: Invalid value for '--jobs' / '-j': DOSSIER_JOBS={value!r}: give a whole "
        "number of jobs, 1 or more"
    )
    assert not fixture_site.output.exists()


def test_dossier_jobs_sets_the_number_and_the_option_wins(fixture_site: Site, monkeypatch) -> None:
    seen: list[int] = []
    original = writing.write_site

    def counted(work, jobs):
        seen.append(jobs)
        return original(work, jobs)

    monkeypatch.setattr(writing, "write_site", counted)
    monkeypatch.setenv("DOSSIER_JOBS", "3")
    assert fixture_site.build().exit_code == 0
    assert fixture_site.run("build", "--jobs", "1").exit_code == 0
    monkeypatch.delenv("DOSSIER_JOBS")
    assert fixture_site.build().exit_code == 0
    assert seen == [3, 1, len(os.sched_getaffinity(0))]
