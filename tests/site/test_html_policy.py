"""An article's text in a real build: Markdown's extensions at work."""

from __future__ import annotations

from ..conftest import Site
from .test_build import page

ARTICLE = "articles/2023/summit.en.md"


def write_text(site: Site, text: str) -> None:
    path = site.content / ARTICLE
    front = path.read_text(encoding="utf-8").split("---\n")[1]
    path.write_text(f"---\n{front}---\n{text}", encoding="utf-8")


def test_an_article_holds_markdowns_extensions(fixture_site: Site) -> None:
    write_text(
        fixture_site,
        "Kim Jong Un arrived by train[^1] -- the DPRK's leader.\n\n"
        "| year | launches |\n|:-----|---------:|\n| 2023 | 3 |\n\n"
        "Cosmodrome\n:   A launch site.\n\n"
        "```python\nprint('<b>')\n```\n\n"
        "[^1]: From Pyongyang.\n",
    )
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    text = page(fixture_site, "/en/2023/summit/").find("div", class_="body")
    assert text.find("sup", id="fnref:1").a["href"] == "#fn:1"
    assert text.find("li", id="fn:1") is not None
    assert text.find("th")["style"] == "text-align: left;"
    assert text.find("dt").get_text() == "Cosmodrome"
    assert text.find("code")["class"] == ["language-python"]
    assert "train1 – the" in text.get_text()  # the footnote mark, and smarty's dash
