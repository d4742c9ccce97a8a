"""What the editing commands write reads back as written: every value YAML could read as
something else than text goes through every write path (rename to it as an id, merge it in as
an alias, new entity --set and --name, new article title, summary, slug and author, translate)
and is read back with the real reader (dossier.read.source), which must give the same string.

The reader follows YAML 1.1 as PyYAML has it (``no`` is false, ``~`` null, ``0x1F`` a number);
ruamel.yaml, which the commands edit with, follows YAML 1.2; the commands quote what either
would misread (editing.roundtrip.plain). The pure pieces are tested in
tests/core/test_yaml_quoting.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from dossier.read.source import read_article, read_entity

from ..conftest import FIXTURES, Site, make_site

# YAML 1.1's booleans and nulls, in their spellings; numbers in every base and form; what the
# reader refuses as tags; timestamps; and text with YAML's syntax characters.
MISREAD = [
    "no", "No", "NO", "yes", "Yes", "YES", "y", "Y", "n", "N", "on", "On", "ON", "off", "Off",
    "OFF", "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~",
    "1e3", "1E3", "1.5e-3", "0x1F", "0x1f", "0o17", "0b101", "0777", "1_000", "12:30:00",
    "1:20", "190:20:30.15", ".inf", "-.inf", "+.INF", ".nan", ".NaN", "+1", "-1", "1.5", ".5",
    "0", "=", "<<", "2023-09-13", "2023-9-3", "2023-09-13T12:30:00+02:00",
    "2023-09-13 12:30:00",
]  # fmt: skip
SYNTAX = [
    "#hash", "a #b", "- dash", "a: b", "[x]", "{x}", "x, y", "*alias", "&anchor", "!tag",
    "!!str", "%YAML", "@at", "`tick", "'single", '"double', "|", ">", "?", "? x", ": x",
    " padded ", "tab\there", "line\nbreak", "back\\slash", "ünïcödé", "Nordkorea: Was wir wissen",
    "🙂", "TODO(write)", "---", "...",
]  # fmt: skip
VALUES = MISREAD + SYNTAX
IDS = [v for v in VALUES if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", v)]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    return make_site(tmp_path / "site", FIXTURES / "site" / "content")


def entity(site: Site, kind: str, entity_id: str) -> dict:
    doc = read_entity(site.content / "entities" / kind / f"{entity_id}.yaml", "x")
    assert doc.problems == []
    return doc.data


def article(path: Path) -> dict:
    doc = read_article(path, path.name)
    assert doc.problems == []
    return doc.data


def ok(site: Site, *args: str) -> str:
    result = site.run(*args)
    assert result.exit_code == 0, (args, result.output)
    return result.output


def test_the_ids_in_question_are_valid_ids() -> None:
    """The id pattern lets these through: each must be written so that it reads back."""
    assert {"no", "yes", "on", "off", "y", "n", "true", "false", "null", "0x1f", "0o17",
            "1e3", "0777", "2023-09-13"} <= set(IDS)  # fmt: skip


def test_rename_to_each_id_reads_back_as_that_id(site: Site) -> None:
    """Renamed one after another: each id in every reference, the file's name, and all the
    former ids in `formerly`."""
    old = "ballistic-missiles"
    articles = sorted((site.content / "articles").rglob("*.md"))
    naming = [p for p in articles if old in p.read_text()]
    assert naming
    for new in IDS:
        output = ok(site, "rename", old, new, "--apply")
        assert output.splitlines()[-1] == "All content is valid.", (new, output)
        for path in naming:
            assert new in article(path)["topics"], (new, path)
        data = entity(site, "topics", new)
        assert data["formerly"][-1] == old
        old = new
    assert entity(site, "topics", IDS[-1])["formerly"] == ["ballistic-missiles", *IDS[:-1]]
    assert ok(site, "check") == "All content is valid.\n"


def test_merge_takes_each_name_alias_and_former_id_as_written(site: Site) -> None:
    aliases = [v for v in VALUES if v.strip() and "\n" not in v]  # an alias is one line
    names = {"de": "no", "en": "~"}
    formerly = IDS
    site.write(
        "entities/topics/missiles-2.yaml",
        f"name: {json.dumps(names)}\naliases: {json.dumps(aliases, ensure_ascii=False)}\n"
        f"formerly: {json.dumps(formerly)}\n",
    )
    assert entity(site, "topics", "missiles-2")["aliases"] == aliases
    ok(site, "merge", "missiles-2", "ballistic-missiles", "--apply")
    data = entity(site, "topics", "ballistic-missiles")
    assert data["aliases"] == ["no", "~", *[a for a in aliases if a not in {"no", "~"}]]
    assert data["formerly"] == [*formerly, "missiles-2"]
    assert ok(site, "check") == "All content is valid.\n"


def meant(value: str) -> str:
    """What ``--set identifier=VALUE`` means: VALUE as YAML where that is text (``a #b`` is
    ``a``: a comment follows), else the text typed (``no``, ``~``, ``1e3``, ``=``)."""
    try:
        read = yaml.safe_load(f"value: {value}")["value"]
    except yaml.YAMLError:
        return value.strip()
    return read if isinstance(read, str) else value.strip()


@pytest.mark.parametrize("value", [v for v in VALUES if v.strip() and "\n" not in v])
def test_new_entity_set_and_names_read_back_as_given(site: Site, value: str) -> None:
    """--set on a text field takes YAML as in the file; where that would not read as text, the
    value is the text typed. --name-de and --name-en are text, always."""
    result = site.run(
        "new", "entity", "sanctions", "s-1", "--name-de", value, "--name-en", value,
        "--set", f"identifier={value}", "--set", "adopted=2006-10-14",
        "--set", "adopted_by=un-security-council",
    )  # fmt: skip
    path = site.content / "entities/sanctions/s-1.yaml"
    if not meant(value).strip():  # `|`, `!!str`: YAML for an empty text, which check refuses
        assert result.exit_code == 1
        assert "identifier: must not be blank" in result.output
        assert not path.exists()
        return
    assert result.exit_code == 0, result.output
    data = entity(site, "sanctions", "s-1")
    assert data["name"] == {"de": value, "en": value}
    assert data["identifier"] == meant(value)


def test_new_entity_set_quotes_the_items_of_a_text_list(site: Site) -> None:
    items = [v for v in MISREAD if v not in {"=", "<<"}]
    ok(site, "new", "entity", "topics", "t-1", "--name-de", "T", "--name-en", "T",
       "--set", f"aliases=[{', '.join(items)}]")  # fmt: skip
    assert entity(site, "topics", "t-1")["aliases"] == items
    # A value typed in quotes, as YAML, stays as typed.
    ok(site, "new", "entity", "topics", "t-2", "--name-de", "T", "--name-en", "T",
       "--set", 'aliases=["no", yes]')  # fmt: skip
    assert entity(site, "topics", "t-2")["aliases"] == ["no", "yes"]
    text = (site.content / "entities/topics/t-2.yaml").read_text()
    assert 'aliases: ["no", "yes"]\n' in text


@pytest.mark.parametrize("value", [v for v in VALUES if v.strip()])
def test_new_article_title_and_summary_read_back_as_given(site: Site, value: str) -> None:
    title = value.replace("\n", " ")  # a headline is one line; a summary may be several
    ok(site, "new", "article", "--lang", "en", "--title", title, "--summary", value,
       "--slug", "given", "--author", "anna-berger")  # fmt: skip
    data = article(site.content / "articles/2026/given.en.md")
    assert (data["title"], data["summary"]) == (title, value)


def test_new_article_refuses_a_title_of_two_lines(site: Site) -> None:
    result = site.run("new", "article", "--lang", "en", "--title", "Kim\n---\nmeets Putin",
                      "--slug", "given", "--author", "anna-berger")  # fmt: skip
    assert result.exit_code == 1
    assert not (site.content / "articles/2026/given.en.md").exists()
    assert (
        "content/articles/2026/given.en.md:2:8: title: contains a line break (character 4 of "
        "the text); this field is one line: join the lines with a space"
    ) in result.output.splitlines()
    assert result.output.splitlines()[-1] == (
        "Nothing was written: the new article would not pass check."
    )


@pytest.mark.parametrize("slug", IDS)
def test_new_article_slug_and_author_read_back_as_given(site: Site, slug: str) -> None:
    site.write(f"entities/authors/{slug}.yaml", "type: Person\nname: {de: A, en: A}\n")
    ok(site, "new", "article", "--lang", "de", "--title", "T", "--slug", slug, "--author", slug)
    data = article(site.content / f"articles/2026/{slug}.de.md")
    assert (data["slug"], data["authors"], data["lang"]) == (slug, [slug], "de")


def test_a_title_made_of_a_misread_word_gets_a_slug_that_reads_back(site: Site) -> None:
    ok(site, "new", "article", "--lang", "en", "--title", "No", "--author", "anna-berger")
    data = article(site.content / "articles/2026/no.en.md")
    assert (data["title"], data["slug"]) == ("No", "no")


def test_translate_copies_every_value_as_written(site: Site) -> None:
    ids = IDS[:12]
    for topic in ids:
        site.write(
            f"entities/topics/{topic}.yaml", f"name: {json.dumps({'de': topic, 'en': topic})}\n"
        )
    texts = [v for v in VALUES if v.strip() and "\n" not in v][:40]
    sources = "".join(
        f"  - url: https://example.org/{i}\n    title: {json.dumps(v, ensure_ascii=False)}\n"
        f"    publisher: {json.dumps(v, ensure_ascii=False)}\n"
        for i, v in enumerate(texts)
    )
    site.write(
        "articles/2023/quoted.de.md",
        '---\ntitle: "no"\nslug: quoted\nlang: de\ndate: 2023-09-14T10:00:00+02:00\n'
        f'authors: [anna-berger]\nsummary: "~"\ntopics: {json.dumps(ids)}\n'
        f"sources:\n{sources}---\nText.\n",
    )
    ok(site, "translate", "quoted", "--to", "en")
    data = article(site.content / "articles/2026/quoted.en.md")
    assert data["topics"] == ids
    assert [(s["title"], s["publisher"]) for s in data["sources"]] == [(v, v) for v in texts]
    assert (data["lang"], data["title"], data["summary"]) == ("en", *["TODO(translate)"] * 2)
    text = (site.content / "articles/2026/quoted.en.md").read_text()
    assert "# de: no\n" in text
