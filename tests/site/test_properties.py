"""Properties over generated input, on fixture sites: `check` never raises, valid articles
round-trip, and hostile text either gets a diagnostic or survives every output format intact.
That the reader alone never raises is in tests/core/test_source.py."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from dossier.read.source import read_article
from dossier.schemas import CONTROL, is_blank
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ..conftest import FIXTURES, Site, make_site
from ..support.strategies import front_matter_like

SLOW = settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
HOST = "https://dossier.example"
ARTICLE = "articles/2023/summit.en.md"


def fresh_site(root: Path) -> Site:
    shutil.rmtree(root, ignore_errors=True)
    return make_site(root, FIXTURES / "site" / "content")


# --- `check` never raises ------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(text=front_matter_like)
def test_check_never_raises_on_any_article(tmp_path_factory, text: str) -> None:
    site = fresh_site(tmp_path_factory.getbasetemp() / "check-any")
    site.write(ARTICLE, text.encode("utf-8", "surrogatepass"))
    result = site.check()  # catch_exceptions=False: an exception fails the test
    assert result.exit_code in {0, 1}
    assert "Traceback" not in result.output


# --- valid articles round-trip --------------------------------------------------------------------

REGISTRY = {
    "actors": ["kim-jong-un", "vladimir-putin", "north-korea", "un-security-council"],
    "locations": ["vostochny-cosmodrome", "country-north-korea"],
    "sanctions": ["unsc-resolution-1718", "unsc-resolution-1874"],
    "events": ["kim-putin-summit-2023"],
    "topics": ["ballistic-missiles"],
}
# Text the contract accepts: no control characters (bidirectional ones included), not blank.
plain_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip() == s and not CONTROL.search(s) and not is_blank(s))


@st.composite
def articles(draw) -> dict:
    data = {
        "title": draw(plain_text),
        "slug": draw(st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)),
        "lang": "en",
        "date": f"2023-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"
        f"T{draw(st.integers(0, 23)):02d}:00:00+02:00",
        "authors": ["anna-berger"],
        "summary": draw(plain_text),
    }
    for kind, ids in REGISTRY.items():
        chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
        if chosen:
            data[kind] = chosen
    listed = [i for kind in REGISTRY for i in data.get(kind, [])]
    if listed and draw(st.booleans()):
        data["about"] = [draw(st.sampled_from(listed))]
    return data


@settings(max_examples=25, deadline=None)
# A body may hold anything a UTF-8 text file holds (no lone surrogates) but the control
# characters other than tab and line ends, which check refuses where they are (NUL among them:
# tests/fixtures/bad).
@given(
    data=articles(),
    body=st.text(
        st.characters(codec="utf-8", exclude_categories=("Cc",), include_characters="\t\n\r"),
        max_size=200,
    ),
)
def test_a_valid_article_reads_back_the_same_and_passes_check(
    tmp_path_factory, data: dict, body: str
) -> None:
    site = fresh_site(tmp_path_factory.getbasetemp() / "round-trip")
    source = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path = site.write(f"articles/2023/{data['slug']}.en.md", f"---\n{source}---\n{body}")
    (site.content / ARTICLE).unlink()  # its slug could collide; the German version stands alone
    doc = read_article(path, "x.en.md")
    assert doc.problems == []
    assert doc.data == data
    result = site.check()
    assert result.exit_code == 0, result.output


# --- hostile strings: a clear diagnostic, or intact in every output ------------------------------

hostile = st.lists(
    st.sampled_from(
        [
            "</script>",
            "<script>alert(1)</script>",
            "]]>",
            "&amp;",
            "&",
            '"',
            "'",
            "\u202e",  # right-to-left override
            "\u200f",  # right-to-left mark
            "🇰🇵",
            "🚀",
            "\x1b",  # control characters: validation must refuse them
            "\x0b",
            "<!--",
            "{{ x }}",
            "Kim",
        ]
    ),
    min_size=1,
    max_size=6,
).map("".join)


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a double-quoted YAML scalar


@SLOW
@given(title=hostile, summary=hostile, name=hostile)
def test_hostile_text_is_refused_or_survives_every_format(
    tmp_path_factory, title: str, summary: str, name: str
) -> None:
    site = fresh_site(tmp_path_factory.getbasetemp() / "hostile")
    path = site.content / ARTICLE
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: Kim meets Putin at Vostochny", f"title: {_quoted(title)}")
    text = text.replace(
        "summary: Kim Jong Un and Vladimir Putin meet at the cosmodrome.",
        f"summary: {_quoted(summary)}",
    )
    path.write_text(text, encoding="utf-8")
    actor = site.content / "entities/actors/vladimir-putin.yaml"
    actor.write_text(
        actor.read_text(encoding="utf-8").replace("en: Vladimir Putin", f"en: {_quoted(name)}"),
        encoding="utf-8",
    )
    result = site.build()
    if any(CONTROL.search(s) or is_blank(s) for s in (title, summary, name)):
        assert result.exit_code == 1
        *problems, total, _ = result.output.splitlines()
        assert total.startswith("Found ")
        for line in problems:  # located, and worded for an editor
            assert re.fullmatch(
                r"content/\S+:\d+:\d+: [a-z.]+: (contains the control character .*|must not be "
                r"blank)",
                line,
            ), line
        assert not site.output.exists()
        return
    assert result.exit_code == 0, result.output

    html = BeautifulSoup(site.page("/en/2023/summit/").read_text("utf-8"), "html.parser")
    assert html.h1.get_text() == title
    graph = json.loads(html.find("script", type="application/ld+json").string)["@graph"]
    (news,) = [n for n in graph if n.get("@id") == f"{HOST}/en/2023/summit/#article"]
    assert news["headline"] == title
    assert news["description"] == summary
    assert name in {n.get("name") for n in graph}
    entity = BeautifulSoup(
        site.page("/en/actors/vladimir-putin/").read_text("utf-8"), "html.parser"
    )
    assert entity.h1.get_text() == name

    feed = json.loads((site.output / "en/feed.json").read_text(encoding="utf-8"))
    (item,) = [i for i in feed["items"] if i["url"] == f"{HOST}/en/2023/summit/"]
    assert item["title"] == title
    atom = etree.parse(str(site.output / "en/feed.xml")).getroot()
    ns = "{http://www.w3.org/2005/Atom}"
    assert title in [e.findtext(f"{ns}title") for e in atom.iter(f"{ns}entry")]
    for sitemap in site.output.glob("sitemap*.xml"):
        etree.parse(str(sitemap))
    news_map = (site.output / "sitemap-news.xml").read_text(encoding="utf-8")
    if "2023/summit" in news_map:
        titles = [
            e.text for e in etree.fromstring(news_map.encode()).iter() if e.tag.endswith("}title")
        ]
        assert title in titles
