"""`dossier serve` follows every save: the real command on a copy of the sample content, edited
as an editor edits it, and asked for pages over HTTP until they show the change; the pages'
event streams are listened to for the reload the server pushes. Mistakes show over the last
good page and go when fixed; a broken template or settings file is shown, and the server
goes on."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ..conftest import REPO, Site, make_site
from ..support.serving import Server, Stream, start

ARTICLE = "articles/2023/missile-launches-sunan.de.md"
PAGE = "/de/2023/missile-launches-sunan/"
TOPIC = "/de/akteure/south-korea/"  # named by the article
UNRELATED = "/en/2006/resolution-1718/"  # an article of another year, naming other things


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    """A fresh copy of the sample content with a theme of its own (the tests break it)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    made = make_site(tmp_path / "site", REPO / "content")
    settings = made.root / "settings.py"
    theme = made.root / "theme"
    shutil.copytree(REPO / "theme", theme)
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text + f"THEME = {str(theme)!r}\n", encoding="utf-8")
    return made


@pytest.fixture
def server(site: Site) -> Iterator[Server]:
    served = start(site)
    yield served
    served.stop()


def edit(site: Site, relative: str, old: str, new: str) -> None:
    path = site.content / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def title(text: str) -> str:
    return BeautifulSoup(text, "html.parser").h1.get_text(" ", strip=True)


def problems(text: str) -> str | None:
    """The overlay's diagnostics as shown, or None when the page has no overlay."""
    found = BeautifulSoup(text, "html.parser").find(id="dossier-problems")
    return found.pre.get_text() if found else None


def test_the_topic_page_checked_here_names_the_article(server: Server) -> None:
    """The pages the tests below watch are what they are said to be."""
    status, body, _ = server.get(TOPIC)
    assert status == 200
    assert "Sunan" in body.decode()
    assert server.get(UNRELATED)[0] == 200


def test_a_new_title_shows_on_its_pages_which_alone_are_told_to_reload(
    site: Site, server: Server
) -> None:
    article, unrelated = Stream(server, PAGE), Stream(server, UNRELATED)
    topic = Stream(server, TOPIC)
    assert "Nordkorea feuert" in server.text(TOPIC)  # made, and kept as made until a save
    edit(site, ARTICLE, "\ntitle: Nordkorea feuert", "\ntitle: Nordkorea schießt")
    page = server.wait_for(PAGE, lambda status, text: "Nordkorea schießt" in text)
    assert title(page).startswith("Nordkorea schießt zwei ballistische Raketen")
    assert article.next() == "reload"
    assert topic.next() == "reload"  # its timeline lists the story by title
    assert "Nordkorea schießt" in server.text(TOPIC)
    assert unrelated.next(timeout=2.0) is None
    assert any(
        line.startswith(f"Updated (content/{ARTICLE}) in ") and line.endswith(" ms.")
        for line in server.errors
    )


def test_new_text_shows_at_once(site: Site, server: Server) -> None:
    stream = Stream(server, PAGE)
    path = site.content / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\nEin neuer Absatz.\n", encoding="utf-8")
    page = server.wait_for(PAGE, lambda status, text: "Ein neuer Absatz." in text)
    paragraphs = [p.get_text() for p in BeautifulSoup(page, "html.parser").find_all("p")]
    assert "Ein neuer Absatz." in paragraphs
    assert stream.next() == "reload"


def test_a_new_article_is_served_and_listed(site: Site, server: Server) -> None:
    text = (site.content / ARTICLE).read_text(encoding="utf-8")
    text = text.replace("slug: missile-launches-sunan", "slug: neuer-start")
    text = text.replace("\ntitle: Nordkorea feuert", "\ntitle: Neuer Start")
    text = text.replace("date: 2023-09-13T16:00:00+02:00", "date: 2023-12-30T10:00:00+01:00")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("modified:"))
    (site.content / "articles/2023/neuer-start.de.md").write_text(text + "\n", encoding="utf-8")
    page = server.wait_for("/de/2023/neuer-start/", lambda status, text: status == 200)
    assert title(page).startswith("Neuer Start")
    topic = BeautifulSoup(server.text(TOPIC), "html.parser")
    assert "/de/2023/neuer-start/" in [a.get("href") for a in topic.find_all("a")]


def test_a_mistake_shows_over_the_last_good_page_and_its_fix_removes_it(
    site: Site, server: Server
) -> None:
    stream = Stream(server, UNRELATED)
    hostile = "<img src=x onerror=alert(1)>"
    edit(site, ARTICLE, "actors:\n", f"actors:\n  - '{hostile}'\n")
    page = server.wait_for(PAGE, lambda status, text: problems(text) is not None)
    assert stream.next() == "reload"  # the overlay comes to every page
    shown = problems(page)
    expected = site.check().output  # exactly as dossier check prints them
    assert shown == expected.rstrip("\n")
    assert hostile in shown  # as text: escaped, never markup
    overlay = BeautifulSoup(page, "html.parser").find(id="dossier-problems")
    assert overlay.find("img") is None
    assert overlay.get("role") == "alert"
    assert title(page).startswith("Nordkorea feuert")  # the last good page, under it
    for line in expected.rstrip("\n").splitlines():  # the terminal says the same
        assert server.said(line), line
    # Every page shows it, not only the broken article's.
    assert problems(server.text(UNRELATED)) == shown
    edit(site, ARTICLE, f"  - '{hostile}'\n", "")
    page = server.wait_for(PAGE, lambda status, text: problems(text) is None)
    assert stream.next() == "reload"
    assert server.said("The content is valid again.")


def test_a_broken_template_is_shown_and_the_server_goes_on(site: Site, server: Server) -> None:
    template = site.root / "theme/templates/article.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("{% block", "{% if %}{% block", 1), encoding="utf-8")
    page = server.wait_for(PAGE, lambda status, text: status == 500)
    shown = problems(page)
    assert shown is not None
    assert "article.html:" in shown
    assert "TemplateSyntaxError" in shown
    assert server.get("/de/")[0] == 200  # the pages of other templates
    template.write_text(good, encoding="utf-8")
    page = server.wait_for(PAGE, lambda status, text: status == 200)
    assert problems(page) is None


def test_a_broken_settings_file_is_shown_and_fixing_it_recovers(site: Site, server: Server) -> None:
    settings = site.root / "settings.py"
    good = settings.read_text(encoding="utf-8")
    settings.write_text(good + "raise ValueError('no such newsroom')\n", encoding="utf-8")
    page = server.wait_for(PAGE, lambda status, text: problems(text) is not None)
    line = len(good.splitlines()) + 1
    assert problems(page) == (
        f"error: settings.py:{line}: reading the settings file raised ValueError: no such "
        "newsroom; fix the file, or name another"
    )
    assert title(page).startswith("Nordkorea feuert")  # the last good site, under it
    settings.write_text(good, encoding="utf-8")
    server.wait_for(PAGE, lambda status, text: problems(text) is None)


def test_content_with_errors_at_start_is_served_as_its_problems_until_fixed(site: Site) -> None:
    edit(site, ARTICLE, "\ntitle: Nordkorea", "\ntitle: [Nordkorea")
    served = start(site)
    try:
        status, body, _ = served.get(PAGE)
        assert status == 500
        assert "YAML syntax error" in problems(body.decode())
        assert served.said("No page can be shown until the problems above are fixed.")
        edit(site, ARTICLE, "\ntitle: [Nordkorea", "\ntitle: Nordkorea")
        page = served.wait_for(PAGE, lambda status, text: status == 200)
        assert problems(page) is None
    finally:
        served.stop()
