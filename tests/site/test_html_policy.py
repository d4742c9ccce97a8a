"""An article's text in a real build: Markdown's extensions at work, embeds sandboxed, and the
sanitiser stopping what the check would have missed (the policy alone is tested in
tests/core/test_html_policy.py, the attacks in tests/core/test_html_attacks.py)."""

from __future__ import annotations

from dossier.validate import body as check

from ..conftest import Site
from ..support.pages import soup
from ..support.unsafe_html import unsafe
from .test_build import page

ARTICLE = "articles/2023/summit.en.md"
HOSTS = ("www.youtube-nocookie.com", "player.vimeo.com")


def write_text(site: Site, text: str) -> None:
    path = site.content / ARTICLE
    front = path.read_text(encoding="utf-8").split("---\n")[1]
    path.write_text(f"---\n{front}---\n{text}", encoding="utf-8")


def test_an_article_holds_markdowns_extensions_and_a_sandboxed_embed(fixture_site: Site) -> None:
    fixture_site.root.joinpath("settings.py").open("a").write(f"DOSSIER_EMBED_HOSTS = {HOSTS!r}\n")
    write_text(
        fixture_site,
        "Kim Jong Un arrived by train[^1] -- the <abbr title=\"Democratic People's Republic of "
        "Korea\">DPRK</abbr>'s leader.\n\n"
        '<iframe src="https://player.vimeo.com/video/76979871" title="Video: the arrival" '
        'sandbox="allow-top-navigation allow-scripts" loading="eager"></iframe>\n\n'
        "| year | launches |\n|:-----|---------:|\n| 2023 | 3 |\n\n"
        "Cosmodrome\n:   A launch site.\n\n"
        "```python\nprint('<b>')\n```\n\n"
        "[^1]: From Pyongyang.\n",
    )
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    assert "removed from the text" not in result.output
    text = page(fixture_site, "/en/2023/summit/").find("div", class_="body")
    assert unsafe(text.decode_contents(), HOSTS) == []
    assert text.find("sup", id="fnref:1").a["href"] == "#fn:1"
    assert text.find("li", id="fn:1") is not None
    assert text.find("th")["style"] == "text-align: left;"
    assert text.find("dt").get_text() == "Cosmodrome"
    assert text.find("code")["class"] == ["language-python"]
    assert "train1 – the" in text.get_text()  # the footnote mark, and smarty's dash
    embed = text.find("iframe")
    assert embed["src"] == "https://player.vimeo.com/video/76979871"
    assert embed["title"] == "Video: the arrival"
    assert embed["sandbox"] == [  # Beautiful Soup splits the tokens
        "allow-scripts",
        "allow-same-origin",
        "allow-presentation",
        "allow-popups",
        "allow-popups-to-escape-sandbox",
    ]
    assert embed["loading"] == "lazy"
    assert embed["referrerpolicy"] == "strict-origin-when-cross-origin"


def test_what_the_check_misses_never_reaches_a_page(fixture_site: Site, monkeypatch) -> None:
    """As if the check had a gap: the sanitiser removes the handler and the script, and the
    build names what it removed."""
    monkeypatch.setattr(check, "body_problems", lambda text, hosts: [])
    write_text(
        fixture_site,
        'Kim Jong Un arrived by train. <img src="images/x.png" alt="x" onerror="alert(1)">\n\n'
        "<script>alert(2)</script>\n\n"
        "[More](javascript:alert(3))\n",
    )
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    assert (
        "content/articles/2023/summit.en.md: removed from the text when it was rendered: "
        "'onerror' on <img>, <script>, 'href' on <a>"
    ) in result.output
    html = fixture_site.page("/en/2023/summit/").read_text(encoding="utf-8")
    assert "alert" not in html
    text = soup(fixture_site, "/en/2023/summit/").find("div", class_="body")
    assert unsafe(text.decode_contents(), ()) == []


def test_check_stops_the_build_before_anything_is_written(fixture_site: Site) -> None:
    write_text(fixture_site, "Kim Jong Un arrived by train.<script>alert(1)</script>\n")
    result = fixture_site.build()
    assert result.exit_code == 1
    assert "text: <script> is not allowed in an article: articles run no scripts" in result.output
    assert not fixture_site.output.exists()
