"""The editors' commands, driven through the real entry point on copies of the sample content:
check with paths and formats, new, translate, refs, rename, merge, editor-config, and the
pre-commit hook in a real git repository. Assertions parse what they read (JSON, YAML, HTML).
What needs no site is in tests/core/ (test_cli.py, test_check.py, test_editor_files.py) and
tests/golden/test_editor_config.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from dossier.lint.jsonld_check import check_site

from ..conftest import FIXTURES, REPO, SCHEMAORG, Site, make_site

DOSSIER = Path(sys.executable).with_name("dossier")  # the console script the set-up installs
EPOCH = "1790000000"  # 2026-09-21 14:13:20 UTC: 16:13 in Berlin (summer time)
ID_FIELDS = ("authors", "actors", "locations", "sanctions", "events", "topics", "about")


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    """A fresh copy of the project's sample content, with the clock fixed."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return make_site(tmp_path / "site", REPO / "content")


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def id_values(data: dict) -> list[str]:
    return [i for field in ID_FIELDS for i in data.get(field, [])]


def lines(output: str) -> list[str]:
    return output.strip().splitlines()


# --- check ------------------------------------------------------------------------------------


def test_check_with_paths_reports_those_files_and_what_they_take_part_with(
    fixture_site: Site,
) -> None:
    fixture_site.write("entities/topics/ballistic-missiles.yaml", "name: {de: Raketen}\n")
    summit = fixture_site.content / "articles/2023/summit.de.md"
    summit.write_text(summit.read_text().replace("vladimir-putin]", "vladimir-puttin]"))
    putin = fixture_site.content / "entities/actors/vladimir-putin.yaml"
    putin.write_text(putin.read_text().replace("Q7747", "7747"))
    missiles = (
        "content/entities/topics/ballistic-missiles.yaml:1:7: name.en: required field is missing"
    )

    whole = fixture_site.run("check")
    assert whole.exit_code == 1
    assert len(lines(whole.output)) == 4  # three problems and the summary

    # The article names ballistic-missiles: that entry's problem is reported with it.
    launches = fixture_site.run("check", "content/articles/2023/launches.en.md")
    assert lines(launches.output) == [missiles, "Found 1 error in 1 file."]

    # Nothing that names this entry, or that it names, has a problem.
    entity = fixture_site.run("check", "content/entities/sanctions/unsc-resolution-1874.yaml")
    assert (entity.exit_code, entity.output) == (0, "All content is valid.\n")

    puttin = (
        "content/articles/2023/summit.de.md:9:23: actors[1]: unknown actor 'vladimir-puttin'; "
        "did you mean 'vladimir-putin'?"
    )
    result = fixture_site.run("check", "content/articles/2023/summit.de.md")
    assert result.exit_code == 1
    assert lines(result.output) == [puttin, "Found 1 error in 1 file."]
    # The article names this entry: its problem is reported with the entry.
    entity = fixture_site.run("check", "content/entities/actors/kim-jong-un.yaml")
    assert lines(entity.output) == [puttin, "Found 1 error in 1 file."]
    folder = fixture_site.run("check", "content/entities")
    assert [d.split(":")[0] for d in lines(folder.output)[:-1]] == [
        "content/articles/2023/summit.de.md",
        "content/entities/actors/vladimir-putin.yaml",
        "content/entities/topics/ballistic-missiles.yaml",
    ]


def test_check_with_paths_compares_the_language_versions(fixture_site: Site) -> None:
    english = fixture_site.content / "articles/2023/summit.en.md"
    english.write_text(
        english.read_text().replace("[kim-jong-un, vladimir-putin]", "[kim-jong-un]")
    )
    # Both ways: the version that lacks it is reported, whichever of the two is checked.
    lacks = (
        "content/articles/2023/summit.en.md:8:1: actors: lacks 'vladimir-putin', which the 'de' "
        "version lists; language versions share their actors (content/articles/2023/summit.de.md)"
    )
    for checked in ("summit.de.md", "summit.en.md"):
        result = fixture_site.run("check", f"content/articles/2023/{checked}")
        assert result.exit_code == 1
        assert lines(result.output) == [lacks, "Found 1 error in 1 file."]


def test_check_refuses_a_path_outside_the_content_folder(fixture_site: Site) -> None:
    result = fixture_site.run("check", "settings.py")
    assert result.exit_code == 2
    assert "settings.py is not in the content folder" in result.output


def test_check_json_and_github_formats(fixture_site: Site) -> None:
    fixture_site.write("entities/topics/ballistic-missiles.yaml", "name: {de: Raketen}\n")
    result = fixture_site.run("check", "content/entities/topics", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["errors"] == 1
    assert report["diagnostics"][0]["field"] == "name.en"

    result = fixture_site.run("check", "--format", "github")
    assert result.exit_code == 1
    annotation, summary = lines(result.output)
    found = re.fullmatch(
        r"::error file=([^,]+),line=(\d+),col=(\d+),title=([^:]+)::(.*)", annotation
    )
    assert found, annotation
    assert found.groups() == (
        "content/entities/topics/ballistic-missiles.yaml",
        "1",
        "7",
        "dossier check%3A missing-field",
        "name.en: required field is missing",
    )
    assert summary == "Found 1 error in 1 file."


# --- new --------------------------------------------------------------------------------------


def test_new_article_is_a_complete_draft_that_passes_check(sample: Site) -> None:
    result = sample.run("new", "article", "--lang", "de", "--title", "Nordkorea: Was wir wissen")
    assert result.exit_code == 0, result.output
    path = sample.content / "articles/2026/nordkorea-was-wir-wissen.de.md"
    assert lines(result.output)[0] == f"Created {path.relative_to(sample.root)}"
    data = front_matter(path)
    assert data["title"] == "Nordkorea: Was wir wissen"
    assert data["slug"] == "nordkorea-was-wir-wissen"
    assert data["lang"] == "de"
    assert data["date"].isoformat() == "2026-09-21T16:13:00+02:00"  # Europe/Berlin, to the minute
    assert data["authors"] == ["dossier-desk"]  # DOSSIER_DEFAULT_AUTHORS
    assert data["status"] == "draft"
    for field in ("actors", "locations", "sanctions", "events", "topics", "about", "sources"):
        assert data[field] == []
    # What is left to write is reported, as warnings: the whole check passes.
    assert "warning: summary: still holds a placeholder" in result.output
    whole = sample.check()
    assert whole.exit_code == 0, whole.output
    # Published with its placeholders, the same markers are errors.
    path.write_text(path.read_text().replace("status: draft", "status: published"))
    result = sample.run("check", str(path.relative_to(sample.root)))
    assert result.exit_code == 1
    assert [line.split(": ")[1] for line in lines(result.output)[:-1]] == ["summary", "text"]


def test_new_article_takes_slug_author_and_summary_and_refuses_a_taken_slug(sample: Site) -> None:
    result = sample.run(
        "new", "article", "--lang", "en", "--title", "Launch", "--slug", "missile-launches-sunan"
    )
    assert result.exit_code == 2
    assert "dossier translate" not in result.output
    assert "content/articles/2023/missile-launches-sunan.en.md already has the slug" in (
        result.output
    )
    result = sample.run(
        "new", "article", "--lang", "en", "--title", "Launch", "--slug", "satellite-launch-failure"
    )
    assert result.exit_code == 2
    assert "to translate it: dossier translate satellite-launch-failure --to en" in result.output
    result = sample.run("new", "article", "--lang", "en", "--title", "X", "--author", "ana-berger")
    assert result.exit_code == 2
    assert "did you mean 'anna-berger'?" in result.output
    result = sample.run(
        "new", "article", "--lang", "en", "--title", "Sanctions: a timeline", "--author",
        "anna-berger", "--author", "david-kim", "--summary", "Every resolution since 2006.",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = front_matter(sample.content / "articles/2026/sanctions-a-timeline.en.md")
    assert data["authors"] == ["anna-berger", "david-kim"]
    assert data["summary"] == "Every resolution since 2006."


def test_new_entity_is_written_only_when_it_passes_check(sample: Site) -> None:
    args = ["new", "entity", "actors", "erika-musterfrau", "--name-de", "Erika Musterfrau",
            "--name-en", "Erika Musterfrau", "--wikidata", "Q4115189"]  # fmt: skip
    path = sample.content / "entities/actors/erika-musterfrau.yaml"
    refused = sample.run(*args)
    assert refused.exit_code == 1
    assert "erika-musterfrau.yaml:2:1: type: required field is missing" in refused.output
    assert "actors need type (Person, Organization, GovernmentOrganization, Country)" in (
        refused.output
    )
    assert not path.exists()
    result = sample.run(*args, "--set", "type=Person", "--set", "nationality=country-north-korea")
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").startswith("# Erika Musterfrau\n")
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {
        "type": "Person",
        "name": {"de": "Erika Musterfrau", "en": "Erika Musterfrau"},
        "wikidata": "Q4115189",
        "nationality": "country-north-korea",
    }
    assert sample.check().exit_code == 0  # a warning: nothing references it yet
    again = sample.run(*args, "--set", "type=Person")
    assert again.exit_code == 2
    assert "'erika-musterfrau' is already the id of" in again.output
    wrong = sample.run(*args[:3], "choe", *args[4:], "--set", "typ=Person")
    assert wrong.exit_code == 2
    assert "did you mean 'type'?" in wrong.output


def test_new_entity_with_a_name_that_needs_quotes(sample: Site) -> None:
    result = sample.run(
        "new", "entity", "topics", "sanctions-evasion", "--name-de", "Umgehung: Sanktionen",
        "--name-en", "Evasion #1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((sample.content / "entities/topics/sanctions-evasion.yaml").read_text())
    assert data["name"] == {"de": "Umgehung: Sanktionen", "en": "Evasion #1"}


# --- translate --------------------------------------------------------------------------------


def test_translate_copies_shared_fields_marks_text_and_refuses_to_publish_it(sample: Site) -> None:
    result = sample.run("translate", "satellite-launch-failure", "--to", "en")
    assert result.exit_code == 0, result.output
    original = sample.content / "articles/2023/satellite-launch-failure.de.md"
    path = sample.content / "articles/2026/satellite-launch-failure.en.md"
    source, data = front_matter(original), front_matter(path)
    for field in ("actors", "locations", "sanctions", "events", "topics", "about", "sources"):
        assert data[field] == source[field]
    assert data["authors"] == source["authors"]
    assert (data["lang"], data["status"]) == ("en", "draft")
    assert data["title"] == data["summary"] == "TODO(translate)"
    text = path.read_text(encoding="utf-8")
    assert f"title: TODO(translate)  # de: {source['title']}\n" in text
    assert f"summary: TODO(translate)  # de: {source['summary']}\n" in text
    body = text.split("---\n", 2)[2]
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    assert all("TODO(translate) " in p for p in paragraphs)
    assert "## TODO(translate) Zweiter Rückschlag" in body
    warnings = [line for line in lines(result.output) if ": warning: " in line]
    assert len(warnings) == 2 + len(paragraphs)
    assert sample.check().exit_code == 0

    path.write_text(text.replace("status: draft", "status: published"), encoding="utf-8")
    result = sample.check()
    assert result.exit_code == 1
    assert (
        "content/articles/2026/satellite-launch-failure.en.md:2:8: title: is not translated yet; "
        "translate it and remove 'TODO(translate)'"
    ) in lines(result.output)

    translated = re.sub(r"TODO\(translate\)(  # de: .*)?", "Translated", path.read_text())
    path.write_text(translated, encoding="utf-8")
    result = sample.run("check", str(path.relative_to(sample.root)))
    assert (result.exit_code, result.output) == (0, "All content is valid.\n")


def test_translate_leaves_the_originals_corrections_to_it(sample: Site) -> None:
    """A correction is of one language version's text: the new version has made none."""
    original = sample.content / "articles/2023/satellite-launch-failure.de.md"
    text = original.read_text(encoding="utf-8")
    correction = "corrections:\n  - date: 2023-12-01T10:00:00+01:00\n    text: Korrigiert.\n"
    original.write_text(text.replace("\n---\n", f"\n{correction}---\n", 1), encoding="utf-8")
    assert front_matter(original)["corrections"]
    result = sample.run("translate", "satellite-launch-failure", "--to", "en")
    assert result.exit_code == 0, result.output
    data = front_matter(sample.content / "articles/2026/satellite-launch-failure.en.md")
    assert "corrections" not in data
    assert data["sources"] == front_matter(original)["sources"]


def test_translate_refuses_what_cannot_be(sample: Site) -> None:
    assert "no article has the slug" in sample.run("translate", "nothing", "--to", "en").output
    taken = sample.run("translate", "kim-putin-vostochny", "--to", "en")
    assert taken.exit_code == 2
    assert "kim-putin-vostochny.en.md is already its 'en' version" in taken.output
    assert sample.run("translate", "shoigu-pyongyang", "--to", "de").exit_code == 0


# --- refs -------------------------------------------------------------------------------------


def test_refs_lists_every_article_and_entry_naming_the_id(sample: Site) -> None:
    result = sample.run("refs", "sunan")
    assert result.exit_code == 0
    head, columns, rule, *rows = lines(result.output)
    assert head == (
        "'sunan' (location, content/entities/locations/sunan.yaml) is referenced 5 times: "
        "in 4 articles and 1 registry entry."
    )
    assert columns.split() == ["where", "field", "what", "title", "or", "name"]
    assert set(rule) == {"─"}
    assert [row.split()[0] for row in rows] == [
        "content/articles/2023/kim-putin-vostochny.de.md:31:5",
        "content/articles/2023/kim-putin-vostochny.en.md:30:5",
        "content/articles/2023/missile-launches-sunan.de.md:20:5",
        "content/articles/2023/missile-launches-sunan.en.md:20:5",
        "content/entities/events/missile-launch-2023-09-13.yaml:10:11",
    ]
    data = json.loads(sample.run("refs", "sunan", "--format", "json").output)
    assert {(r["path"], r["field"]) for r in data} >= {
        ("content/entities/events/missile-launch-2023-09-13.yaml", "location")
    }
    for reference in data:
        line = (sample.root / reference["path"]).read_text().splitlines()[reference["line"] - 1]
        assert line[reference["column"] - 1 :].startswith("sunan")
    unknown = sample.run("refs", "sunnan")
    assert unknown.exit_code == 2
    assert "did you mean 'sunan'?" in unknown.output


def test_the_installed_command_runs_in_its_own_process(sample: Site) -> None:
    """The console script the set-up installs, as an editor types it."""
    result = subprocess.run(
        [str(DOSSIER), "refs", "kim-putin-summit-2023", "--settings", "settings.py"],
        cwd=sample.root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "is referenced 8 times: in 6 articles and 0 registry entries." in result.stdout
    assert result.stderr == ""


# --- rename and merge -------------------------------------------------------------------------


def add_comments(site: Site) -> tuple[Path, Path]:
    """Comments an editor might have written, to be kept through a rename."""
    article = site.content / "articles/2023/missile-launches-sunan.en.md"
    article.write_text(
        article.read_text().replace(
            "locations:\n  - sunan\n", "locations:\n  - sunan  # the launch site\n"
        )
    )
    event = site.content / "entities/events/missile-launch-2023-09-13.yaml"
    event.write_text(event.read_text().replace("location: sunan\n", "location: sunan  # per JCS\n"))
    return article, event


def test_rename_is_a_dry_run_until_applied(sample: Site) -> None:
    add_comments(sample)
    before = {p: p.read_bytes() for p in sample.content.rglob("*") if p.is_file()}
    result = sample.run("rename", "sunan", "sunan-district")
    assert result.exit_code == 0
    assert {p: p.read_bytes() for p in sample.content.rglob("*") if p.is_file()} == before
    assert (
        "-  - sunan  # the launch site\n+  - sunan-district  # the launch site\n" in result.output
    )
    assert "rename from content/entities/locations/sunan.yaml" in result.output
    assert lines(result.output)[-1] == (
        "6 files would change; /de/orte/sunan/ and /en/locations/sunan/ would redirect to "
        "'sunan-district'. This was a dry run: nothing was written. Run the command again with "
        "--apply to write it."
    )


def test_rename_rewrites_every_reference_keeps_comments_and_leaves_redirects(sample: Site) -> None:
    article, event = add_comments(sample)
    result = sample.run("rename", "sunan", "sunan-district", "--apply")
    assert result.exit_code == 0, result.output
    assert lines(result.output)[-1] == "All content is valid."
    assert not (sample.content / "entities/locations/sunan.yaml").exists()
    moved = sample.content / "entities/locations/sunan-district.yaml"
    assert moved.read_text().startswith("# Sunan District\n")
    assert yaml.safe_load(moved.read_text())["formerly"] == ["sunan"]
    assert "  - sunan-district  # the launch site\n" in article.read_text()
    assert "location: sunan-district  # per JCS\n" in event.read_text()
    for path in (sample.content / "articles").rglob("*.md"):
        ids = id_values(front_matter(path))
        assert "sunan" not in ids
    assert sample.check().exit_code == 0

    built = sample.build()
    assert built.exit_code == 0, built.output
    for lang, old, new in [
        ("de", "/de/orte/sunan/", "/de/orte/sunan-district/"),
        ("en", "/en/locations/sunan/", "/en/locations/sunan-district/"),
    ]:
        page = BeautifulSoup(sample.page(old).read_text(encoding="utf-8"), "html.parser")
        assert page.html["lang"] == lang
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
        assert refresh == f"0; url={new}"
        assert page.find("link", rel="canonical")["href"] == f"https://dossier.example{new}"
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert page.find("main").a["href"] == new
        assert page.find("script", type="application/ld+json") is None
        assert sample.page(new).is_file()
    sitemap = (sample.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "/orte/sunan/<" not in sitemap
    assert "/locations/sunan/<" not in sitemap
    assert "/locations/sunan-district/<" in sitemap
    for path in sorted(sample.output.rglob("*.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in page.find_all(["a", "link", "script", "img"]):
            target = tag.get("href") or tag.get("src")
            if target and not urlsplit(target).scheme and not target.startswith("#"):
                assert sample.page(urlsplit(target).path).is_file(), (path, target)
    assert check_site(sample.output, SCHEMAORG).diagnostics == []

    # Renamed back: the redirect turns around, and never points at itself.
    back = sample.run("rename", "sunan-district", "sunan", "--apply")
    assert back.exit_code == 0, back.output
    data = yaml.safe_load((sample.content / "entities/locations/sunan.yaml").read_text())
    assert data["formerly"] == ["sunan-district"]


def test_files_that_do_not_read_are_never_edited(sample: Site) -> None:
    sunan = sample.content / "entities/locations/sunan.yaml"
    sunan.write_text(sunan.read_text() + "geo: twice\n")  # a duplicate field
    before = {p: p.read_bytes() for p in sample.content.rglob("*") if p.is_file()}
    result = sample.run("rename", "sunan", "sunan-district", "--apply")
    assert result.exit_code == 1
    assert "content/entities/locations/sunan.yaml cannot be read as YAML; fix it first" in (
        result.output
    )
    article = sample.content / "articles/2023/satellite-launch-failure.de.md"
    article.write_text(article.read_text().replace("lang: de", "lang: de\nlang: de"))
    result = sample.run("translate", "satellite-launch-failure", "--to", "en")
    assert result.exit_code == 1
    assert "lang: duplicate field (first given on line 4)" in result.output
    assert "Traceback" not in result.output
    after = {p: p.read_bytes() for p in sample.content.rglob("*") if p.is_file()}
    assert after == {**before, article: after[article]}


def test_rename_refuses_conflicts_and_wrong_ids(sample: Site) -> None:
    before = {p: p.read_bytes() for p in sample.content.rglob("*") if p.is_file()}
    taken = sample.run("rename", "sunan", "pyongyang", "--apply")
    assert taken.exit_code == 1
    assert "'pyongyang' is already the id of content/entities/locations/pyongyang.yaml" in (
        taken.output
    )
    assert "dossier merge sunan pyongyang" in taken.output
    assert sample.run("rename", "sunan", "Sunan District").exit_code == 2
    unknown = sample.run("rename", "sunnan", "x")
    assert unknown.exit_code == 2
    assert "did you mean 'sunan'?" in unknown.output
    assert {p: p.read_bytes() for p in sample.content.rglob("*") if p.is_file()} == before


def test_merge_folds_a_duplicate_into_its_entry(sample: Site) -> None:
    duplicate = sample.write(
        "entities/actors/kim-jong-un-2.yaml",
        "# Added twice by mistake\ntype: Person\nname:\n  de: Kim Dschong-un\n  en: Kim Jong-un\n"
        "aliases:\n  - Kim Jong Un\n  - Marschall Kim\n",
    )
    article = sample.content / "articles/2023/shoigu-pyongyang.en.md"
    text = article.read_text()
    article.write_text(
        text.replace("  - kim-jong-un\n", "  - kim-jong-un-2  # typo?\n  - kim-jong-un\n", 1)
    )
    assert sample.check().exit_code == 0

    result = sample.run("merge", "kim-jong-un-2", "kim-jong-un", "--apply")
    assert result.exit_code == 0, result.output
    assert not duplicate.exists()
    ids = id_values(front_matter(article))
    assert "kim-jong-un-2" not in ids
    assert ids.count("kim-jong-un") == 1
    entry = yaml.safe_load((sample.content / "entities/actors/kim-jong-un.yaml").read_text())
    assert entry["formerly"] == ["kim-jong-un-2"]
    # Its names and aliases become aliases, but for those the entry already has.
    assert entry["aliases"] == [
        "Kim Jong-un", "Kim Jong-Un", "Kim Dschong Un", "Kim Jung Un",
        "Kim Dschong-un", "Marschall Kim",
    ]  # fmt: skip
    assert (
        (sample.content / "entities/actors/kim-jong-un.yaml")
        .read_text()
        .startswith("# Kim Jong Un\n")
    )
    assert sample.check().exit_code == 0


def test_merge_refuses_entries_that_are_not_the_same(sample: Site) -> None:
    before = {p: p.read_bytes() for p in sample.content.rglob("*") if p.is_file()}
    kinds = sample.run("merge", "sunan", "north-korea", "--apply")
    assert kinds.exit_code == 1
    assert "only entries of one kind can be merged" in kinds.output
    items = sample.run("merge", "un-security-council", "united-nations", "--apply")
    assert items.exit_code == 1
    assert "'un-security-council' is Q37470 on Wikidata, 'united-nations' Q1065" in items.output
    # 1874 amends 1718: merged, it would amend itself.
    itself = sample.run("merge", "unsc-resolution-1718", "unsc-resolution-1874", "--apply")
    assert itself.exit_code == 1
    assert "amends would name 'unsc-resolution-1874' itself" in itself.output
    assert {p: p.read_bytes() for p in sample.content.rglob("*") if p.is_file()} == before


def test_a_former_id_in_an_article_suggests_the_new_one(sample: Site) -> None:
    assert sample.run("rename", "sunan", "sunan-district", "--apply").exit_code == 0
    stale = sample.write(
        "articles/2023/stale.en.md",
        "---\ntitle: Stale\nslug: stale\nlang: en\ndate: 2023-09-14T10:00:00+02:00\n"
        "authors: [david-kim]\nsummary: Written before the rename.\nlocations: [sunan]\n"
        "---\nText.\n",
    )
    result = sample.run("check", str(stale.relative_to(sample.root)))
    assert "'sunan' was renamed to 'sunan-district': write that instead" in result.output
    refs = sample.run("refs", "sunan")
    assert refs.exit_code == 0
    assert lines(refs.output)[0] == (
        "'sunan' (no registry entry; it was renamed to 'sunan-district') is referenced 1 time: "
        "in 1 article and 0 registry entries."
    )
    stale.unlink()
    refs = sample.run("refs", "sunan")
    assert refs.exit_code == 2
    assert "no registry entry has the id 'sunan'; it was renamed to 'sunan-district'" in (
        refs.output
    )


# --- editor integration -----------------------------------------------------------------------


def test_new_entity_refreshes_the_front_matter_form(sample: Site) -> None:
    shutil.copyfile(REPO / "frontmatter.json", sample.root / "frontmatter.json")
    sample.run(
        "new", "entity", "topics", "cyber-theft", "--name-de", "Cyberdiebstahl", "--name-en",
        "Cyber theft",
    )  # fmt: skip
    config = json.loads((sample.root / "frontmatter.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in config["frontMatter.taxonomy.contentTypes"][0]["fields"]}
    assert {"id": "cyber-theft", "title": "Cyber theft (cyber-theft)"} in fields["topics"][
        "choices"
    ]


# --- pre-commit -------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=False,
        env={"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@dossier.example",
             "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@dossier.example",
             "PATH": f"{DOSSIER.parent}:/usr/bin:/bin", "HOME": str(repo.parent),
             "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-cache"),
             # The hooks run this checkout's dossier, whichever the console script imports.
             "PYTHONPATH": str(REPO / "plugins")},
    )  # fmt: skip


def newsroom(tmp_path: Path, content: Path) -> Path:
    """A git repository of ``content`` with the project's own content hooks (from its
    .pre-commit-config.yaml) installed by the real pre-commit, and the content committed."""
    site = make_site(tmp_path / "newsroom", content)
    repo = site.root
    # The project's settings under their usual name, as the hook runs `dossier check` bare.
    (repo / "settings.py").unlink()
    (repo / "pelicanconf.py").write_text(
        "import runpy\n"
        f"globals().update(runpy.run_path({str(REPO / 'pelicanconf.py')!r}))\n"
        f"PATH = 'content'\nTHEME = {str(REPO / 'theme')!r}\n",
        encoding="utf-8",
    )
    (repo / ".venv/bin").mkdir(parents=True)
    (repo / ".venv/bin/dossier").symlink_to(DOSSIER)
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [h for h in config["repos"][0]["hooks"] if h["id"].startswith("dossier-check")]
    (repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}), encoding="utf-8"
    )
    assert git(repo, "init", "-q", "-b", "main").returncode == 0
    installed = subprocess.run(
        [str(DOSSIER.with_name("pre-commit")), "install"], cwd=repo, capture_output=True,
        text=True, check=False, env={"PATH": f"{DOSSIER.parent}:/usr/bin:/bin",
                                     "HOME": str(tmp_path)},
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    git(repo, "add", ".")
    first = git(repo, "commit", "-q", "-m", "The newsroom's content")
    assert first.returncode == 0, first.stdout + first.stderr
    return repo


def test_the_pre_commit_hook_refuses_a_commit_with_a_located_message(tmp_path: Path) -> None:
    """The project's own hooks, run by the real pre-commit in a new git repository of sample
    content."""
    repo = newsroom(tmp_path, FIXTURES / "site" / "content")
    summit = repo / "content/articles/2023/summit.de.md"
    summit.write_text(summit.read_text().replace("vladimir-putin]", "vladimir-puttin]"))
    git(repo, "add", "content/articles/2023/summit.de.md")
    refused = git(repo, "commit", "-q", "-m", "A typo")
    assert refused.returncode == 1
    said = refused.stdout + refused.stderr  # git shows the hook's output on stderr
    assert (
        "content/articles/2023/summit.de.md:9:23: actors[1]: unknown actor 'vladimir-puttin'; "
        "did you mean 'vladimir-putin'?"
    ) in said
    assert re.search(r"dossier check \(changed content\)\.+Failed", said)
    assert git(repo, "log", "--oneline").stdout.count("\n") == 1  # nothing was committed

    summit.write_text(summit.read_text().replace("vladimir-puttin]", "vladimir-putin]"))
    git(repo, "add", "content/articles/2023/summit.de.md")
    fixed = git(repo, "commit", "-q", "--allow-empty", "-m", "Fixed")
    assert fixed.returncode == 0, fixed.stdout


def test_the_pre_commit_hook_refuses_a_change_to_one_language_version_only(
    tmp_path: Path,
) -> None:
    """An actor added to the English version alone: the German version, which the commit does
    not touch, is where the build would fail, and where the hook says so."""
    repo = newsroom(tmp_path, REPO / "content")
    english = repo / "content/articles/2023/missile-launches-sunan.en.md"
    text = english.read_text(encoding="utf-8")
    english.write_text(text.replace("actors:\n", "actors:\n  - china\n", 1), encoding="utf-8")
    git(repo, "add", "content/articles/2023/missile-launches-sunan.en.md")
    pre_commit = str(DOSSIER.with_name("pre-commit"))
    refused = subprocess.run(
        [pre_commit, "run"], cwd=repo, capture_output=True, text=True, check=False,
        env={"PATH": f"{DOSSIER.parent}:/usr/bin:/bin", "HOME": str(tmp_path),
             "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
             "PYTHONPATH": str(REPO / "plugins")},
    )  # fmt: skip
    assert refused.returncode == 1
    assert re.search(r"dossier check \(changed content\)\.+Failed", refused.stdout)
    assert (
        "content/articles/2023/missile-launches-sunan.de.md:9:1: actors: lacks 'china', which "
        "the 'en' version lists"
    ) in refused.stdout
    assert git(repo, "commit", "-q", "-m", "China").returncode == 1
    assert git(repo, "log", "--oneline").stdout.count("\n") == 1  # nothing was committed


def test_the_pre_commit_hook_refuses_the_removal_of_an_entry_articles_name(
    tmp_path: Path,
) -> None:
    """pre-commit passes no removed file; the hook for removals asks git, and finds the
    articles that still name the entry."""
    repo = newsroom(tmp_path, REPO / "content")
    git(repo, "rm", "-q", "content/entities/actors/china.yaml")
    refused = git(repo, "commit", "-q", "-m", "No China")
    said = refused.stdout + refused.stderr
    assert refused.returncode == 1, said
    assert re.search(r"dossier check \(removed content\)\.+Failed", said)
    assert re.search(
        r"^content/articles/2023/shoigu-pyongyang\.en\.md:\d+:\d+: actors\[\d+\]: "
        r"unknown actor 'china'",
        said,
        re.MULTILINE,
    ), said
    assert git(repo, "log", "--oneline").stdout.count("\n") == 1
