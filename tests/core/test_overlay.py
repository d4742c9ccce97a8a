"""The read stage with an overlay: the content as a planned change would leave it, read from
memory, the disk untouched. The editing commands check their changes this way before they write
anything (tests/site/test_edit_transactions.py drives them)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from dossier.check import check_files, read_content
from dossier.plugin import read_settings
from dossier.read.check_cache import CheckCache
from dossier.read.corpus import read_corpus
from dossier.read.source import reads_as_text
from dossier.settings import DossierSettings, of

from ..conftest import FIXTURES, Site, make_site

KINDS = ["actors", "authors", "events", "locations", "sanctions", "topics"]
ID = "^[a-z0-9]+(-[a-z0-9]+)*$"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    site = make_site(tmp_path / "site", FIXTURES / "site" / "content")
    monkeypatch.chdir(site.root)
    return site


@pytest.fixture
def settings(site: Site) -> DossierSettings:
    return of(read_settings(site.root / "settings.py") | {"PATH": str(site.content)})


def disk(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def corpus_of(site: Site, overlay: dict, cache: CheckCache | None = None):
    return read_corpus(
        site.content, ["articles"], "entities", KINDS, ID, site.root, cache, None, None, overlay
    )


ARTICLE = (
    "---\ntitle: Planned\nslug: planned\nlang: en\ndate: 2026-09-14T10:00:00+02:00\n"
    "authors: [anna-berger]\nsummary: Not written yet.\ntopics: [{topic}]\n---\nText.\n"
)


def test_planned_files_are_read_from_memory_and_removed_ones_left_out(site: Site) -> None:
    before = disk(site.content)
    new = site.content / "articles/2026/planned.en.md"  # in a folder that does not exist
    changed = site.content / "articles/2023/launches.en.md"
    removed = site.content / "entities/topics/ballistic-missiles.yaml"
    text = changed.read_text().replace("summary: Two", "summary: Three")
    corpus = corpus_of(
        site,
        {
            new: ARTICLE.format(topic="no").encode(),
            changed: text.encode(),
            removed: None,
            site.content / "entities/topics/.no.yaml.dossier-new": b"name: {}\n",  # hidden
        },
    )
    articles = {doc.display: doc for doc in corpus.articles}
    assert articles["content/articles/2026/planned.en.md"].data["topics"] == [False]
    assert articles["content/articles/2026/planned.en.md"].literals[("topics", 0)] == "no"
    assert articles["content/articles/2023/launches.en.md"].data["summary"].startswith("Three")
    assert "ballistic-missiles" not in {e.id for e in corpus.entities}
    assert "no" not in {e.id for e in corpus.entities}
    # In the walk's order, as if they were on the disk.
    assert list(articles) == sorted(articles, key=lambda shown: shown.split("/")[2:])
    assert disk(site.content) == before


def test_a_planned_file_is_located_by_its_own_text_not_the_cached_disk_one(site: Site) -> None:
    article = site.content / "articles/2023/launches.en.md"
    cache = CheckCache(site.root / "cache.json", "v1")
    corpus_of(site, {}, cache)  # the disk's text read cleanly: cached without positions
    planned = article.read_text().replace("title:", "# a new first line\ntitle:")
    doc = next(d for d in corpus_of(site, {article: planned.encode()}, cache).articles
               if d.path == article)  # fmt: skip
    assert doc.value_at(("title",)).line == 3
    assert doc.unparsed == 0


def test_planned_bytes_that_are_not_utf8_are_reported_as_a_file_would_be(site: Site) -> None:
    article = site.content / "articles/2023/launches.en.md"
    raw = article.read_bytes().replace(b"North Korea", b"North \xff Korea")
    doc = next(d for d in corpus_of(site, {article: raw}).articles if d.path == article)
    assert [p.code for p in doc.problems] == ["not-utf8"]


def test_check_files_checks_a_planned_change_as_it_would_check_the_written_files(
    site: Site, settings: DossierSettings
) -> None:
    before = disk(site.content)
    new = site.content / "articles/2026/planned.en.md"
    wrong = check_files(settings, [new], site.root, {new: ARTICLE.format(topic="no").encode()})
    assert [d.format() for d in wrong] == [
        (
            "content/articles/2026/planned.en.md:8:10: topics[0]: expected text, got "
            'true/false no; put it in quotes: "no"'
        )
    ]
    right = ARTICLE.format(topic='"ballistic-missiles"').encode()
    assert check_files(settings, [new], site.root, {new: right}) == []
    # The topic it names is checked too, as the planned change leaves it.
    topic = site.content / "entities/topics/ballistic-missiles.yaml"
    broken = {new: right, topic: b"name: {de: Raketen}\n"}
    assert [d.field for d in check_files(settings, [new], site.root, broken)] == ["name.en"]
    # And a removed entry is gone for it, and for the articles on disk that name it.
    gone = check_files(settings, [new], site.root, {new: right, topic: None})
    assert [(d.path, d.field, d.code) for d in gone] == [
        ("content/articles/2023/launches.en.md", "topics[0]", "unknown-reference"),
        ("content/articles/2023/launches.en.md", "about[0]", "unknown-reference"),
        ("content/articles/2026/planned.en.md", "topics[0]", "unknown-reference"),
    ]
    assert disk(site.content) == before


def test_check_files_compares_a_planned_translation_with_the_versions_on_disk(
    site: Site, settings: DossierSettings
) -> None:
    original = site.content / "articles/2023/launches.en.md"
    planned = site.content / "articles/2026/launches.de.md"
    text = (
        original.read_text()
        .replace("lang: en", "lang: de")
        .replace("topics: [ballistic-missiles]", "topics: []")
    )
    found = check_files(settings, [planned], site.root, {planned: text.encode()})
    assert {d.path for d in found} == {"content/articles/2026/launches.de.md"}
    assert any("topics" in d.field for d in found)  # a shared field that disagrees
    read: list[Path] = []
    read_content(settings, site.root, {planned, original}, read.append,
                 overlay={planned: text.encode()})  # fmt: skip
    assert planned in read
    assert original in read


@pytest.mark.parametrize(
    "text",
    ["no", "No", "NO", "yes", "Yes", "on", "On", "off", "OFF", "true", "True", "false", "null",
     "Null", "~", "", "1.5", ".5", "-1", "+1", "0x1F", "0x1f",
     "0b101", "0777", "1_000", "12:30:00", "1:20", ".inf", "-.inf", ".nan", ".NaN", "=", "<<"],
)  # fmt: skip
def test_what_the_reader_reads_as_something_else_than_text(text: str) -> None:
    assert not reads_as_text(text)


@pytest.mark.parametrize(
    "text",
    ["nope", "yes-no", "0o17", "1-000", "x1", "2023-09-13", "2023-09-13T12:30:00+02:00",
     "no-nuclear", "o", "ja", "nein", "Q56226", "TODO(translate)",
     # YAML 1.1's y and n, and YAML 1.2's 1e3, are text to PyYAML (the writers quote them
     # all the same, for other YAML tools: tests/core/test_yaml_quoting.py).
     "y", "n", "Y", "N", "1e3"],
)  # fmt: skip
def test_what_the_reader_reads_back_as_the_same_text(text: str) -> None:
    assert reads_as_text(text)
