"""The HTML policy of an article's text (plugins/dossier/data/html_policy.yaml): its data, the
reading of addresses, the check (validate/body.py) and the sanitiser (render/body.py), without
Pelican. The attacks are in test_html_attacks.py; the build in tests/site/test_html_policy.py."""

from __future__ import annotations

import runpy
from pathlib import Path

import markdown
import pytest
from dossier import settings
from dossier.data.html_policy import embed_host, load_html_policy, refused_scheme
from dossier.read.check_cache import CheckCache
from dossier.read.source import Document
from dossier.render.body import Sanitiser, markdown_options, render_body
from dossier.validate import body as check
from dossier.validate.body import body_problems, check_body

from ..conftest import REPO
from ..support.unsafe_html import unsafe
from .test_settings import MINIMAL

POLICY = load_html_policy()
HOSTS = settings.of(MINIMAL).embed_hosts  # the default
MARKDOWN = runpy.run_path(str(REPO / "pelicanconf.py"))["MARKDOWN"]  # the project's


@pytest.fixture(scope="module")
def render():
    md = markdown.Markdown(**markdown_options(MARKDOWN))
    sanitiser = Sanitiser(HOSTS)
    return lambda text: render_body(text, md, sanitiser)


# --- the data ---------------------------------------------------------------------------------


def test_the_policy_data_hangs_together() -> None:
    allowed = set(POLICY.tags) | POLICY.markdown_tags
    assert not allowed & POLICY.removed_with_content  # a tag is kept or removed, not both
    assert not allowed & set(POLICY.refused_tags)
    assert not set(POLICY.embed.set) & POLICY.tags[POLICY.embed.tag]  # Dossier's, not editors'
    assert set(POLICY.embed.required) <= POLICY.attributes(POLICY.embed.tag)
    assert all(len(words) == 2 for words in POLICY.refused_tags.values())
    assert all(len(words) == 2 for words in POLICY.refused_attributes.values())
    never = {"style", "class", "id", "srcdoc", "formaction", "target", "onclick", "onerror"}
    for tag in allowed:
        assert not never & POLICY.attributes(tag), tag
    assert POLICY.schemes == {"http", "https", "mailto"}


def test_the_embed_hosts_setting_is_checked() -> None:
    assert HOSTS == (
        "www.youtube-nocookie.com",
        "player.vimeo.com",
        "www.openstreetmap.org",
        "datawrapper.dwcdn.net",
    )
    hosts = ["Player.Vimeo.com", "https://www.youtube.com/embed", "maps"]
    chosen, problems = settings.read({**MINIMAL, "DOSSIER_EMBED_HOSTS": hosts}, files=False)
    hint = "write the host alone, e.g. 'player.vimeo.com': no https://, no path"
    assert [(d.field, d.message, d.hint) for d in problems] == [
        ("DOSSIER_EMBED_HOSTS", "'https://www.youtube.com/embed' is not a host name", hint),
        ("DOSSIER_EMBED_HOSTS", "'maps' is not a host name", hint),
    ]
    assert chosen.embed_hosts == HOSTS  # the default stands in for a wrong value
    chosen = settings.of({**MINIMAL, "DOSSIER_EMBED_HOSTS": ["Player.Vimeo.com"]})
    assert chosen.embed_hosts == ("player.vimeo.com",)
    assert settings.of({**MINIMAL, "DOSSIER_EMBED_HOSTS": []}).embed_hosts == ()


# --- addresses --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        ("https://example.org/", None),
        ("http://example.org/", None),
        ("mailto:desk@example.org", None),
        ("/de/2023/gipfel/", None),
        ("#fn:1", None),
        ("images/map.png", None),
        ("//example.org/x", None),  # another host, over the page's scheme: no script
        ("javascript:alert(1)", "javascript"),
        ("JaVaScRiPt:alert(1)", "javascript"),
        ("  javascript:alert(1)", "javascript"),
        ("\x01javascript:alert(1)", "javascript"),
        ("java\tscript:alert(1)", "javascript"),
        ("java\nscript:alert(1)", "javascript"),
        ("vbscript:msgbox(1)", "vbscript"),
        ("data:image/png;base64,AA", "data"),
        ("tel:+4930123", "tel"),
        ("java\x0bscript:alert(1)", "control character"),
        ("\ufffdjavascript:alert(1)", None),  # &#0;: a replacement character, then a path
    ],
)
def test_addresses_are_read_as_browsers_read_them(value: str, refused: str | None) -> None:
    assert refused_scheme(value, POLICY.schemes) == refused


@pytest.mark.parametrize(
    ("value", "host"),
    [
        ("https://www.youtube-nocookie.com/embed/x", "www.youtube-nocookie.com"),
        ("https://WWW.YouTube-NoCookie.com/embed/x", "www.youtube-nocookie.com"),
        (" https://player.vimeo.com/video/1", "player.vimeo.com"),
        ("http://player.vimeo.com/video/1", None),
        ("//player.vimeo.com/video/1", None),
        ("https://player.vimeo.com@evil.example/", None),
        ("https://evil.example\\@player.vimeo.com/", None),
        ("https://player.vimeo.com:8443/video/1", None),
        ("https://player.vimeo.com/video 1", None),
        ("https://[::1]/", None),
        ("javascript:alert(1)", None),
    ],
)
def test_an_embed_loads_from_a_plain_https_host(value: str, host: str | None) -> None:
    assert embed_host(value) == host


# --- the check -------------------------------------------------------------------------------

ALLOWED = """\
*[UN]: United Nations

The <abbr title="United Nations">UN</abbr> met. H<sub>2</sub>O, 10<sup>6</sup>, <mark>marked</mark>,
<kbd>Ctrl</kbd>, <small>small print</small>, <q cite="https://example.org/">quoted</q>,
<cite>Die Zeit</cite>, <dfn>a term</dfn>, <time datetime="2023-09-13">13 September</time>,
<del datetime="2023-09-14">old</del> <ins>new</ins>, a<br>break, long<wbr>word,
<span lang="ru">Путин</span>, <bdi dir="rtl">name</bdi>, <b>b</b> <i lang="la">i</i> <s>s</s>
<u>u</u>, <a href="https://example.org/" hreflang="en" title="More">a link</a>,
<a href="mailto:desk@example.org">mail</a>, <a href="/en/actors/kim-jong-un/">Kim</a>.

<figure>
<img src="images/map.png" alt="The cosmodrome" width="600" height="400">
<figcaption>The cosmodrome.</figcaption>
</figure>

<details open>
<summary>What we know</summary>
More.
</details>

<table>
<caption>Launches</caption>
<colgroup><col span="2"></colgroup>
<thead><tr><th scope="col" colspan="2">Year</th></tr></thead>
<tbody><tr><td rowspan="2">2023</td><td>3</td></tr></tbody>
<tfoot><tr><td colspan="2">Total</td></tr></tfoot>
</table>

<iframe src="https://www.youtube-nocookie.com/embed/x" title="Video: the arrival" width="560"
height="315" frameborder="0" allow="autoplay" allowfullscreen></iframe>

<blockquote cite="https://example.org/">Quoted.</blockquote>

<details markdown="1">
<summary>In Markdown</summary>

*Markdown* inside, with a [link](https://example.org/).
</details>

A footnote[^1], a -- dash... and a [reference][r].
{: lang="en" title="A paragraph" }

## A heading {: lang=de }

*Emphasis*{: lang=la }

| left | right |
|:-----|------:|
| 1    | 2     |

Term
:   Definition

```python
print("<b>")
```

[^1]: The note.

[r]: https://example.org/ "A title"
"""


def test_what_the_policy_allows_passes_the_check() -> None:
    assert body_problems(ALLOWED, HOSTS) == []


def test_what_the_policy_allows_passes_the_sanitiser_whole(render) -> None:
    """Nothing an editor may write or Markdown writes is removed; embeds get Dossier's
    attributes and lose the embed codes' obsolete ones."""
    body = render(ALLOWED)
    assert body.removed == []
    assert unsafe(body.html, HOSTS) == []
    for kept in [
        '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>',
        '<div class="footnote">',
        '<li id="fn:1">',
        '<a class="footnote-backref" href="#fnref:1" title="Jump back to footnote 1 in the text">',
        '<th style="text-align: left;">left</th>',
        '<td style="text-align: right;">2</td>',
        '<code class="language-python">print("&lt;b&gt;")',
        '<abbr title="United Nations">UN</abbr>',
        "<dl>\n<dt>Term</dt>\n<dd>Definition</dd>\n</dl>",
        "a – dash…",  # smarty's &ndash; and &hellip;, written as the characters
        '<p lang="en" title="A paragraph">',
        '<h2 lang="de">A heading</h2>',
        '<td rowspan="2">2023</td>',
        '<a href="https://example.org/" title="A title">reference</a>',
        "<p><em>Markdown</em> inside",
    ]:
        assert kept in body.html, kept
    assert "markdown=" not in body.html
    assert (
        '<iframe src="https://www.youtube-nocookie.com/embed/x" title="Video: the arrival" '
        'width="560" height="315" '
    ) in body.html
    assert "frameborder" not in body.html
    assert "allowfullscreen" not in body.html
    assert 'allow="fullscreen; picture-in-picture; encrypted-media"' in body.html
    assert 'loading="lazy"' in body.html
    assert 'referrerpolicy="strict-origin-when-cross-origin"' in body.html


def test_markdown_loads_the_extensions_it_is_configured_with() -> None:
    options = markdown_options(MARKDOWN)
    assert options["extensions"] == [
        "markdown.extensions.extra",
        "markdown.extensions.smarty",
    ]
    assert markdown_options({**MARKDOWN, "extensions": ["toc"]})["extensions"][0] == "toc"
    assert MARKDOWN.get("extensions") is None  # the setting itself is left as it was


def test_problems_are_located_in_the_file() -> None:
    body = (
        "First line.\n"
        "\n"
        "A [link](javascript:alert(1)) and <img src=x\n"
        "   onerror=alert(1)>.\n"
        "\n"
        "    <script>code</script>\n"
        "\n"
        "Last\n"
        "{: onclick=x }\n"
    )
    doc = Document(Path("a.md"), "content/articles/2023/a.en.md", body=body, body_line=14)
    assert [(d.line, d.column, d.field, d.code) for d in check_body(doc, HOSTS)] == [
        (16, 10, "text", "html-url"),
        (17, 4, "text", "html-attribute"),
        (22, 4, "text", "html-attribute"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "`<script>alert(1)</script>`",
        "``a ` <script>alert(1)</script>``",
        "```\n<script>alert(1)</script>\n```",
        "~~~ {.html}\n<script>alert(1)</script>\n~~~",
        "Para\n\n    <script>alert(1)</script>",
        "\t<script>alert(1)</script>",
        "- item\n\n        <script>alert(1)</script>",
        ">     <script>alert(1)</script>",
        "| `<script>` |\n|---|\n| `<img src=x onerror=alert(1)>` |",
        "## `<iframe src=https://evil.example/>`",
        "[`<script>`](https://example.org/)",
    ],
)
def test_code_is_text_and_never_reported(text: str) -> None:
    assert body_problems(text, HOSTS) == []


def test_a_text_that_passed_is_not_read_again(tmp_path: Path, monkeypatch) -> None:
    doc = Document(Path("a.md"), "a.md", body="A [link](https://example.org/).", body_line=5)
    cache = CheckCache(tmp_path / "cache.json", "1")
    assert list(check_body(doc, HOSTS, cache)) == []
    cache.save()
    again = CheckCache(tmp_path / "cache.json", "1")

    def fail(text, hosts):
        raise AssertionError("read again")

    monkeypatch.setattr(check, "body_problems", fail)
    assert list(check_body(doc, HOSTS, again)) == []
    with pytest.raises(AssertionError):  # other embed hosts: another verdict
        list(check_body(doc, ("player.vimeo.com",), again))


def test_a_text_with_problems_is_always_read_again(tmp_path: Path) -> None:
    doc = Document(Path("a.md"), "a.md", body="<script>x</script>", body_line=5)
    cache = CheckCache(tmp_path / "cache.json", "1")
    assert len(list(check_body(doc, HOSTS, cache))) == 1
    cache.save()
    assert len(list(check_body(doc, HOSTS, CheckCache(tmp_path / "cache.json", "1")))) == 1


def test_no_embed_host_allows_no_embed() -> None:
    text = '<iframe src="https://player.vimeo.com/video/1" title="Video"></iframe>'
    assert body_problems(text, HOSTS) == []
    [found] = body_problems(text, ())
    assert found.message == "embeds from player.vimeo.com are not allowed"
    assert found.hint == "DOSSIER_EMBED_HOSTS is empty: this site allows no embeds"


# --- the sanitiser ----------------------------------------------------------------------------


def test_the_sanitiser_removes_what_the_policy_does_not_allow() -> None:
    """HTML no check has seen (as if it had missed it): the sanitiser alone."""
    sanitiser = Sanitiser(HOSTS)
    dirty = (
        '<p onclick="x" style="color:red" class="lead" id="main">a'
        '<script>alert(1)</script><a href="javascript:alert(1)" target="_blank">b</a>'
        '<q cite="javascript:alert(1)">c</q><!-- note --><img src="data:image/png;base64,AA">'
        '<iframe src="https://evil.example/" title="x" srcdoc="y"></iframe>'
        '<td style="color:red">d</td><code class="x">e</code><sup id="main">f</sup></p>'
    )
    clean = sanitiser.clean(dirty)
    assert unsafe(clean, HOSTS) == []
    assert "alert" not in clean
    assert "note" not in clean
    assert "evil" not in clean


def test_the_sanitiser_knows_no_host_the_setting_does_not_name() -> None:
    html = '<iframe src="https://player.vimeo.com/video/1" title="Video"></iframe>'
    assert 'src="https://player.vimeo.com/video/1"' in Sanitiser(HOSTS).clean(html)
    assert "src=" not in Sanitiser(["www.youtube-nocookie.com"]).clean(html)
