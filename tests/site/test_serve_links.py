"""`dossier serve` against a small site built for the cases the sample content lacks: an
article with an image of its own (whose page names its smaller copies in `srcset`) and a text
with every kind of intrasite link (`{static}`, `|static|`, `{attach}`, `{filename}` to an
article, to a translation, to a draft and to an image; with a query, a fragment, a
percent-encoded and an HTML-escaped address). Every file the build writes is served byte for
byte: the pages (without the live-reload script), the smaller copies, the attached file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup

from ..conftest import FIXTURES, Site, make_site
from ..support.images import png
from ..support.serving import Server, built, serving, url_of, without_script

IMAGE = """\
image:
  src: images/handshake.png
  alt: Kim and Putin shake hands
  caption: Kim and Putin at the cosmodrome
  credit: Example Agency
"""

LINKS = """
The [photo]({static}/images/handshake.png),
[from here]({static}../../images/handshake.png?size=1#top),
[spaced](|static|/images/with%20space.png), [escaped]({static}/images/handshake.png?a=1&amp;b=2),
![attached]({attach}/images/attached.png) and <img src="{static}/images/inline.png" alt="inline">.
Read [the launches]({filename}/articles/2023/launches.en.md#sanctions),
[in German]({filename}summit.de.md),
[a draft]({filename}../2006/resolution.de.md) and [the image]({filename}/images/handshake.png).
"""

# The links as the build writes them (Pelican's Article.content), SITEURL being empty.
EXPECTED = {
    "photo": "/images/handshake.png",
    "from here": "/images/handshake.png?size=1#top",
    "spaced": "/images/with space.png",
    "escaped": "/images/handshake.png?a=1&b=2",
    "the launches": "/en/2023/launches/#sanctions",
    "in German": "/de/2023/summit/",
    "a draft": "/",  # a draft has no address in the build
    "the image": "/images/handshake.png",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = make_site(tmp_path_factory.mktemp("links") / "site", FIXTURES / "site" / "content")
    site.write("images/handshake.png", png(1600, 900))
    for name in ("with space", "attached", "inline"):
        site.write(f"images/{name}.png", png(120, 80))
    path = site.content / "articles/2023/summit.en.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("---\nKim Jong Un arrived", f"{IMAGE}---\nKim Jong Un arrived")
    path.write_text(text + LINKS, encoding="utf-8")
    result = site.build()
    assert result.exit_code == 0, result.output
    return site


@pytest.fixture(scope="module")
def server(site: Site) -> Iterator[Server]:
    with serving(site) as served:
        yield served


def test_the_build_replaces_every_link(site: Site) -> None:
    """What the server must match: the build's text, with no placeholder left."""
    page = (site.output / "en/2023/summit/index.html").read_text(encoding="utf-8")
    body = BeautifulSoup(page, "html.parser")
    links = {a.get_text(): a["href"] for a in body.find_all("a") if a.get_text() in EXPECTED}
    assert links == EXPECTED
    assert body.find("img", alt="attached")["src"] == "/en/2023/summit/attached.png"
    assert body.find("img", alt="inline")["src"] == "/images/inline.png"
    assert not [mark for mark in ("{static}", "|static|", "{attach}", "{filename}") if mark in page]
    assert (site.output / "en/2023/summit/attached.png").is_file()
    assert not (site.output / "images/attached.png").exists()  # moved, not copied


def test_every_built_file_is_served_as_built(site: Site, server: Server) -> None:
    names = [name for name in built(site) if name != ".dossier-site"]
    for name in names:
        status, body, _ = server.get(url_of(name))
        assert status == 200, name
        if name.endswith(".html"):
            body = without_script(body)
        assert body == (site.output / name).read_bytes(), f"{name} differs from the build's"
    copies = {f"images/handshake-{width}w.png" for width in (480, 800, 1200)}
    assert copies <= set(names)  # the smaller copies were compared too
    assert {"en/2023/summit/index.html", "en/2023/summit/attached.png"} <= set(names)


def test_the_smaller_copies_are_made_into_the_builds_cache_only(site: Site) -> None:
    """With the build's cache emptied, the server makes each copy again, into that cache, the
    same bytes; nothing is written into the output folder."""
    cache = site.root / "cache" / "dossier-images"
    for cached in cache.iterdir():
        cached.unlink()
    before = {name: (site.output / name).stat().st_mtime_ns for name in built(site)}
    with serving(site) as served:
        for width in (480, 800, 1200):
            name = f"images/handshake-{width}w.png"
            status, body, _ = served.get(f"/{name}")
            assert status == 200
            assert body == (site.output / name).read_bytes()
    assert len([p for p in cache.iterdir() if p.suffix == ".png"]) == 3
    assert {name: (site.output / name).stat().st_mtime_ns for name in built(site)} == before
