"""The editing commands as functions: given the settings and plain arguments, they return what
they did as data, or stop with InputError (naming the parameter at fault) or RefusalError (with
what stands in the way). What the command line prints is tested end to end in
tests/site/test_editor_tools.py; this file covers what lies behind it."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from dossier.editing.change import apply_change, prepare_rename
from dossier.editing.lookup import known_id, valid_id, versions
from dossier.editing.messages import InputError, RefusalError
from dossier.editing.new import create_article, create_entity
from dossier.editing.translate import translate_article
from dossier.plugin import read_settings
from dossier.schemas import load_schemas
from dossier.settings import DossierSettings, of

from ..conftest import REPO, Site, make_site

EPOCH = "1790000000"  # 2026-09-21 14:13:20 UTC


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Site, DossierSettings]:
    """A copy of the sample content, its settings, the clock fixed, the working folder its own
    (messages show paths relative to it)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = make_site(tmp_path / "site", REPO / "content")
    monkeypatch.chdir(site.root)
    settings = of(read_settings(site.root / "settings.py") | {"PATH": str(site.content)})
    return site, settings


def files(site: Site) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in site.root.rglob("*") if p.is_file()}


def test_input_errors_name_the_parameter_they_concern() -> None:
    with pytest.raises(InputError, match="may contain only lowercase") as bad:
        valid_id("Sunan District", load_schemas(REPO / "schema").id_pattern, "NEW_ID")
    assert bad.value.param == "NEW_ID"
    with pytest.raises(InputError, match="did you mean 'sunan'") as unknown:
        known_id("sunnan", {"sunan", "pyongyang"}, "ID")
    assert unknown.value.param == "ID"
    with pytest.raises(InputError, match=r"it was renamed to 'sunan-district'$"):
        known_id("sunan", {"sunan-district"}, "--author", {"sunan": "sunan-district"})
    whole = InputError("name the author with --author ID")
    assert (whole.param, isinstance(whole, ValueError)) == (None, True)


def test_a_new_article_comes_back_with_what_check_says_of_it(sample) -> None:
    site, settings = sample
    created = create_article(settings, lang="en", title="Sanctions: a timeline")
    assert created.path == site.content / "articles/2026/sanctions-a-timeline.en.md"
    assert created.path.is_file()
    assert created.status == 0
    assert [d.field for d in created.diagnostics] == ["summary", "text"]  # placeholders
    assert {d.severity for d in created.diagnostics} == {"warning"}
    assert created.updated is None
    assert created.lines()[0] == "Created content/articles/2026/sanctions-a-timeline.en.md"
    with pytest.raises(InputError, match="already has the slug") as taken:
        create_article(settings, lang="de", title="Sanctions: a timeline")
    assert taken.value.param == "--slug"
    assert versions(settings, "sanctions-a-timeline") == {"en": created.path}


def test_a_refused_entry_leaves_nothing_behind(sample) -> None:
    site, settings = sample
    shutil.copyfile(REPO / "frontmatter.json", site.root / "frontmatter.json")
    before = files(site)
    with pytest.raises(RefusalError) as refused:
        create_entity(
            settings, site.root / "settings.py", kind="actors", entity_id="erika-musterfrau",
            names={"de": "Erika Musterfrau", "en": "Erika Musterfrau"},
        )  # fmt: skip
    assert [d.field for d in refused.value.diagnostics] == ["type"]
    assert refused.value.message.endswith(
        "; actors need type (Person, Organization, GovernmentOrganization, Country)."
    )
    assert files(site) == before


def test_reading_reports_to_the_progress_given(sample) -> None:
    """A new entry reads the registry twice: to check the id, and to refresh the editor's form."""
    site, settings = sample
    shutil.copyfile(REPO / "frontmatter.json", site.root / "frontmatter.json")
    readings: list[list[Path]] = []

    @contextmanager
    def progress():
        readings.append([])
        yield readings[-1].append

    created = create_entity(
        settings, site.root / "settings.py", kind="topics", entity_id="cyber-theft",
        names={"de": "Cyberdiebstahl", "en": "Cyber theft"}, progress=progress,
    )  # fmt: skip
    assert created.updated == site.root / "frontmatter.json"
    assert len(readings) == 2
    assert created.path not in readings[0]
    assert created.path in readings[1]
    assert not [p for p in readings[0] if p.suffix == ".md"]  # the registry only


def test_translating_a_broken_original_is_refused_with_its_diagnostics(sample) -> None:
    site, settings = sample
    original = site.content / "articles/2023/satellite-launch-failure.de.md"
    original.write_text(original.read_text().replace("lang: de", "lang: de\nlang: de"))
    before = files(site)
    with pytest.raises(RefusalError, match="fix the original first") as refused:
        translate_article(settings, "satellite-launch-failure", "en")
    assert [d.field for d in refused.value.diagnostics] == ["lang"]
    assert files(site) == before
    with pytest.raises(InputError) as missing:
        translate_article(settings, "satellite-launch-failure", "en", "en")
    assert missing.value.param == "--from"


def test_a_planned_rename_writes_nothing_until_applied(sample) -> None:
    site, settings = sample
    before = files(site)
    planned = prepare_rename(settings, "sunan", "sunan-district")
    assert files(site) == before
    assert "rename from content/entities/locations/sunan.yaml\n" in planned.diff
    assert planned.pages == "/de/orte/sunan/ and /en/locations/sunan/"
    applied = apply_change(planned, settings, site.root / "settings.py")
    assert applied.status == 0
    assert applied.diagnostics == []
    assert (site.content / "entities/locations/sunan-district.yaml").is_file()
    assert not (site.content / "entities/locations/sunan.yaml").exists()
    with pytest.raises(RefusalError) as refused:
        prepare_rename(settings, "pyongyang", "sunan")
    assert refused.value.conflicts == [
        "'sunan' is a former id of 'sunan-district' and its old address redirects there"
    ]
