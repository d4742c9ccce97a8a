"""`dossier move`, through the real entry point on copies of the sample content: an article
moved to another slug and to another year, every language version at once, the links to it
following it, its old addresses redirecting in the build and in `dossier serve`; the dry run,
the refusals, check's word on hand-written former addresses, and the move stopped by a fault
and by a signal in the middle of its writing (all old or all new, never half)."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import etree

from ..conftest import REPO, Site, make_site
from ..support.mounts import needs_root
from ..support.pages import broken_links, internal_links
from ..support.serving import serving, without_script

DOSSIER = Path(sys.executable).with_name("dossier")  # the console script the set-up installs
EPOCH = "1790000000"  # 2026-09-21 14:13:20 UTC
SITE = "https://dossier.example"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SUMMIT = "articles/2023/kim-putin-vostochny"  # de and en
RESOLUTION = "articles/2006/resolution-1718"  # de and en
# What the moves below leave: old address -> new address, per language version.
REDIRECTS = {
    "/de/2023/kim-putin-vostochny/": "/de/2023/kim-putin-summit/",
    "/en/2023/kim-putin-vostochny/": "/en/2023/kim-putin-summit/",
    "/de/2006/resolution-1718/": "/de/2007/resolution-1718/",
    "/en/2006/resolution-1718/": "/en/2007/resolution-1718/",
}


LINKS = (
    ("sanctions-regime-explained.en", f"{{filename}}/{SUMMIT}.en.md#summit"),
    ("missile-launches-sunan.de", "{filename}kim-putin-vostochny.de.md"),
)


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return make_site(tmp_path / "site", REPO / "content")


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def lines(output: str) -> list[str]:
    return output.strip().splitlines()


def files(site: Site) -> dict[str, bytes]:
    """Every file of the site folder but the caches, as bytes."""
    return {
        p.relative_to(site.root).as_posix(): p.read_bytes()
        for p in sorted(site.root.rglob("*"))
        if p.is_file() and p.relative_to(site.root).parts[0] not in {"cache", "output"}
    }


def link_it(site: Site) -> None:
    """Links to the summit article from others: absolute (with a fragment) in English, relative
    in German; and a comment in the summit's front matter, which the move keeps."""
    for name, link in LINKS:
        path = site.content / f"articles/2023/{name}.md"
        path.write_text(path.read_text() + f'\n<p><a href="{link}">Summit</a></p>\n')
    path = site.content / f"{SUMMIT}.de.md"
    text = path.read_text().replace(
        "slug: kim-putin-vostochny\n", "slug: kim-putin-vostochny  # the summit\n"
    )
    path.write_text(text)


# --- a move, built and served ------------------------------------------------------------------


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The sample, its summit article moved to another slug and its resolution article to
    another year, then built."""
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        site = make_site(tmp_path_factory.mktemp("moved") / "site", REPO / "content")
        link_it(site)
        assert site.check().exit_code == 0
        by_slug = site.run("move", "kim-putin-vostochny", "--slug", "kim-putin-summit", "--apply")
        assert by_slug.exit_code == 0, by_slug.output
        assert lines(by_slug.output)[-2:] == [
            (
                "Changed 4 files; the old addresses now redirect: /de/2023/kim-putin-vostochny/ to "
                "/de/2023/kim-putin-summit/, /en/2023/kim-putin-vostochny/ to "
                "/en/2023/kim-putin-summit/."
            ),
            "All content is valid.",
        ]
        by_year = site.run("move", "resolution-1718", "--year", "2007", "--apply")
        assert by_year.exit_code == 0, by_year.output
        built = site.build()
        assert built.exit_code == 0, built.output
        yield site
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def test_a_move_by_slug_moves_every_version_and_keeps_its_old_address(moved: Site) -> None:
    articles = moved.content / "articles/2023"
    assert not list(articles.glob("kim-putin-vostochny.*"))
    for lang in ("de", "en"):
        data = front_matter(articles / f"kim-putin-summit.{lang}.md")
        assert data["slug"] == "kim-putin-summit"
        assert str(data["date"]).startswith("2023-09-13")
        assert data["formerly"] == [{"slug": "kim-putin-vostochny", "year": 2023}]
    text = (articles / "kim-putin-summit.de.md").read_text()
    assert "slug: kim-putin-summit  # the summit\n" in text  # the editor's comment kept
    assert "formerly:\n  - {slug: kim-putin-vostochny, year: 2023}\n---\n" in text


def test_a_move_by_year_changes_the_date_and_the_folder(moved: Site) -> None:
    assert not list((moved.content / "articles/2006").glob("*.md"))
    for lang in ("de", "en"):
        path = moved.content / f"articles/2007/resolution-1718.{lang}.md"
        data = front_matter(path)
        # Month, day, time and offset kept.
        assert data["date"].isoformat() == "2007-10-14T22:00:00+02:00"
        assert data["formerly"] == [{"slug": "resolution-1718", "year": 2006}]


def test_links_to_a_moved_article_follow_it(moved: Site) -> None:
    """Each link as it was written: absolute stays absolute, relative relative, the fragment
    kept; the built pages link the new address."""
    articles = moved.content / "articles/2023"
    en = (articles / "sanctions-regime-explained.en.md").read_text()
    de = (articles / "missile-launches-sunan.de.md").read_text()
    assert '<a href="{filename}/articles/2023/kim-putin-summit.en.md#summit">' in en
    assert '<a href="{filename}kim-putin-summit.de.md">' in de
    for lang, page_slug, fragment in (
        ("en", "sanctions-regime-explained", "#summit"),
        ("de", "missile-launches-sunan", ""),
    ):
        page = BeautifulSoup(moved.page(f"/{lang}/2023/{page_slug}/").read_text(), "html.parser")
        hrefs = [a["href"] for a in page.find_all("a", string="Summit")]
        assert hrefs == [f"/{lang}/2023/kim-putin-summit/{fragment}"]


def test_every_old_address_redirects_to_the_new_one(moved: Site) -> None:
    for old, new in REDIRECTS.items():
        page = BeautifulSoup(moved.page(old).read_text(encoding="utf-8"), "html.parser")
        assert page.html["lang"] == old.split("/")[1]
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
        assert refresh == f"0; url={new}"
        assert page.find("link", rel="canonical")["href"] == SITE + new
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert page.find("main").a["href"] == new
        assert page.find("script", type="application/ld+json") is None
        target = BeautifulSoup(moved.page(new).read_text(encoding="utf-8"), "html.parser")
        assert page.find("main").a.get_text() == target.h1.get_text()
        assert target.find("link", rel="canonical")["href"] == SITE + new


def test_old_addresses_are_in_no_sitemap_and_every_link_resolves(moved: Site) -> None:
    listed = {
        urlsplit(loc.text).path
        for loc in etree.parse(moved.output / "sitemap.xml").iter(f"{SITEMAP}loc")
    }
    assert set(REDIRECTS.values()) <= listed
    assert not set(REDIRECTS) & listed
    pages = sorted(moved.output.rglob("*.html"))
    assert len(pages) > 100
    followed = set(internal_links(moved))
    for old, new in REDIRECTS.items():  # each redirect page's refresh target is followed
        assert (moved.page(old), new) in followed
    assert broken_links(moved) == []


def test_serve_answers_an_old_address_with_the_redirect_page(moved: Site) -> None:
    with serving(moved) as server:
        for old in REDIRECTS:
            status, body, _ = server.get(old)
            assert status == 200, old
            assert without_script(body) == moved.page(old).read_bytes()


# --- the dry run and the refusals ----------------------------------------------------------------


def test_without_apply_the_move_is_shown_and_nothing_written(sample: Site) -> None:
    before = files(sample)
    result = sample.run("move", "resolution-1718", "--year", "2007", "--slug", "un-1718")
    assert result.exit_code == 0, result.output
    assert files(sample) == before
    out = result.output
    assert "rename from content/articles/2006/resolution-1718.en.md\n" in out
    assert "rename to content/articles/2007/un-1718.en.md\n" in out
    assert "-slug: resolution-1718\n+slug: un-1718\n" in out
    assert "-date: 2006-10-14T22:00:00+02:00\n+date: 2007-10-14T22:00:00+02:00\n" in out
    assert "+formerly:\n+  - {slug: resolution-1718, year: 2006}\n" in out
    assert lines(out)[-1] == (
        "2 files would change; the old addresses would redirect: /de/2006/resolution-1718/ to "
        "/de/2007/un-1718/, /en/2006/resolution-1718/ to /en/2007/un-1718/. This was a dry run: "
        "nothing was written. Run the command again with --apply to write it."
    )


@pytest.mark.parametrize(
    ("args", "status", "said"),
    [
        (("resolution-1781", "--slug", "x"), 2,
         ("Invalid value for SLUG: no article has the slug 'resolution-1781'; did you mean "
         "'resolution-1718'?")),
        (("resolution-1718",), 2, "say where to move it: --year, --slug or both"),
        (("resolution-1718", "--year", "2006"), 2,
         "'resolution-1718' is already dated 2006: nothing would change"),
        (("resolution-1718", "--slug", "resolution-1718"), 2,
         "'resolution-1718' is already 'resolution-1718': nothing would change"),
        (("resolution-1718", "--slug", "Resolution_1718"), 2,
         ("Invalid value for --slug: 'Resolution_1718' may contain only lowercase letters a-z, "
         "digits and single hyphens")),
        (("resolution-1718", "--year", "0"), 2, "Invalid value for '--year'"),
        (("resolution-1718", "--slug", "shoigu-pyongyang"), 1,
         ("error: content/articles/2023/shoigu-pyongyang.en.md has the slug 'shoigu-pyongyang' "
         "already (language versions share their slug); choose another one")),
    ],
    ids=["unknown", "nowhere", "same-year", "same-slug", "bad-slug", "bad-year", "taken-slug"],
)  # fmt: skip
def test_a_move_that_cannot_be_made_is_refused_and_writes_nothing(
    sample: Site, args: tuple[str, ...], status: int, said: str
) -> None:
    before = files(sample)
    result = sample.run("move", *args, "--apply")
    assert result.exit_code == status, result.output
    assert said in result.output
    assert "Traceback" not in result.output
    assert files(sample) == before


def test_a_file_in_the_way_and_a_missing_day_refuse_the_move(sample: Site) -> None:
    sample.write("articles/2006/un-1718.en.md", "kept as it is\n")  # not an article yet
    before = files(sample)
    result = sample.run("move", "resolution-1718", "--slug", "un-1718", "--apply")
    assert result.exit_code == 1
    assert lines(result.output) == [
        "error: content/articles/2006/un-1718.en.md already exists",
        "Nothing was changed: the move is refused.",
    ]
    assert files(sample) == before
    leap = sample.content / f"{SUMMIT}.en.md"
    leap.write_text(re.sub(r"(?m)^date: .*$", "date: 2024-02-29T12:30:00+01:00", leap.read_text()))
    (sample.content / f"{SUMMIT}.de.md").unlink()
    (sample.content / "articles/2024").mkdir()
    leap.rename(sample.content / "articles/2024/kim-putin-vostochny.en.md")
    before = files(sample)
    result = sample.run("move", "kim-putin-vostochny", "--year", "2023", "--apply")
    assert result.exit_code == 1
    assert lines(result.output)[0] == (
        "error: content/articles/2024/kim-putin-vostochny.en.md: its date 2024-02-29 has no "
        "such day in 2023; change it first"
    )
    assert files(sample) == before


def test_front_matter_check_reports_refuses_the_move_in_words(sample: Site) -> None:
    """What check reports as a located error (a `formerly` that is no list, a version with no
    slug) refuses the move with a sentence, never a traceback."""
    path = sample.content / "articles/2023/shoigu-pyongyang.en.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("slug: shoigu-pyongyang\n", "slug: shoigu-pyongyang\nformerly: 5\n")
    )
    before = files(sample)
    result = sample.run("move", "nothere", "--year", "2024", "--apply")
    assert result.exit_code == 2, result.output
    assert "no article has the slug 'nothere'" in result.output
    path.write_text(text.replace("slug: shoigu-pyongyang\n", ""), encoding="utf-8")
    before = files(sample)
    result = sample.run("move", "shoigu-pyongyang", "--year", "2024", "--apply")
    assert result.exit_code == 1, result.output
    assert lines(result.output)[0] == (
        "error: content/articles/2023/shoigu-pyongyang.en.md has no slug that can be read; fix "
        "it first (dossier check shows what is wrong)"
    )
    assert files(sample) == before


def test_a_move_check_refuses_is_not_written(sample: Site) -> None:
    """A year later, the summit's date is after its last modification: check's word on the
    files as the move would leave them, and nothing written."""
    before = files(sample)
    result = sample.run("move", "kim-putin-vostochny", "--year", "2024", "--apply")
    assert result.exit_code == 1
    assert (
        "content/articles/2024/kim-putin-vostochny.de.md:6:11: modified: "
        "2023-09-13T18:45:00+02:00 is before the publication date 2024-09-13T12:30:00+02:00; "
        "modified must be the same as date or later"
    ) in lines(result.output)
    assert lines(result.output)[-1] == "Nothing was written: the move would leave these errors."
    assert files(sample) == before


def test_moving_back_turns_the_redirect_around(sample: Site) -> None:
    assert sample.run("move", "resolution-1718", "--slug", "un-1718", "--apply").exit_code == 0
    back = sample.run("move", "un-1718", "--slug", "resolution-1718", "--apply")
    assert back.exit_code == 0, back.output
    data = front_matter(sample.content / f"{RESOLUTION}.en.md")
    assert data["formerly"] == [{"slug": "un-1718", "year": 2006}]  # never itself
    gone = sample.run("move", "un-1718", "--year", "2007")
    assert gone.exit_code == 2
    assert "no article has the slug 'un-1718'; it was moved to 'resolution-1718'" in gone.output


# --- former addresses written by hand ----------------------------------------------------------


def test_check_reports_former_addresses_that_cannot_redirect(sample: Site) -> None:
    resolution = sample.content / f"{RESOLUTION}.en.md"
    text = resolution.read_text()
    closing = text.split("---\n")[1].count("\n") + 2  # the line of the closing ---

    def formerly(items: str) -> None:
        resolution.write_text(text.replace("\n---\n", f"\nformerly:\n{items}---\n", 1))

    where = f"content/{RESOLUTION}.en.md"
    first, second = closing + 1, closing + 2
    formerly("  - {slug: kim-putin-vostochny, year: 2023}\n  - {slug: Old, year: '2005'}\n")
    assert lines(sample.check().output) == [
        (
            f"{where}:{second}:12: formerly[1].slug: 'Old' may contain only lowercase letters "
            "a-z, digits and single hyphens between them; did you mean 'old'?"
        ),
        f"{where}:{second}:23: formerly[1].year: expected a whole number, got text '2005'",
        "Found 2 errors in 1 file.",
    ]
    formerly("  - {slug: kim-putin-vostochny, year: 2023}\n  - {slug: old, year: 2005}\n")
    result = sample.check()
    assert result.exit_code == 1
    assert lines(result.output) == [
        (
            f"{where}:{first}:5: formerly[0]: the former address en/2023/kim-putin-vostochny/ "
            "is the address of content/articles/2023/kim-putin-vostochny.en.md now; it cannot "
            "redirect while that article is there: remove it here"
        ),
        "Found 1 error in 1 file.",
    ]
    formerly("  - {slug: resolution-1718, year: 2006}\n")
    assert lines(sample.check().output)[0] == (
        f"{where}:{first}:5: formerly[0]: en/2006/resolution-1718/ is this article's own "
        "address; remove it: an address cannot redirect to itself"
    )


# --- stopped in the middle ---------------------------------------------------------------------

LINKING = 150  # articles that link the moved one: the move rewrites each, and takes a while


def linking(number: int) -> str:
    return (
        f"---\ntitle: Report {number}\nslug: report-{number}\nlang: en\n"
        "date: 2024-03-01T09:00:00+01:00\nauthors: [anna-berger]\n"
        f"summary: Report number {number}.\nactors: [north-korea]\n---\n"
        f'<p>See <a href="{{filename}}/{SUMMIT}.en.md">the summit</a>.</p>\n'
    )


def tree(site: Site) -> dict[str, str]:
    """Every file but the caches, hidden ones (staged files, journal, lock) included, hashed."""
    return {k: hashlib.sha256(v).hexdigest() for k, v in files(site).items()}


def visible(found: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in found.items() if not any(p.startswith(".") for p in k.split("/"))}


@pytest.fixture
def crowd(sample: Site) -> Site:
    for number in range(LINKING):
        sample.write(f"articles/2024/report-{number}.en.md", linking(number))
    return sample


def run(site: Site, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DOSSIER), *args, "--settings", "settings.py"],
        cwd=site.root, capture_output=True, text=True, check=False,
    )  # fmt: skip


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@needs_root
def test_a_fault_in_the_middle_undoes_the_whole_move(crowd: Site) -> None:
    """The old file of a version cannot be removed (removals come last): everything written
    before it is undone."""
    before = tree(crowd)
    with immutable(crowd.content / f"{SUMMIT}.en.md"):
        result = run(crowd, "move", "kim-putin-vostochny", "--slug", "kim-putin-summit",
                     "--apply")  # fmt: skip
        assert tree(crowd) == before
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert lines(result.stderr)[-1] == (
        f"Nothing was changed: content/{SUMMIT}.en.md cannot be written (Operation not "
        "permitted); the move of 'kim-putin-vostochny' was undone, every file is as it was."
    )
    assert run(crowd, "check").returncode == 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_a_move_stopped_by_a_signal_while_writing_is_all_old_or_all_new(
    crowd: Site, tmp_path: Path, sig: signal.Signals
) -> None:
    """Stopped (SIGSTOP) the moment the first moved file is in place, then signalled: the
    next command finds the content all as before or all as after, never half moved."""
    done = make_site(tmp_path / "done", crowd.content)
    moving = ("move", "kim-putin-vostochny", "--slug", "kim-putin-summit", "--apply")
    assert run(done, *moving).returncode == 0
    before, after = visible(tree(crowd)), visible(tree(done))
    first = crowd.content / "articles/2023/kim-putin-summit.de.md"
    journal = crowd.content / ".dossier-journal.json"
    process = subprocess.Popen(
        [str(DOSSIER), *moving, "--settings", "settings.py"],
        cwd=crowd.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    while not first.exists() and process.poll() is None:
        pass
    caught = process.poll() is None
    if caught:
        os.kill(process.pid, signal.SIGSTOP)
        halfway = visible(tree(crowd))
        assert halfway not in (before, after)  # the files are half written here
        assert journal.exists()
        process.send_signal(sig)
        os.kill(process.pid, signal.SIGCONT)
    _, err = process.communicate(timeout=120)
    assert caught, "the move finished before it could be stopped"
    assert "Traceback" not in err
    check = run(crowd, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert not journal.exists()
    assert visible(tree(crowd)) in (before, after)
    if sig == signal.SIGKILL:
        assert lines(check.stderr)[0].startswith(
            "Recovered an interrupted move of 'kim-putin-vostochny': it was "
        )
