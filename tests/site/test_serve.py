"""`dossier serve`, the real command in a process of its own, against the sample site's build.

Every file the build writes is asked for: each must be served byte for byte as built, or be one
the server does not make yet, listed below with the reason (and then it must answer 404, so
that the list is shortened when a later change serves it).
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator

import pytest

from ..conftest import REPO, Site

# What the server does not serve yet: (what, which built files, why).
NOT_SERVED: list[tuple[str, Callable[[str, Site], bool], str]] = [
    (
        "feeds",
        lambda name, site: name.endswith(("feed.xml", "feed.json")),
        "written by publish.files from the model, not through a template",
    ),
    (
        "sitemaps and robots.txt",
        lambda name, site: name in {"sitemap.xml", "sitemap-news.xml", "robots.txt"},
        "written by publish.files at the end of a build",
    ),
    (
        "the search index",
        lambda name, site: name.startswith("pagefind/"),
        "Pagefind indexes the built pages; a served site has none",
    ),
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


class Server:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process, self.port = process, port

    def get(self, target: str) -> tuple[int, bytes, http.client.HTTPResponse]:
        """GET ``target`` sent as it is: http.client does not resolve ``..`` as browsers do."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", target)
            response = connection.getresponse()
            return response.status, response.read(), response
        finally:
            connection.close()


def start(site: Site) -> Server:
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(REPO / "plugins"), *sys.path])}
    process = subprocess.Popen(
        [sys.executable, "-m", "dossier", "serve", "--settings", "settings.py", "--port", "0"],
        cwd=site.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    first: list[str] = []
    reader = threading.Thread(target=lambda: first.append(process.stdout.readline()))
    reader.start()
    reader.join(timeout=120)
    line = first[0] if first else ""
    if not line.startswith("Serving http://127.0.0.1:"):
        process.kill()
        rest = process.communicate()[0]
        pytest.fail(f"dossier serve did not start: {line}{rest}")
    port = int(line.split(":")[2].split("/")[0])
    return Server(process, port)


@pytest.fixture(scope="module")
def server(sample_site: Site) -> Iterator[Server]:
    served = start(sample_site)
    yield served
    if served.process.poll() is None:
        served.process.kill()
        served.process.communicate()


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
        assert body == (sample_site.output / name).read_bytes(), f"{name} differs from the build's"
        same += 1
    pages = [n for n in built(sample_site) if n.endswith(".html")]
    assert all(not_served(n, sample_site) is None for n in pages)  # every page is served
    assert same > len(pages) > 100
    assert missing["feeds"]
    assert missing["sitemaps and robots.txt"]


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
    assert body == (sample_site.output / "404.html").read_bytes()


def test_ctrl_c_stops_the_server_cleanly(sample_site: Site) -> None:
    served = start(sample_site)
    assert served.get("/")[0] == 200
    served.process.send_signal(signal.SIGINT)
    output = served.process.communicate(timeout=30)[0]
    assert served.process.returncode == 0, output
    assert output.strip() == "Stopped."


def test_sigterm_stops_the_server_cleanly(sample_site: Site) -> None:
    served = start(sample_site)
    served.process.send_signal(signal.SIGTERM)
    output = served.process.communicate(timeout=30)[0]
    assert served.process.returncode == 0, output
    assert output.strip() == "Stopped."
