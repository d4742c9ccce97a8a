"""render.links alone, with plain data: the links of an article's text as the build writes them
(tests/site/test_serve_links.py compares with a real build)."""

from __future__ import annotations

from dossier.render.links import Targets, attached, replace_links

TARGETS = Targets(
    "https://example.org/news",
    {"articles/2023/a.md": "en/2023/a/", "articles/2023/b.md": "en/2023/b/", "articles/d.md": ""},
    lambda path: path in {"images/x.png", "articles/2023/pics/y.png"},
)
SOURCE, PAGE = "articles/2023/a.md", "en/2023/a/"


def replaced(html: str) -> str:
    return replace_links(html, SOURCE, PAGE, TARGETS)


def test_static_and_filename_links_become_urls_after_siteurl() -> None:
    assert replaced('<a href="{static}/images/x.png?s=1#f">') == (
        '<a href="https://example.org/news/images/x.png?s=1#f">'
    )
    assert replaced("<img src='|static|../../images/x.png'>") == (
        "<img src='https://example.org/news/images/x.png'>"
    )
    assert (
        replaced('<a href="{filename}b.md#top">')
        == '<a href="https://example.org/news/en/2023/b/#top">'
    )
    assert replaced('<a href="{filename}../d.md">') == '<a href="https://example.org/news/">'


def test_attach_moves_the_file_beside_the_page() -> None:
    html = '<img src="{attach}/images/x.png"><img src="{attach}pics/y.png">'
    assert replaced(html) == (
        '<img src="https://example.org/news/en/2023/a/x.png">'
        '<img src="https://example.org/news/en/2023/a/pics/y.png">'
    )
    assert attached(html, SOURCE, PAGE, TARGETS) == {
        "en/2023/a/x.png": "images/x.png",
        "en/2023/a/pics/y.png": "articles/2023/pics/y.png",
    }


def test_what_names_nothing_is_left_as_written() -> None:
    for html in ['<a href="{static}/images/none.png">', '<a href="{tag}x">', "<p>{static}</p>"]:
        assert replaced(html) == html
