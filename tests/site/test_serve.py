"""`dossier serve`, the real command in a process of its own, against the sample site's build.

Every file the build writes is asked for: each must be served byte for byte as built (a page
with the live-reload script the server adds taken out again), or be one the server does not
make, listed below with the reason (and then it must answer 404, so that the list is shortened
when a later change serves it). The search index is the last build's, served from the output
folder. The drafts, which the build never writes, are served too, at their addresses, marked
as drafts; `--published-only` leaves them out. How the server follows edits is in
test_serve_live.py.
"""

from __future__ import annotations

import http.client
import json
import signal
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from dossier.serve.inject import SCRIPT
from lxml import etree

from ..conftest import Site, catalogue
from ..support.pagefind import fragments
from ..support.sample import articles, drafts
from ..support.serving import Server, Stream, built, serving, start, url_of, without_script

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"

# What the server does not serve: (what, which built files, why).
NOT_SERVED: list[tuple[str, Callable[[str, Site], bool], str]] = [
    (
        "the published-site marker",
        lambda name, site: name == ".dossier-site",
        "marks a published folder; nothing to serve",
    ),
]


def not_served(name: str, site: Site) -> str | None:
    for what, matches, _why in NOT_SERVED:
        if matches(name, site):
            return what
    return None


@pytest.fixture(scope="module")
def server(sample_site: Site) -> Iterator[Server]:
    with serving(sample_site) as served:
        yield served


def test_every_page_and_static_file_is_served_as_built(sample_site: Site, server: Server) -> None:
    same, missing = 0, {what: 0 for what, _, _ in NOT_SERVED}
    for name in built(sample_site):
        status, body, _ = server.get(url_of(name))
        what = not_served(name, sample_site)
        if what is not None:
            assert status == 404, f"{name} is served now: take '{what}' off NOT_SERVED"
            missing[what] += 1
            continue
        assert status == 200, name
        file = (sample_site.output / name).read_bytes()
        assert SCRIPT.encode() not in file
        assert b"/_dossier/" not in file
        if name.endswith(".html"):
            body = without_script(body)
        assert body == file, f"{name} differs from the build's"
        same += 1
    pages = [n for n in built(sample_site) if n.endswith(".html")]
    assert all(not_served(n, sample_site) is None for n in pages)  # every page is served
    assert same > len(pages) > 100
    kinds = {
        name.rsplit(".", 1)[-1] for name in built(sample_site) if not not_served(name, sample_site)
    }
    assert {"html", "xml", "json", "txt", "css", "js", "pf_meta", "pf_fragment"} <= kinds
    assert missing["the published-site marker"] == 1


def parsed(body: bytes) -> BeautifulSoup:
    return BeautifulSoup(body.decode("utf-8"), "html.parser")


def assert_marked_draft(page: BeautifulSoup, title: str, lang: str) -> None:
    """A draft's page: its headline under a banner that says, in its language, that it is a
    draft; and no search engine is to index it."""
    assert page.html["lang"] == lang
    assert page.h1.get_text() == title
    (robots,) = page.head.find_all("meta", attrs={"name": "robots"})
    assert robots["content"] == "noindex"
    (banner,) = page.main.select(".draft-banner")
    assert banner.get_text(strip=True) == catalogue(lang)["draft_banner"]
    assert banner["role"] == "note"
    assert page.main.find(True) is banner  # first in the main content, before the headline


def test_a_draft_is_served_at_its_address_marked_as_a_draft(
    sample_site: Site, server: Server
) -> None:
    """Served as the article page it will be, under the draft banner, noindex; the build has
    no file at its address (and the pages the build has are served as built: see above, so a
    draft is listed on none of them)."""
    assert drafts()  # the sample site has one, so that it can be served
    for draft in drafts():
        assert not sample_site.page(draft["url"]).exists()
        status, body, _ = server.get(draft["url"])
        assert status == 200, draft["url"]
        assert_marked_draft(parsed(body), draft["title"], draft["lang"])


def test_a_published_page_carries_no_draft_banner_and_may_be_indexed(server: Server) -> None:
    published = next(a for a in articles() if a.get("status", "published") == "published")
    page = parsed(server.get(published["url"])[1])
    assert page.h1.get_text() == published["title"]
    assert not page.select(".draft-banner")
    assert not page.head.find_all("meta", attrs={"name": "robots"})


def test_a_draft_is_in_no_served_feed_sitemap_or_search_index(
    sample_site: Site, server: Server
) -> None:
    """What the server serves besides pages is made from the published articles only: a draft
    is in no feed (Atom and JSON Feed, the site's and every entity's), no sitemap, and not in
    the search index the server serves (the last build's, which never indexes a draft)."""
    urls = {draft["url"] for draft in drafts()}
    assert urls
    feeds = [n for n in built(sample_site) if n.endswith(("feed.xml", "feed.json"))]
    assert len(feeds) > 20
    linked: set[str] = set()
    for name in feeds:
        status, body, _ = server.get(url_of(name))
        assert status == 200, name
        if name.endswith(".json"):
            linked |= {item["url"] for item in json.loads(body)["items"]}
        else:
            root = etree.fromstring(body)
            linked |= {link.get("href") for link in root.iter(f"{{{ATOM}}}link")}
    paths = {urlsplit(url).path for url in linked if url}
    assert paths  # the feeds list published articles
    assert not paths & urls
    status, body, _ = server.get("/sitemap.xml")
    assert status == 200
    listed = {urlsplit(loc.text).path for loc in etree.fromstring(body).iter(f"{{{SITEMAP}}}loc")}
    assert len(listed) > 100
    assert not listed & urls
    indexed = set(fragments(sample_site.output))  # served as built (see above)
    assert len(indexed) == len(articles()) - len(drafts())  # every published article
    assert not indexed & urls


def test_published_only_serves_no_draft(sample_site: Site) -> None:
    """With --published-only, a draft's address is what it is on the published site: 404."""
    assert drafts()
    with serving(sample_site, "--published-only") as served:
        for draft in drafts():
            status, body, _ = served.get(draft["url"])
            assert status == 404, draft["url"]
            assert without_script(body) == (sample_site.output / "404.html").read_bytes()
        home = served.get("/de/")[1]
        assert without_script(home) == (sample_site.output / "de/index.html").read_bytes()


ENGLISH_TITLE = "The Security Council imposes sanctions"
ENGLISH_DRAFT = f"""\
---
title: {ENGLISH_TITLE}
slug: resolution
lang: en
date: 2006-10-14T20:00:00+02:00
authors: [anna-berger]
summary: A draft about Resolution 1718.
status: draft
sanctions: [unsc-resolution-1718]
about: [unsc-resolution-1718]
---
Not finished yet.
"""


def test_drafts_in_both_languages_are_served_in_theirs_and_never_built(fixture_site: Site) -> None:
    """The fixture site's German draft, with an English version that is a draft too: the build
    writes neither, nor names them, and the server shows each under its own language's banner,
    with no link to the other (a draft is no published language version)."""
    fixture_site.write("articles/2006/resolution.en.md", ENGLISH_DRAFT)
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    titles = {"de": "Der Sicherheitsrat verhängt Sanktionen", "en": ENGLISH_TITLE}
    for lang in titles:
        assert not fixture_site.page(f"/{lang}/2006/resolution/").exists()
    for path in fixture_site.output.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not [title for title in titles.values() if title in text], path
    with serving(fixture_site) as served:
        for lang, title in titles.items():
            status, body, _ = served.get(f"/{lang}/2006/resolution/")
            assert status == 200
            page = parsed(body)
            assert_marked_draft(page, title, lang)
            assert not page.select(".translation")
            alternates = page.head.select('link[rel="alternate"][hreflang]')
            assert [link["hreflang"] for link in alternates] == [lang, "x-default"]


def test_a_page_is_html_and_never_kept_by_the_browser(server: Server) -> None:
    status, _, response = server.get("/de/")
    assert status == 200
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("Cache-Control") == "no-store"


def test_a_folder_without_its_slash_is_redirected(server: Server) -> None:
    status, _, response = server.get("/de")
    assert status == 301
    assert response.getheader("Location") == "/de/"


@pytest.mark.parametrize(
    "target",
    [
        "/nowhere/",
        "/de/2023/no-such-article/",
        "/theme/css/none.css",
        "/images/../settings.py",
        "/theme/../../settings.py",
        "/%2e%2e/settings.py",
        "/images/..%2f..%2fsettings.py",
        "/images/..%5csettings.py",
        "/images/%00.png",
        "/./index.html",
    ],
)
def test_what_the_site_lacks_or_lies_outside_it_is_the_sites_404(
    sample_site: Site, server: Server, target: str
) -> None:
    status, body, _ = server.get(target)
    assert status == 404
    assert without_script(body) == (sample_site.output / "404.html").read_bytes()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example"])
def test_a_request_for_another_host_is_refused(server: Server, host: str) -> None:
    """Listening on this computer only, the server answers only for it: a page elsewhere that
    points its own name at 127.0.0.1 (DNS rebinding) cannot read the site, drafts included."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", drafts()[0]["url"], headers={"Host": host})
        response = connection.getresponse()
        assert response.status == 403
        assert b"Entwurf" not in response.read()
    finally:
        connection.close()
    for allowed in (f"127.0.0.1:{server.port}", f"localhost:{server.port}", "localhost"):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            connection.request("GET", "/de/", headers={"Host": allowed})
            assert connection.getresponse().status == 200, allowed
        finally:
            connection.close()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_sigterm_stop_the_server_cleanly_with_pages_listening(
    sample_site: Site, stop: signal.Signals
) -> None:
    served = start(sample_site)
    assert served.get("/")[0] == 200
    stream = Stream(served, "/")  # an open page's event stream does not hold the server up
    served.process.send_signal(stop)
    output = served.process.communicate(timeout=30)[0]
    stream.close()
    assert served.process.returncode == 0, output
    assert output.strip() == "Stopped."


def test_the_server_says_which_search_index_it_serves(sample_site: Site, server: Server) -> None:
    assert server.said(
        f"Search: the index of the last build ({sample_site.output / 'pagefind'}); "
        "dossier build makes it again"
    )
