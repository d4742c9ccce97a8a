"""The checker ``dossier serve`` keeps (``check.Checker``) finds, after every change, exactly what
a fresh check of the same files finds, and makes the same model: it reads only the changed
files and checks and resolves only what they touch, so these tests compare it with
``load_site`` (no cache, nothing kept) after each change. Every bad fixture is applied as a
change to a valid site, then undone; a sequence of an editor's edits is applied to the sample
content one after another."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from ..conftest import FIXTURES, REPO, Site, apply_overlay, make_site

CASES = sorted(p.name for p in (FIXTURES / "bad").iterdir() if p.is_dir())
EPOCH = "1790000000"


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def values_of(site: Site, **changed: Any) -> dict[str, Any]:
    """Pelican's settings for the site, as ``dossier serve`` reads them."""
    from dossier.plugin import read_settings

    return read_settings(site.root / "settings.py") | {"PATH": str(site.content), **changed}


def fresh(site: Site) -> tuple[Any, list[str]]:
    """What a check of the files as they are now finds, with nothing kept from before."""
    from dossier.check import load_site
    from dossier.settings import read

    settings, problems = read(values_of(site, DOSSIER_CACHE=False))
    model, diagnostics = load_site(settings, problems, cwd=site.root)
    return model, [d.format() for d in diagnostics]


def shape(model: Any) -> dict[str, Any] | None:
    """Everything a model says, as plain values: articles (in order, with their data),
    language versions, what references each entity, the entities, redirects and images."""
    if model is None:
        return None
    return {
        "articles": [(a.path, a.source, a.data, a.references, a.scheduled) for a in model.articles],
        "now": model.now,
        "scheduled": [a.path for a in model.scheduled()],
        "by_path": {path: a.path for path, a in model.by_path.items()},
        "versions": {
            slug: [(lang, a.path) for lang, a in group.items()]
            for slug, group in model.versions.items()
        },
        "referencing": {k: [a.path for a in v] for k, v in sorted(model.referencing.items())},
        "entities": [(e.id, e.kind, e.data, e.source) for e in model.entities.values()],
        "redirects": {old: e.id for old, e in model.redirects.items()},
        "images": model.images,
        "languages": model.languages,
        "kinds": model.kinds,
        # What the views ask of it: per language, with each article's neighbours.
        "by_lang": {k: [a.path for a in v] for k, v in sorted(model._referencing_by_lang.items())},
        "neighbours": {
            a.path: [n.path if n else None for n in model.neighbours(a)] for a in model.articles
        },
        "published": {lang: [a.path for a in model.published(lang)] for lang in model.languages},
    }


def assert_agrees(checker: Any, site: Site, changed: list[Path]) -> Any:
    if checker.site is not None:
        checker.site.referencing_in("", "")  # as a served page would: made before the change
    model, diagnostics = checker.run(changed)
    expected_model, expected = fresh(site)
    assert [d.format() for d in diagnostics] == expected
    assert shape(model) == shape(expected_model)
    if model is not None:  # each article's neighbours, found alone, are the build's
        from dossier.enrich.pages import neighbours

        around = neighbours(model)
        assert all(model.neighbours(a) == around.get(a, (None, None)) for a in model.articles)
    return model


def overlay_paths(site: Site, folder: Path) -> list[Path]:
    """The files a bad fixture changes, added or removes, in the site."""
    out = []
    for path in folder.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = site.root / path.relative_to(folder)
            out.append(target.with_name(target.name.removesuffix(".delete")))
    return out


@pytest.mark.parametrize("case", CASES)
def test_a_bad_change_and_its_undoing_are_found_as_a_fresh_check_finds_them(
    case: str, tmp_path: Path
) -> None:
    from dossier.check import Checker

    site = make_site(tmp_path / "site", FIXTURES / "site" / "content")
    saved = tmp_path / "saved"
    shutil.copytree(site.content, saved)
    checker = Checker(values_of(site), cwd=site.root)
    assert_agrees(checker, site, [])
    folder = FIXTURES / "bad" / case
    apply_overlay(site.root, folder)
    changed = overlay_paths(site, folder)
    model = assert_agrees(checker, site, changed)
    assert model is None  # every case has an error
    shutil.rmtree(site.content)
    shutil.copytree(saved, site.content)
    model = assert_agrees(checker, site, changed)
    assert model is not None


def test_an_editors_sequence_of_saves_keeps_the_model_a_fresh_check_makes(tmp_path: Path) -> None:
    """Each save as an editor makes it, one after another, each compared with a fresh check:
    text, title, date (the article moves in every list), a reference added and removed, a
    new article in two languages, one of them dated after the build time (scheduled: it leaves
    every list) and back, a draft, an entry's name, a new entry (the registry's facts change),
    a mistake and its fix, a deleted article, an image, a folder moved away."""
    from dossier.check import Checker
    from dossier.enrich import topic_pages

    site = make_site(tmp_path / "site", REPO / "content")
    # Timelines of one article a page: a story added or removed changes a topic page's pages.
    checker = Checker(values_of(site, DOSSIER_TIMELINE_PAGE_SIZE=1), cwd=site.root)
    assert assert_agrees(checker, site, []) is not None
    first = site.content / "articles/2023/kim-putin-vostochny.en.md"
    sunan = sorted(site.content.glob("articles/2023/missile-launches-sunan.*.md"))
    other = sunan[0]
    kept = site.content / "articles/2026/kept-test.en.md"

    def edit(path: Path, old: str, new: str) -> list[Path]:
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return [path]

    steps = [
        lambda: edit(first, "\n---\n", "\n---\nA new first sentence.\n\n"),
        lambda: edit(first, "\ntitle: ", "\ntitle: Changed "),
        lambda: edit(first, "\ndate: 20", "\ndate: 19"),  # its year folder no longer fits
        lambda: edit(first, "\ndate: 19", "\ndate: 20"),
        lambda: [
            p for path in sunan for p in edit(path, "\nactors:\n", "\nactors:\n  - ukraine\n")
        ],
        lambda: new_story(site),
        lambda: edit(kept, "\ndate: 2026-03-01", "\ndate: 2026-12-01"),  # after EPOCH
        lambda: edit(kept, "\ndate: 2026-12-01", "\ndate: 2026-03-01"),
        lambda: edit(site.content / "articles/2026/kept-test.en.md", "published", "draft"),
        lambda: edit(entity_file(site, "china"), "\n  en: ", "\n  en: Renamed "),
        lambda: [site.write("entities/actors/new-actor.yaml", new_actor())],
        lambda: [*kept_test(site, "de"), *kept_test(site, "en")],
        lambda: edit(other, "\ntitle: ", "\ntitle: [unclosed "),
        lambda: edit(other, "\ntitle: [unclosed ", "\ntitle: "),
        lambda: remove(site.content / "articles/2026/kept-test.de.md"),
        lambda: [
            site.write("images/extra.png", (REPO / "content/images/dossier-logo.png").read_bytes())
        ],
        lambda: move_away(site, tmp_path / "moved"),
    ]
    valid = []
    scheduled: set[Path] = set()
    index = topic_pages.Index.of(checker.site)
    for step in steps:
        model = assert_agrees(checker, site, step())
        valid.append(model is not None)
        scheduled |= {a.path for a in model.scheduled()} if model is not None else set()
        if model is not None:  # as dossier serve makes it: from the last good model's
            index = assert_index_agrees(topic_pages.Index.of(model, index), checker)
    # The mistakes are the date that no longer fits its folder and the unclosed bracket; the
    # first change of the new story's two versions, then the second, is one save of two files.
    assert valid == [True, True, False, True, True, True, True, True, True, True, True, True,
                     False, True, True, True, True]  # fmt: skip
    assert scheduled == {kept}


def assert_index_agrees(index: Any, checker: Any) -> Any:
    """What topic pages need of the whole site, kept from the index of the model before and
    adjusted (``topic_pages.Index.of``), is what it is for the model made afresh: the
    entities reported together with each, the links between entries, each topic page's URLs.
    Everything is asked for, so that all of it is kept for the next save."""
    from dossier.build import model_of
    from dossier.enrich import topic_pages

    made = model_of(checker.settings, index.site)
    site, size = index.site, checker.settings.timeline_page_size
    together = topic_pages.co_occurrence(site)
    for entity in site.entities.values():
        assert index.related(entity.id) == together.get(entity.id, []), entity.id
        for lang in site.languages:
            expected = topic_pages.entity_urls(entity, lang, made.context, size)
            assert index.entity_urls(entity, lang, made.context, size) == tuple(expected)
    assert index.inbound == topic_pages.inbound_links(site)
    return index


def new_story(site: Site) -> list[Path]:
    paths = []
    for lang, title in (("de", "Ein neuer Bericht"), ("en", "A new report")):
        text = f"""---
title: {title}
slug: kept-test
lang: {lang}
date: 2026-03-01T10:00:00+01:00
status: published
authors:
- dossier-desk
summary: {title}, a summary long enough to be one.
actors:
- china
about:
- china
---
{title}.
"""
        paths.append(site.write(f"articles/2026/kept-test.{lang}.md", text))
    return paths


def new_actor() -> str:
    return """type: Organization
name:
  de: Neuer Akteur
  en: New actor
description:
  de: Ein Akteur für den Test.
  en: An actor for the test.
"""


def kept_test(site: Site, lang: str) -> list[Path]:
    """The new story names the new actor, in both language versions."""
    path = site.content / f"articles/2026/kept-test.{lang}.md"
    text = path.read_text(encoding="utf-8").replace("- china", "- new-actor")
    path.write_text(text, encoding="utf-8")
    return [path]


def entity_file(site: Site, entity_id: str) -> Path:
    return next(site.content.glob(f"entities/*/{entity_id}.yaml"))


def remove(path: Path) -> list[Path]:
    path.unlink()
    return [path]


def move_away(site: Site, to: Path) -> list[Path]:
    folder = site.content / "articles/2026"
    shutil.move(folder, to)
    return [folder]
