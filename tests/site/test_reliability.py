"""Dossier survives bad input and faults: a build killed halfway, hostile or broken files, and a
built site whose every link, feed entry and sitemap location resolves."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from ..conftest import FIXTURES, Site, make_site

DOSSIER = Path(sys.executable).with_name("dossier")  # the installed entry point
HOST = "https://dossier.example"
STAGING = ".dossier-build-"


def tree(root: Path) -> dict[str, str]:
    """Every file below root with the hash of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def staging_folders(site: Site) -> list[Path]:
    return sorted(p for p in site.root.iterdir() if p.name.startswith(STAGING))


def bulk_article(number: int) -> str:
    return (
        f"---\ntitle: Bulk article {number}\nslug: bulk-{number}\nlang: en\n"
        "date: 2023-10-01T12:00:00+02:00\nauthors: [anna-berger]\n"
        f"summary: Article number {number} of many.\nactors: [kim-jong-un]\n---\n"
        f"Text of article {number}.\n"
    )


# --- 1. a build killed halfway publishes nothing ------------------------------------------------


def _workers(pid: int) -> set[int]:
    """The build's worker processes: its children forked from it (the same command line; not
    Pagefind, which it runs as a program)."""
    found: set[int] = set()
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(n) for n in (task / "children").read_text().split()}
    return {child for child in found if _read(Path(f"/proc/{child}/cmdline")) == command}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped by its new parent, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _until_writing(site: Site, process: subprocess.Popen) -> None:
    """Wait until the build in ``process`` has written pages into its staging folder."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        folders = staging_folders(site)
        if folders and sum(1 for _ in folders[0].rglob("*.html")) >= 20:
            return
        time.sleep(0.002)


def _kill_mid_write(site: Site, sig: signal.Signals, jobs: int) -> None:
    """Start a real build in its own process, with ``jobs`` worker processes, and send ``sig``
    once it is writing pages; the workers must end with it."""
    # A process started in the background by a shell without job control (`cmd &` in a script,
    # as some CI runners do) ignores SIGINT, and so would the build it starts, which inherits
    # that: here the build hears SIGINT as a terminal's Ctrl-C would send it.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [str(DOSSIER), "build", "--settings", "settings.py", "--jobs", str(jobs)],
            cwd=site.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        _until_writing(site, process)
        assert process.poll() is None, "the build ended before it could be interrupted"
        workers = _workers(process.pid)
        assert len(workers) == (jobs if jobs > 1 else 0)
        process.send_signal(sig)
        process.wait(timeout=60)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.01)
        assert not [pid for pid in workers if _alive(pid)], "a worker outlived the build"
    finally:
        if process.poll() is None:  # pragma: no cover - only when the test itself fails
            process.kill()
            process.wait()
    assert process.returncode != 0


@pytest.mark.parametrize("jobs", [1, 2], ids=lambda n: f"jobs{n}")
@pytest.mark.parametrize(
    "sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name
)
def test_a_build_killed_mid_write_leaves_the_previous_site(
    sig: signal.Signals, jobs: int, fixture_site: Site, tmp_path: Path
) -> None:
    assert fixture_site.build().exit_code == 0
    previous = tree(fixture_site.output)
    for number in range(1, 601):  # enough pages that the build can be caught writing them
        fixture_site.write(f"articles/2023/bulk-{number}.en.md", bulk_article(number))
    around = sorted(p.name for p in tmp_path.iterdir())
    in_site = sorted(p.name for p in fixture_site.root.iterdir())

    _kill_mid_write(fixture_site, sig, jobs)

    assert tree(fixture_site.output) == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == around
    left = staging_folders(fixture_site)
    if sig == signal.SIGKILL:
        assert len(left) == 1  # no chance to clean up: the next build must
    else:
        assert left == []
    assert sorted(p.name for p in fixture_site.root.iterdir() if p not in left) == in_site

    result = fixture_site.build()  # the next build cleans up and publishes the new site
    assert result.exit_code == 0, result.output
    assert staging_folders(fixture_site) == []
    assert fixture_site.page("/en/2023/bulk-600/").is_file()
    assert "en/2023/bulk-1/index.html" in tree(fixture_site.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == around


def test_a_worker_killed_mid_write_fails_the_build_and_publishes_nothing(
    fixture_site: Site,
) -> None:
    """A worker that dies (the kernel's out-of-memory killer, a kill by hand) is a failed
    build: it says so in one line, with what to do, and the published site stays as it was."""
    assert fixture_site.build().exit_code == 0
    previous = tree(fixture_site.output)
    for number in range(1, 601):
        fixture_site.write(f"articles/2023/bulk-{number}.en.md", bulk_article(number))
    process = subprocess.Popen(
        [str(DOSSIER), "build", "--settings", "settings.py", "--jobs", "2"],
        cwd=fixture_site.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _until_writing(fixture_site, process)
        workers = _workers(process.pid)
        assert len(workers) == 2, "the build ended before a worker could be killed"
        os.kill(min(workers), signal.SIGKILL)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:  # pragma: no cover - only when the test itself fails
            process.kill()
            process.wait()
    assert process.returncode == 1
    assert output.splitlines()[-2:] == [
        (
            "A worker process of the build ended before its work was done (killed, or out of "
            "memory); nothing was published."
        ),
        "Build again; with less memory, give fewer jobs (--jobs or DOSSIER_JOBS).",
    ]
    assert "Traceback" not in output
    assert tree(fixture_site.output) == previous
    assert staging_folders(fixture_site) == []


# --- 2. bad input: a located error, or a correct build; never a traceback or a stray file ------
# Covered elsewhere, with the exact output: tests/fixtures/bad/ yaml-alias-bomb, python-tag,
# not-utf8, nul-byte, front-matter-unclosed, front-matter-missing, invalid-slug, slug-with-path,
# duplicate-id-across-kinds, entity-file-names-differ-by-case, article-file-names-differ-by-case,
# amends-cycle, circular-contained-in; the reader alone in tests/core/test_source.py.


def _outside(site: Site) -> list[str]:
    """Entries beside the site folder: a build must never add any."""
    return sorted(p.name for p in site.root.parent.iterdir())


@pytest.mark.parametrize(
    ("link", "shown"),
    [
        ("articles/2023/elsewhere.en.md", "content/articles/2023/elsewhere.en.md"),
        ("entities/topics/elsewhere.yaml", "content/entities/topics/elsewhere.yaml"),
        ("articles/2024", "content/articles/2024"),  # a linked folder
    ],
)
def test_a_link_to_a_file_outside_content_is_refused(
    fixture_site: Site, tmp_path: Path, link: str, shown: str
) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "elsewhere.en.md").write_text(
        (fixture_site.content / "articles/2023/summit.en.md")
        .read_text(encoding="utf-8")
        .replace("slug: summit", "slug: elsewhere")
        .replace("Kim Jong Un arrived", "SECRET-MARKER"),
        encoding="utf-8",
    )
    target = secret if link == "articles/2024" else secret / "elsewhere.en.md"
    (fixture_site.content / link).symlink_to(target)
    before = _outside(fixture_site)

    result = fixture_site.build()

    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        (
            f"{shown}:1:1: is a link to a file outside the content folder; "
            "copy the file into content/ instead"
        ),
        "Found 1 error in 1 file.",
    ]
    assert "Traceback" not in result.output
    assert not fixture_site.output.exists()
    assert _outside(fixture_site) == before


def test_crlf_line_endings_and_a_byte_order_mark_build_like_plain_files(
    fixture_site: Site,
) -> None:
    assert fixture_site.build().exit_code == 0
    plain = tree(fixture_site.output)
    for path in [
        fixture_site.content / "articles/2023/summit.en.md",
        fixture_site.content / "entities/actors/vladimir-putin.yaml",
    ]:
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    (fixture_site.content / "articles/2023/launches.en.md").write_bytes(
        (fixture_site.content / "articles/2023/launches.en.md").read_bytes().replace(b"\n", b"\r")
    )
    assert fixture_site.check().output == "All content is valid.\n"
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    html = BeautifulSoup(fixture_site.page("/en/2023/summit/").read_text("utf-8"), "html.parser")
    assert html.h1.get_text() == "Kim meets Putin at Vostochny"
    assert "\r" not in fixture_site.page("/en/2023/summit/").read_text("utf-8")
    stable = {k for k in plain if not k.startswith("pagefind/")}
    assert {k: v for k, v in tree(fixture_site.output).items() if k in stable} == {
        k: plain[k] for k in stable
    }


def test_a_10_mb_article_builds(fixture_site: Site) -> None:
    """Dossier sets no size limit: a huge article (a pasted transcript) simply builds. (How
    fast is the benchmark's business, in bench/, not a test's.)"""
    head = (fixture_site.content / "articles/2023/summit.en.md").read_text(encoding="utf-8")
    head = head.replace("slug: summit", "slug: transcript").replace(
        "about: [kim-putin-summit-2023]\n", ""
    )
    paragraph = "Kim Jong Un arrived by train, and the talks went on for hours. " * 12 + "\n\n"
    body = paragraph * (10_000_000 // len(paragraph))
    fixture_site.write(
        "articles/2023/transcript.en.md",
        head.split("---\n", 2)[0]
        + "---\n"
        + head.split("---\n", 2)[1]
        + "---\n"
        + body
        + "THE-END\n",
    )
    before = _outside(fixture_site)
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    page = fixture_site.page("/en/2023/transcript/").read_text(encoding="utf-8")
    assert "THE-END" in page
    assert len(page) > 10_000_000
    assert _outside(fixture_site) == before


@pytest.mark.parametrize("date", ["2999-01-01T00:00:00+00:00", "9999-12-31T23:00:00-02:00"])
def test_a_date_far_in_the_future_is_accepted_and_scheduled(fixture_site: Site, date: str) -> None:
    """A date the build time has not reached is a scheduled story (docs/scheduling.md): valid,
    built into nothing, and listed by ``dossier status`` with its time; even
    9999-12-31T23:00-02:00, which is past the last instant Python can hold in UTC."""
    source = fixture_site.content / "articles/2023/summit.en.md"
    year = date[:4]
    text = source.read_text(encoding="utf-8").replace(
        "date: 2023-09-13T13:00:00+02:00", f"date: {date}"
    )
    source.unlink()
    fixture_site.write(f"articles/{year}/summit.en.md", text)
    assert fixture_site.check().output == "All content is valid.\n"
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert not fixture_site.page(f"/en/{year}/summit/").exists()
    feed = json.loads((fixture_site.output / "en/feed.json").read_text(encoding="utf-8"))
    assert f"{HOST}/en/{year}/summit/" not in [item["url"] for item in feed["items"]]
    etree.parse(str(fixture_site.output / "en/feed.xml"))
    sitemap = etree.parse(str(fixture_site.output / "sitemap.xml"))
    assert f"{HOST}/en/{year}/summit/" not in [loc.text for loc in sitemap.iter("{*}loc")]
    status = fixture_site.run("status", "--format", "json")
    assert status.exit_code == 0, status.output
    scheduled = json.loads(status.output)["scheduled"]
    assert [(s["slug"], s["lang"], s["file"]) for s in scheduled] == [
        ("summit", "en", f"content/articles/{year}/summit.en.md")
    ]
    table = fixture_site.run("status")
    assert table.exit_code == 0
    # In TIMEZONE where that zone can hold it; else as written, with its own offset.
    when = "2999-01-01 01:00" if year == "2999" else "9999-12-31T23:00-02:00"
    (row,) = [line for line in table.output.splitlines() if line.startswith("scheduled")]
    assert when in [cell.strip() for cell in re.split(r"\s{2,}", row)]


def test_no_bad_input_case_writes_anything_or_shows_a_traceback(tmp_path: Path) -> None:
    """Every golden bad-input case, built for real: exit 1, no output, nothing beside the site."""
    cases = sorted(p for p in (FIXTURES / "bad").iterdir() if p.is_dir())
    for number, case in enumerate(cases):
        site = make_site(tmp_path / str(number) / "site", FIXTURES / "site" / "content", case)
        in_site = sorted(p.name for p in site.root.iterdir())
        result = site.build()
        assert result.exit_code == 1, case.name
        assert "Traceback" not in result.output, case.name
        assert not site.output.exists(), case.name
        # Beside the site only the check cache may appear (what read cleanly, for next time).
        after = sorted(p.name for p in site.root.iterdir() if p.name != "cache")
        assert after == in_site, case.name
        cached = site.root / "cache"
        assert not cached.exists() or [p.name for p in cached.iterdir()] == ["dossier-check.json"]
        assert [p.name for p in site.root.parent.iterdir()] == ["site"], case.name


# --- 4. every link of the built site resolves ----------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _ids(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        cache[path] = {t["id"] for t in html.find_all(id=True)} | {
            t["name"] for t in html.find_all("a", attrs={"name": True})
        }
    return cache[path]


def _broken(site: Site, source: Path, url: str, cache: dict[Path, set[str]]) -> str | None:
    """Why ``url``, found in ``source``, does not resolve; None when it does or is external."""
    parts = urlsplit(url)
    if parts.scheme in {"mailto", "tel", "data", "javascript"}:
        return None
    if (parts.scheme or parts.netloc) and f"{parts.scheme}://{parts.netloc}" != HOST:
        return None  # external: not ours to check offline
    if not parts.path and not parts.scheme:
        target = source  # '#x' or '?q' on the same page
    elif parts.path.startswith("/"):
        target = site.page(unquote(parts.path))
    else:
        target = source.parent / unquote(parts.path)
        if target.is_dir():
            target /= "index.html"
    if not target.is_file():
        return f"{url}: no file {target}"
    if parts.fragment and target.suffix == ".html" and parts.fragment not in _ids(target, cache):
        return f"{url}: no id '{parts.fragment}' in {target.relative_to(site.output)}"
    return None


def _html_links(page: BeautifulSoup):
    for tag in page.find_all(["a", "link", "img", "script", "source", "iframe"]):
        for attribute in ("href", "src"):
            if tag.get(attribute):
                yield tag[attribute]
        if tag.get("srcset"):
            for candidate in tag["srcset"].split(","):
                yield candidate.split()[0]


def test_every_link_of_the_built_site_resolves(fixture_site: Site) -> None:
    fixture_site.write("articles/2023/bulk-1.en.md", bulk_article(1))
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    output, cache, broken = fixture_site.output, {}, []
    counted = {"html": 0, "atom": 0, "json": 0, "sitemap": 0}

    def check(source: Path, url: str, kind: str) -> None:
        counted[kind] += 1
        if why := _broken(fixture_site, source, url.strip(), cache):
            broken.append(f"{source.relative_to(output)}: {why}")

    for path in sorted(output.rglob("*.html")):
        if path.is_relative_to(output / "pagefind"):
            continue
        for url in _html_links(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")):
            check(path, url, "html")
    for path in sorted(output.rglob("*.xml")):
        root = etree.parse(str(path)).getroot()
        if root.tag == f"{ATOM}feed":
            for link in root.iter(f"{ATOM}link"):
                check(path, link.attrib["href"], "atom")
            for uri in [
                *root.iter(f"{ATOM}id"),
                *root.iter(f"{ATOM}icon"),
                *root.iter(f"{ATOM}logo"),
            ]:
                if uri.text and uri.text.startswith(HOST):
                    check(path, uri.text, "atom")
        else:
            for loc in root.iter(f"{SITEMAP}loc"):
                check(path, loc.text or "", "sitemap")
    for path in sorted(output.rglob("feed.json")):
        feed = json.loads(path.read_text(encoding="utf-8"))
        urls = [feed.get("home_page_url"), feed.get("feed_url"), feed.get("icon"),
                feed.get("favicon")]  # fmt: skip
        for item in feed["items"]:
            urls += [item.get("url"), item.get("image"), item.get("banner_image")]
            urls += [a.get("url") for a in item.get("attachments", [])]
        for url in urls:
            if url:
                check(path, url, "json")

    assert broken == []
    assert all(counted.values()), counted
