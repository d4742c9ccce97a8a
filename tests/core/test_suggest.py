"""The suggest stage alone, on plain data: names found in texts whatever their inflection and
case, as whole words, the longest first; the notes on an article, located in its file, with the
line to add; what silences them. The command is driven in test_suggest_command.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from dossier.read.corpus import Corpus, EntityFile
from dossier.read.source import Document, read_article
from dossier.schemas import load_schemas
from dossier.suggest import suggest
from dossier.suggest.names import Lexicon, Names
from dossier.suggest.words import Folding, visible

from ..conftest import REPO

REGISTRY: dict[str, tuple[str, dict[str, Any]]] = {
    "vladimir-putin": ("actors", {"name": {"de": "Wladimir Putin", "en": "Vladimir Putin"}}),
    "kim-jong-un": (
        "actors",
        {"name": {"de": "Kim Jong Un", "en": "Kim Jong Un"}, "aliases": ["Kim Jong-un"]},
    ),
    "kim-family": (
        "topics",
        {"name": {"de": "Familie Kim", "en": "Kim family"}, "aliases": ["Kim"]},
    ),
    "north-korea": ("actors", {"name": {"de": "Nordkorea", "en": "North Korea"}}),
    "country-north-korea": ("locations", {"name": {"de": "Nordkorea", "en": "North Korea"}}),
    "russia": ("actors", {"name": {"de": "Russland", "en": "Russia"}}),
    "security-council": (
        "actors",
        {
            "name": {"de": "UN-Sicherheitsrat", "en": "UN Security Council"},
            "aliases": ["Sicherheitsrat"],
        },
    ),
    "united-nations": (
        "actors",
        {"name": {"de": "Vereinte Nationen", "en": "United Nations"}, "aliases": ["UN"]},
    ),
    "united-states": (
        "actors",
        {"name": {"de": "Vereinigte Staaten", "en": "United States"}, "aliases": ["US", "USA"]},
    ),
    "yellow-sea": ("locations", {"name": {"de": "Gelbes Meer", "en": "Yellow Sea"}}),
    "sea-of-japan": ("locations", {"name": {"de": "Japanisches Meer", "en": "Sea of Japan"}}),
    "summit-2023": ("events", {"name": {"de": "Kim-Putin-Gipfel 2023", "en": "2023 summit"}}),
    "anna-berger": ("authors", {"name": {"de": "Anna Berger", "en": "Anna Berger"}}),
}


def entities() -> list[EntityFile]:
    return [
        EntityFile(kind, entry_id, Document(Path(f"/r/{kind}/{entry_id}.yaml"),
                                            f"content/entities/{kind}/{entry_id}.yaml", data))
        for entry_id, (kind, data) in REGISTRY.items()
    ]  # fmt: skip


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.of(entities(), ["actors", "locations", "sanctions", "events", "topics"])


def named(lexicon: Lexicon, lang: str, text: str) -> list[tuple[str, ...]]:
    """The entries of each name found in ``text``, in its order (overlaps resolved)."""
    names = lexicon.matcher(lang)
    return [m.ids for m in names.find(names.folding.line(text))[0]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wladimir Putins Besuch", "vladimir-putin"),
        ("die Raketen Nordkoreas", "north-korea"),
        ("eine Sitzung des UN-Sicherheitsrats", "security-council"),
        ("eine Sitzung des Sicherheitsrates", "security-council"),
        ("die Interessen Russlands", "russia"),
        ("vor den Vereinten Nationen", "united-nations"),
        ("die Charta der Vereinten Nationen", "united-nations"),
        ("sie stürzte ins Gelbe Meer", "yellow-sea"),
        ("am Ufer des Gelben Meeres", "yellow-sea"),
        ("in Richtung Japanisches Meer", "sea-of-japan"),
        ("über dem Japanischen Meer", "sea-of-japan"),
        ("mit den Vereinigten Staaten", "united-states"),
        ("NORDKOREA und nordkorea", "north-korea"),  # capitals: an abbreviation, not the name
        ("am Kim-Putin-Gipfel 2023 teilgenommen", "summit-2023"),
    ],
)
def test_german_names_are_found_in_every_inflection(
    lexicon: Lexicon, text: str, expected: str
) -> None:
    found = [i for ids in named(lexicon, "de", text) for i in ids]
    assert expected in found, found


def test_a_name_in_capitals_is_an_abbreviation_and_other_words_are_not(lexicon: Lexicon) -> None:
    assert named(lexicon, "en", "the US and the UN") == [("united-states",), ("united-nations",)]
    assert named(lexicon, "en", "let us meet; un café") == []
    assert named(lexicon, "en", "kim jong-un") == [("kim-jong-un",)]  # case, hyphen
    assert named(lexicon, "en", "north korea's missiles") == [
        ("north-korea", "country-north-korea")
    ]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "die Nordkoreaner"),
        ("de", "nordkoreanische Raketen"),
        ("en", "North Korean missiles"),
        ("en", "the Russian president"),
        ("de", "Russen und Kimchi"),
        ("en", "Unsung heroes of the USSR"),
        ("en", "summit talks"),
    ],
)
def test_a_name_is_never_found_inside_a_longer_word(lexicon: Lexicon, lang: str, text: str) -> None:
    assert named(lexicon, lang, text) == []


def test_the_longest_name_wins_where_names_overlap(lexicon: Lexicon) -> None:
    names = lexicon.matcher("en")
    line = names.folding.line("Kim Jong Un met the UN Security Council; Kim left.")
    mentions, anywhere = names.find(line)
    assert [m.ids for m in mentions] == [("kim-jong-un",), ("security-council",), ("kim-family",)]
    # Every entry is named somewhere, even inside a longer name: the unnamed check needs that.
    assert {"kim-family", "united-nations"} <= anywhere


def test_folding_takes_endings_off_down_to_three_letters() -> None:
    german = Folding.of("de")
    assert german.words("Vereinte Vereinten Vereintes") == ["vereint"] * 3
    assert german.words("Meer Meeres") == ["meer", "meer"]  # "me" would be too short
    assert german.words("UN USA") == ["UN", "USA"]
    assert Folding.of("en").words("missiles missile its") == ["missile", "missile", "its"]


def test_what_a_reader_does_not_see_is_no_text() -> None:
    text = "See [the report](https://example.org/Kim_Jong_Un) <span title='Putin'>here</span>"
    shown = visible(text)
    assert len(shown) == len(text)
    assert "Kim" not in shown
    assert "Putin" not in shown
    assert "the report" in shown
    assert "here" in shown


def test_an_empty_registry_finds_nothing() -> None:
    names = Names([], Folding.of("en"))
    assert names.find(" anything at all ") == ([], set())


# --- notes on an article ------------------------------------------------------------------------


ARTICLE = """\
---
title: A meeting as North Korea fires missiles
slug: summit
lang: {lang}
date: 2023-09-13T12:30:00+02:00
authors: [anna-berger]
summary: {summary}
actors:
  - kim-jong-un
  - united-nations
locations: [sea-of-japan]
events: []
{extra}---
Kim Jong Un met Vladimir Putin in Russia.

The missiles flew toward the Sea of Japan, the US said. Russia denied it.
"""


def notes(
    tmp_path: Path,
    lang: str = "en",
    summary: str = "A meeting.",
    extra: str = "",
    replaced: dict[str, str] | None = None,
):
    """The notes on ``ARTICLE``, as written with those values (``replaced``: old -> new text)."""
    text = ARTICLE.format(lang=lang, summary=summary, extra=extra)
    for old, new in (replaced or {}).items():
        text = text.replace(old, new)
    path = tmp_path / f"summit.{lang}.md"
    path.write_text(text, encoding="utf-8")
    doc = read_article(path, f"content/articles/2023/summit.{lang}.md")
    assert not doc.problems
    corpus = Corpus(articles=[doc], entities=entities())
    return suggest(corpus, load_schemas(REPO / "schema"))


def test_each_entry_named_but_not_referenced_is_a_note_where_it_is_first_named(
    tmp_path: Path,
) -> None:
    found = {n.message.split(",")[0]: n for n in notes(tmp_path) if n.code == "suggest"}
    assert set(found) == {
        "names 'North Korea': the actor 'north-korea' or the location 'country-north-korea'",
        "names 'Vladimir Putin'",
        "names 'Russia' (2 times)",
        "names 'US'",
    }
    putin = found["names 'Vladimir Putin'"]
    assert (putin.line, putin.column, putin.field, putin.severity) == (14, 17, "text", "note")
    assert putin.message.endswith(
        "the actor 'vladimir-putin', which the article does not reference"
    )
    # The exact line to paste, with the list's own indentation, and where.
    assert putin.hint == (
        "add the line '  - vladimir-putin' to actors, after line 10; or, if the article is not "
        "about it, add 'vladimir-putin' to not_about"
    )
    korea = found[
        "names 'North Korea': the actor 'north-korea' or the location 'country-north-korea'"
    ]
    assert (korea.line, korea.column, korea.field) == (2, 21, "title")
    assert korea.hint.startswith(
        "add the line '  - north-korea' to actors, after line 10; or make line 11 "
        "'locations: [sea-of-japan, country-north-korea]'"
    )
    assert found["names 'US'"].hint.startswith("add the line '  - united-states' to actors")
    russia = found["names 'Russia' (2 times)"]
    assert (russia.line, russia.column) == (14, 35)


def test_letters_typed_with_combining_accents_leave_the_notes_where_they_are(
    tmp_path: Path,
) -> None:
    """Text copied from some programs spells 'é' as 'e' and a combining accent (NFD): the
    words are the same, and a note after such a letter quotes and locates the name as typed."""
    plain = {n.message.split(",")[0]: n for n in notes(tmp_path) if n.code == "suggest"}
    decomposed = notes(
        tmp_path,
        replaced={"Kim Jong Un met": "Cafe\u0301 re\u0301sume\u0301, Kim Jong Un met"},
    )
    found = {n.message.split(",")[0]: n for n in decomposed if n.code == "suggest"}
    assert set(found) == set(plain)
    putin = found["names 'Vladimir Putin'"]
    # Fifteen characters more before it on its line: 'Café résumé, ' typed with three marks.
    assert (putin.line, putin.column) == (14, plain["names 'Vladimir Putin'"].column + 16)
    russia = found["names 'Russia' (2 times)"]
    assert (russia.line, russia.column) == (14, 35 + 16)


def test_an_empty_or_missing_list_gets_the_whole_line(tmp_path: Path) -> None:
    found = notes(tmp_path, summary="The 2023 summit.")
    summit = next(n for n in found if "summit-2023" in n.message)
    assert (summit.line, summit.column, summit.field) == (7, 14, "summary")
    assert summit.hint.startswith("make line 12 'events: [summit-2023]'")
    missing = notes(tmp_path, summary="The 2023 summit.", replaced={"events: []\n": ""})
    summit = next(n for n in missing if "summit-2023" in n.message)
    assert summit.hint.startswith("add the line 'events: [summit-2023]' to the front matter")


def test_quoted_values_are_located_inside_the_quotes(tmp_path: Path) -> None:
    found = notes(tmp_path, summary='"Russia: a visit."')
    russia = next(n for n in found if "'Russia'" in n.message)
    assert (russia.line, russia.column, russia.field) == (7, 11, "summary")
    assert "(3 times)" in russia.message


def test_not_about_and_any_reference_silence_a_suggestion(tmp_path: Path) -> None:
    quiet = notes(
        tmp_path,
        extra="not_about: [russia, vladimir-putin, country-north-korea]\n",
    )
    messages = " ".join(n.message for n in quiet if n.code == "suggest")
    assert "russia" not in messages
    assert "vladimir-putin" not in messages
    # One of the entries of a shared name is enough: the reader of "North Korea" is served.
    assert "north-korea" not in messages
    assert "united-states" in messages


def test_a_referenced_actor_or_location_the_text_never_names_is_a_note_on_its_reference(
    tmp_path: Path,
) -> None:
    found = notes(
        tmp_path,
        lang="de",
        replaced={"Sea of Japan": "Ostsee", "events: []": "events: [summit-2023]"},
    )
    unnamed = [(n.line, n.column, n.field) for n in found if n.code == "unnamed"]
    # Neither the UN nor the Sea of Japan is named; Kim Jong Un is; an event's name
    # describes it, so that it is not named says nothing.
    assert unnamed == [(10, 5, "actors[1]"), (11, 13, "locations[0]")]
    sea = next(n for n in found if n.field == "locations[0]")
    assert sea.message == (
        "references 'sea-of-japan', but the text never names it ('Japanisches Meer')"
    )
    assert sea.hint == (
        "if the text calls it otherwise, add that name to its aliases "
        "(content/entities/locations/sea-of-japan.yaml); if it is not about it, remove the "
        "reference"
    )
    # A name inside a longer one counts: "UN" in "UN Security Council".
    named = notes(tmp_path, lang="de", replaced={"the US said": "der UN-Sicherheitsrat"})
    assert "actors[1]" not in [n.field for n in named if n.code == "unnamed"]


def test_authors_are_never_suggested(tmp_path: Path) -> None:
    found = notes(tmp_path, summary="By Anna Berger.")
    assert not [n for n in found if "anna-berger" in n.message]


def test_front_matter_check_reports_as_wrong_gives_no_traceback(tmp_path: Path) -> None:
    """Suggestions read what check has not judged: a language the site lacks, an item that is
    no id, a title that is no text. They say nothing of it (check does) and never fail."""
    weird = notes(
        tmp_path,
        lang="fr",
        replaced={"  - united-nations": "  - {a: 1}", "title: A meeting as": "title: [1]\nx:"},
    )
    assert all(n.severity == "note" for n in weird)
    odd = notes(tmp_path, replaced={"  - united-nations": "  - [united-nations]"})
    assert [n for n in odd if n.code == "unnamed"] == []
