"""`dossier serve`, the real command in a process of its own, against the sample site's build.

Every file the build writes is asked for: each must be served byte for byte as built (a page
with the live-reload script the server adds taken out again), or be one the server does not
make, listed below with the reason (and then it must answer 404, so that the list is shortened
when a later change serves it). The search index is the last build's, served from the output
folder. How the server follows edits is in test_serve_live.py.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator

import pytest
from dossier.serve.inject import SCRIPT

from ..conftest import Site
from ..support.serving import Server, Stream, start

# What the server does not serve: (what, which built files, why).
NOT_SERVED: list[tuple[str, Callable[[str, Site], bool], str]] = [
    (
        "smaller copies of the articles' images",
        lambda name, site: name.startswith("images/") and not (site.content / name).is_file(),
        "made (and cached) by the build's ImageSizesGenerator",
    ),
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
    served = start(sample_site)
    yield served
    served.stop()


def built(site: Site) -> list[str]:
    return sorted(
        path.relative_to(site.output).as_posix()
        for path in site.output.rglob("*")
        if path.is_file()
    )


def url_of(name: str) -> str:
    return "/" + name.removesuffix("index.html")


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
            assert body.count(SCRIPT.encode()) == 1, name
            body = body.replace(SCRIPT.encode(), b"")
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
    assert body.replace(SCRIPT.encode(), b"") == (sample_site.output / "404.html").read_bytes()


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
