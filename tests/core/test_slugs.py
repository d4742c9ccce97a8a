"""Slugs from titles in the newsroom's languages and in other scripts (dossier.slugs), and
`dossier new article` making its slug from the title, through the real entry point."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from dossier.schemas import load_schemas
from dossier.slugs import LENGTH, slugify
from hypothesis import given
from hypothesis import strategies as st

from ..conftest import REPO, Site, make_site

ID_PATTERN = load_schemas(REPO / "schema").id_pattern
EPOCH = "1796198400"  # 2026-12-02 08:00 UTC


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Größere Lücken bei Öl-Sanktionen", "groessere-luecken-bei-oel-sanktionen"),
        ("ÜBER DIE STRASSE: Äpfel, Öfen, Übel", "ueber-die-strasse-aepfel-oefen-uebel"),
        ("Grenzübergang Tumen: Straßenbrücke", "grenzuebergang-tumen-strassenbruecke"),
        ("North Korea's launch fails — again", "north-koreas-launch-fails-again"),
        ("Kim and Putin meet at Vostochny (2023)", "kim-and-putin-meet-at-vostochny-2023"),
        ("Шойгу прибыл в Пхеньян", "shoigu-pribyl-v-pkhenian"),
        ("Ким Чен Ын на космодроме Восточный", "kim-chen-yn-na-kosmodrome-vostochnyi"),
        ("김정은, 블라디보스토크 도착", "gimjeongeun-beulradiboseutokeu-docag"),
        ("Kim Jong U\u0308n", "kim-jong-uen"),  # the ü written as u and a combining diaeresis
        ("Ｆｕｌｌ ｗｉｄｔｈ", "full-width"),
    ],
)  # fmt: skip
def test_titles_become_slugs(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert re.fullmatch(ID_PATTERN, slug)


@pytest.mark.parametrize("title", ["!!!", "«—»", "…?!", "🚀🚀", "   ", ""])
def test_a_title_of_punctuation_alone_makes_no_slug(title: str) -> None:
    assert slugify(title) == ""


def test_a_long_title_stops_at_a_word() -> None:
    title = (
        "Nordkorea feuert erneut ballistische Raketen ab – Japan und Südkorea reagieren mit "
        "gemeinsamer Übung"
    )
    whole = slugify(title, length=1000)
    slug = slugify(title)
    assert slug == "nordkorea-feuert-erneut-ballistische-raketen-ab-japan-und"
    assert len(slug) <= LENGTH
    assert whole.startswith(f"{slug}-")
    assert slugify("A" * 70) == "a" * LENGTH  # one word longer than the limit is cut in it


@given(st.text(max_size=120))
def test_any_text_makes_a_valid_slug_or_none(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or re.fullmatch(ID_PATTERN, slug)
    assert len(slug) <= LENGTH


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return make_site(tmp_path / "site", REPO / "content")


@pytest.mark.parametrize(
    ("lang", "title", "slug"),
    [
        ("de", "Größere Lücken bei Öl-Sanktionen", "groessere-luecken-bei-oel-sanktionen"),
        ("de", "Шойгу прибыл в Пхеньян", "shoigu-pribyl-v-pkhenian"),
        ("en", "김정은, 블라디보스토크 도착", "gimjeongeun-beulradiboseutokeu-docag"),
    ],
)
def test_new_article_makes_its_slug_from_a_title_in_any_script(
    sample: Site, lang: str, title: str, slug: str
) -> None:
    result = sample.run(
        "new", "article", "--lang", lang, "--title", title, "--author", "anna-berger"
    )
    assert result.exit_code == 0, result.output
    path = sample.content / f"articles/2026/{slug}.{lang}.md"
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert (front["slug"], front["title"]) == (slug, title)
    assert front["date"].isoformat() == "2026-12-02T09:00:00+01:00"  # Berlin in winter


def test_new_article_asks_for_a_slug_when_the_title_makes_none(sample: Site) -> None:
    result = sample.run(
        "new", "article", "--lang", "de", "--title", "!!!", "--author", "anna-berger"
    )
    assert result.exit_code == 2
    assert "Invalid value" not in result.output
    assert result.output.strip().splitlines()[-1] == (
        "Error: the title '!!!' has no letter or digit to make a slug from; choose one with "
        "--slug: lowercase letters a-z, digits and single hyphens"
    )
    assert not (sample.content / "articles/2026").exists()
    given_slug = sample.run(
        "new", "article", "--lang", "de", "--title", "!!!", "--slug", "ausrufe", "--author",
        "anna-berger",
    )  # fmt: skip
    assert given_slug.exit_code == 0, given_slug.output
    assert (sample.content / "articles/2026/ausrufe.de.md").is_file()
