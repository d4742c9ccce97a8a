"""Hostile text in every field that reaches the published site, built once, and every output
format parsed as its readers parse it: pages as a browser does (html5rdf, the HTML standard's
parser), the JSON-LD in them, feeds, sitemaps, robots.txt and the search index. The text must
show as it was written, and nothing in it may become markup, a script or a line of another
file. (The article text itself is sanitised: tests/site/test_html_policy.py.)"""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree.ElementTree import Comment, Element

import html5rdf
import pytest
from lxml import etree

from ..conftest import FIXTURES, Site, make_site
from ..support.pagefind import fragments

# One line that tries everything at once: closing the JSON-LD script, opening a comment (which
# inside a script keeps the next </script> from closing it), leaving an attribute, ending a CDATA
# section, Jinja's and str.format's syntax, an entity that must stay as typed, a quote, a
# right-to-left script, an emoji made of several code points.
HOSTILE = (
    "</script><!--<script>\"'><img src=x onerror=alert(1)>]]>{{ 7*7 }}{% raw %}{0}"
    "&amp;&lt;שלום 👩‍👩‍👧"
)
SUMMIT = "articles/2023/summit.en.md"


def hostile(tag: str) -> str:
    """The hostile line, marked with the field it went into."""
    return f"{HOSTILE} {tag}"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a double-quoted YAML scalar


def _localized(tag: str) -> str:
    return f"{{de: {_q(hostile(tag + '-de'))}, en: {_q(hostile(tag + '-en'))}}}"


def _set_names(site: Site, entry: str, tag: str) -> None:
    path = site.content / "entities" / entry
    text = re.sub(r"(?m)^name: .*$", f"name: {_localized(tag)}", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    site = make_site(tmp_path_factory.mktemp("hostile") / "site", FIXTURES / "site" / "content")
    article = site.content / SUMMIT
    text = article.read_text(encoding="utf-8")
    text = text.replace("title: Kim meets Putin at Vostochny", f"title: {_q(hostile('title'))}")
    text = text.replace(
        "summary: Kim Jong Un and Vladimir Putin meet at the cosmodrome.",
        f"summary: {_q(hostile('summary'))}",
    )
    text = text.replace(
        "sources:\n  - url: https://en.wikipedia.org/wiki/Vostochny_Cosmodrome\n"
        "    title: Vostochny Cosmodrome\n    publisher: Wikipedia\n",
        "image:\n  src: images/dossier-default-16x9.png\n"
        f"  alt: {_q(hostile('alt'))}\n  caption: {_q(hostile('caption'))}\n"
        f"  credit: {_q(hostile('credit'))}\n"
        "sources:\n  - url: https://example.org/a?q=%3Cscript%3E&b='1'\n"
        f"    title: {_q(hostile('source-title'))}\n"
        f"    publisher: {_q(hostile('source-publisher'))}\n    date: 2023-09-12\n",
    )
    article.write_text(text, encoding="utf-8")
    site.write(
        "entities/actors/kim-jong-un.yaml",
        f"type: Person\nname: {_localized('actor')}\ndescription: {_localized('description')}\n"
        f"wikidata: Q56226\naliases: [{_q(hostile('alias'))}]\n"
        f"job_title: {_localized('job')}\nnationality: country-north-korea\n"
        "same_as: ['https://example.org/kim?a=1&b=2']\nformerly: [kim-jong-il-junior]\n",
    )
    site.write(
        "entities/sanctions/unsc-resolution-1718.yaml",
        f"name: {_localized('sanction')}\nidentifier: {_q(hostile('identifier'))}\n"
        f"legislation_type: {_localized('legislation')}\n"
        "adopted: 2006-10-14\nadopted_by: un-security-council\n"
        "url: https://undocs.org/S/RES/1718(2006)\n",
    )
    site.write(
        "entities/authors/anna-berger.yaml",
        f"type: Person\nname: {_localized('author')}\njob_title: {_localized('author-job')}\n",
    )
    for entry, tag in (
        ("locations/vostochny-cosmodrome.yaml", "location"),
        ("events/kim-putin-summit-2023.yaml", "event"),
        ("topics/ballistic-missiles.yaml", "topic"),
    ):
        _set_names(site, entry, tag)
    with site.root.joinpath("settings.py").open("a", encoding="utf-8") as settings:
        settings.write(f"SITENAME = {hostile('sitename')!r}\n")
        settings.write("DOSSIER_NOW = '2023-09-14T00:00:00+00:00'\n")  # for the news sitemap
        settings.write(
            f"DOSSIER_PUBLISHER = dict(DOSSIER_PUBLISHER, name={hostile('publisher')!r})\n"
        )
    result = site.build()
    assert result.exit_code == 0, result.output
    return site


def parse(path: Path) -> Element:
    """A page as a browser's parser reads it."""
    return html5rdf.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False)


def pages(site: Site) -> list[Path]:
    return sorted(p for p in site.output.rglob("*.html") if "pagefind" not in p.parts)


def text_of(element: Element) -> str:
    return "".join(element.itertext())


SCRIPTS = {"application/ld+json", "module", "text/pagefind-template"}


def test_no_page_gains_an_element_an_attribute_or_a_comment(site: Site) -> None:
    problems = []
    for path in pages(site):
        where = path.relative_to(site.output).as_posix()
        for element in parse(path).iter():
            if element.tag is Comment:
                problems.append(f"{where}: a comment: {element.text[:40]!r}")
                continue
            if element.tag == "img" and element.get("src") == "x":
                problems.append(f"{where}: an <img> from the text")
            problems += [
                f"{where}: {name} on <{element.tag}>"
                for name in element.attrib
                if name.startswith("on")
            ]
            if element.tag == "script" and element.get("type") not in SCRIPTS:
                problems.append(f"{where}: a script of type {element.get('type')!r}")
            if element.tag == "script" and element.get("type") == "module":
                assert not (element.text or "").strip(), where  # loaded, never inline
    assert problems == []
    assert len(pages(site)) > 40


def test_every_string_shows_as_written(site: Site) -> None:
    article = parse(site.page("/en/2023/summit/"))
    assert text_of(article.find(".//title")) == f"{hostile('title')} · {hostile('sitename')}"
    assert text_of(article.find(".//h1")) == hostile("title")
    assert text_of(article.find(".//p[@class='summary']")) == hostile("summary")
    image = article.find(".//figure/img")
    assert image.get("alt") == hostile("alt")
    caption = text_of(article.find(".//figcaption"))
    assert caption == f"{hostile('caption')} Image: {hostile('credit')}"
    source = article.find(".//section[@class='sources']//li")
    assert text_of(source.find("a")) == hostile("source-title")
    assert source.find("a").get("href") == "https://example.org/a?q=%3Cscript%3E&b='1'"
    assert hostile("source-publisher") in text_of(source)
    assert text_of(article.find(".//a[@rel='author']")) == hostile("author-en")
    assert text_of(article.find(".//a[@class='brand']")) == hostile("sitename")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in article.iter("meta")}
    assert meta["description"] == hostile("summary")
    assert meta["og:title"] == meta["twitter:title"] == hostile("title")
    assert meta["og:description"] == hostile("summary")
    assert meta["og:image:alt"] == hostile("alt")
    assert meta["og:site_name"] == hostile("publisher")
    facts = [text_of(a) for a in article.iterfind(".//aside[@class='facts']//dd/a")]
    assert hostile("actor-en") in facts
    assert hostile("location-en") in facts

    entity = parse(site.page("/en/actors/kim-jong-un/"))
    assert text_of(entity.find(".//h1")) == hostile("actor-en")
    assert text_of(entity.find(".//p[@class='summary']")) == hostile("description-en")
    assert text_of(entity.find(".//p[@class='aliases']")) == f"Also known as: {hostile('alias')}"
    facts = [text_of(dd) for dd in entity.iterfind(".//dl[@class='entity-facts']/dd")]
    assert hostile("job-en") in facts
    sanction = parse(site.page("/de/sanktionen/unsc-resolution-1718/"))
    facts = [text_of(dd) for dd in sanction.iterfind(".//dl[@class='entity-facts']/dd")]
    assert hostile("identifier") in facts

    # The old address of a renamed entry: a redirect page, which names the entry too.
    moved = parse(site.page("/en/actors/kim-jong-il-junior/"))
    assert text_of(moved.find(".//title")) == f"{hostile('actor-en')} · {hostile('sitename')}"
    assert text_of(moved.find(".//main//a")) == hostile("actor-en")
    refresh = moved.find(".//meta[@http-equiv='refresh']")
    assert refresh.get("content") == "0; url=/en/actors/kim-jong-un/"


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_json_ld_holds_the_strings_and_cannot_close_its_script(site: Site) -> None:
    found = set()
    for path in pages(site):
        for script in parse(path).iter("script"):
            if script.get("type") != "application/ld+json":
                continue
            raw = script.text
            assert not re.search("[<>&\u2028\u2029]", raw), path
            found.update(s for s in _strings(json.loads(raw)) if HOSTILE in s)
    for tag in (
        "title",
        "summary",
        "caption",
        "credit",
        "source-title",
        "source-publisher",
        "actor-de",
        "actor-en",
        "description-en",
        "alias",
        "job-en",
        "identifier",
        "legislation-de",
        "sanction-en",
        "author-en",
        "author-job-en",
        "location-en",
        "event-de",
        "topic-en",
        "publisher",
    ):
        assert hostile(tag) in found, tag


def test_feeds_and_sitemaps_parse_and_hold_the_strings(site: Site) -> None:
    xml = sorted(site.output.rglob("*.xml"))
    assert len(xml) > 20
    titles = set()
    for path in xml:
        root = etree.fromstring(path.read_bytes())  # raises on a file that is not XML
        titles.update(t for t in root.itertext() if HOSTILE in t)
        titles.update(v for e in root.iter() for v in e.attrib.values() if HOSTILE in v)
    for path in sorted(site.output.rglob("feed.json")):
        feed = json.loads(path.read_text(encoding="utf-8"))
        titles.update(s for s in _strings(feed) if HOSTILE in s)
    for tag in ("title", "summary", "author-en", "topic-en"):
        assert hostile(tag) in titles, tag
    assert f"{hostile('publisher')} – {hostile('actor-de')}" in titles  # an entity's feed
    atom = etree.parse(site.page("/en/feed.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert atom.find("a:entry/a:title", ns).text == hostile("title")
    news = etree.parse(site.page("/sitemap-news.xml"))
    ns = {"n": "http://www.google.com/schemas/sitemap-news/0.9"}
    assert hostile("title") in [t.text for t in news.iterfind(".//n:title", ns)]
    assert [
        line.split(":")[0] for line in site.page("/robots.txt").read_text().split("\n") if line
    ] == ["User-agent", "Allow", "Sitemap", "Sitemap"]


def test_the_search_index_holds_the_text_as_written(site: Site) -> None:
    """Pagefind reads the page's text and its data-pagefind-meta; its result template escapes
    the title and summary, and the excerpt's text (search.js, pagefind-component-ui.js)."""
    summit = fragments(site.output)["/en/2023/summit/"]
    assert summit["meta"]["title"] == hostile("title")
    assert summit["meta"]["summary"] == hostile("summary")
    assert hostile("caption") in summit["content"]


# --- what the check refuses, and the build's own guard ------------------------------------------


@pytest.mark.parametrize("escape", ["\\uFFFE", "\\uFFFF", "\\uFDD0", "\\U0010FFFF"])
def test_a_noncharacter_is_refused(fixture_site: Site, escape: str) -> None:
    """XML cannot hold U+FFFE or U+FFFF: in a name, one made the entity's Atom feed unreadable."""
    path = fixture_site.content / "entities/actors/kim-jong-un.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("en: Kim Jong Un}", f'en: "Kim {escape}"}}'), encoding="utf-8")
    result = fixture_site.check()
    assert result.exit_code == 1
    assert f"name.en: contains U+{escape[2:].lstrip('0')}" in result.output
    assert "no character at all (character 5 of the text)" in result.output


@pytest.mark.parametrize(
    "url",
    [
        "https://dossier.example/\nDisallow: /",  # a line of robots.txt of its own
        'https://dossier.example/"><script>alert(1)</script>',
        "https://dossier.example/a b",
    ],
)
def test_a_site_address_a_url_cannot_be_is_refused(fixture_site: Site, url: str) -> None:
    with fixture_site.root.joinpath("settings.py").open("a", encoding="utf-8") as settings:
        settings.write(f"DOSSIER_SITE_URL = {url!r}\n")
    result = fixture_site.build()
    assert result.exit_code == 1
    assert f"DOSSIER_SITE_URL: must be an absolute http:// or https:// URL, not {url!r}" in (
        result.output
    )
    assert not fixture_site.output.exists()


def test_a_source_url_with_a_space_is_refused(fixture_site: Site) -> None:
    path = fixture_site.content / SUMMIT
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("wiki/Vostochny_Cosmodrome", "wiki/Vostochny Cosmodrome"))
    result = fixture_site.check()
    assert result.exit_code == 1
    assert (
        "sources[0].url: contains a space (character 40), which a URL cannot hold; copy the "
        "address from the browser's address bar (it writes a space as %20)"
    ) in result.output


def test_templates_escape_whatever_the_jinja_settings_say(fixture_site: Site) -> None:
    """Pelican's own JINJA_ENVIRONMENT escapes nothing: a settings file without the sample's
    line must not make every name markup."""
    with fixture_site.root.joinpath("settings.py").open("a", encoding="utf-8") as settings:
        settings.write("JINJA_ENVIRONMENT = {'trim_blocks': True, 'lstrip_blocks': True}\n")
    path = fixture_site.content / "entities/actors/kim-jong-un.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("en: Kim Jong Un}", 'en: "<img src=x onerror=alert(1)>"}'))
    result = fixture_site.build()
    assert result.exit_code == 0, result.output
    page = parse(fixture_site.page("/en/actors/kim-jong-un/"))
    assert text_of(page.find(".//h1")) == "<img src=x onerror=alert(1)>"
    assert [p for p in pages(fixture_site) if parse(p).find(".//img[@src='x']") is not None] == []
