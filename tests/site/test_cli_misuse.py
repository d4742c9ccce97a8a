"""Every command, given what a hurried or confused editor types: a broken or misplaced settings
file, ids and slugs that are paths or patterns, a field given twice, arguments that are not
UTF-8, an editor form that is not the one Dossier wrote. Each must end in one message that says
what is wrong, where, and what to do, with the documented exit status, and leave every file as
it was."""

from __future__ import annotations

import hashlib
import json
from contextlib import chdir
from pathlib import Path

import pytest
from click.testing import CliRunner
from dossier.cli import main

from ..conftest import REPO, Result, Site, make_site

EPOCH = "1790000000"  # 2026-09-21, as in test_editor_tools


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return make_site(tmp_path / "site", REPO / "content")


def run_with(site: Site, settings: str, *args: str) -> Result:
    """``dossier ARGS --settings SETTINGS`` in the site's folder."""
    with chdir(site.root):
        result = CliRunner().invoke(main, [*args, "--settings", settings], catch_exceptions=False)
    return Result(result.exit_code, result.output)


def tree(root: Path) -> dict[str, str]:
    """Every file below ``root`` (symbolic links as their target), by its hash."""
    found = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[key] = f"-> {path.readlink()}"
        elif path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            found[key] = "folder"
    return found


def error_line(output: str) -> str:
    """The line click prints for wrong usage, without its 'Error: ' prefix."""
    return next(line for line in output.splitlines() if line.startswith("Error: "))[7:]


# --- the settings file ------------------------------------------------------------------------

SETTINGS_FILES = {
    "syntax.py": (
        "X = 1\nPATH = \n",
        "syntax.py:2: invalid syntax; this settings file is not valid Python",
    ),
    "raises.py": (
        "X = 1\nraise RuntimeError('no such host')\n",
        (
            "raises.py:2: reading the settings file raised RuntimeError: no such host; fix "
            "the file, or name another"
        ),
    ),
    "exits.py": (
        "import sys\nsys.exit(3)\n",
        "exits.py:2: the settings file exits (status 3) instead of setting values",
    ),
    "missing-import.py": (
        "from nowhere_settings import *\n",
        (
            "missing-import.py:1: reading the settings file raised ModuleNotFoundError: No module "
            "named 'nowhere_settings'; fix the file, or name another"
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(SETTINGS_FILES))
@pytest.mark.parametrize(
    "command",
    [
        ("check",),
        ("build",),
        ("refs", "kim-jong-un"),
        ("new", "article", "--lang", "en", "--title", "A title"),
        ("editor-config",),
    ],
)
def test_a_settings_file_that_cannot_be_read_is_one_located_line(
    sample: Site, name: str, command: tuple[str, ...]
) -> None:
    text, message = SETTINGS_FILES[name]
    (sample.root / name).write_text(text, encoding="utf-8")
    before = tree(sample.root)
    result = run_with(sample, name, *command)
    assert result.exit_code == 2, result.output
    assert error_line(result.output) == f"Invalid value for --settings: {message}"
    assert "Traceback" not in result.output
    assert tree(sample.root) == before


def test_a_relative_path_is_taken_from_the_settings_files_folder_and_says_so(
    sample: Site,
) -> None:
    """The settings file moved into another folder: PATH = "content" names a folder there."""
    elsewhere = sample.root / "config"
    elsewhere.mkdir()
    (elsewhere / "settings.py").write_text(
        (sample.root / "settings.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = run_with(sample, "config/settings.py", "check")
    assert result.exit_code == 2
    assert error_line(result.output) == (
        f"Invalid value for --settings: config/settings.py: PATH: {elsewhere / 'content'} is "
        f"not a folder; a relative PATH is taken from the settings file's folder, {elsewhere}"
    )


# --- ids and slugs are names, never paths or patterns -----------------------------------------

ONLY = "may contain only lowercase letters a-z, digits and single hyphens"
ALONE = "(the id alone, not a file's path or name)"


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("../../outside", f"'../../outside' {ONLY}; did you mean 'outside'? {ALONE}"),
        (
            "../2023/shoigu-pyongyang",
            f"'../2023/shoigu-pyongyang' {ONLY}; did you mean 'shoigu-pyongyang'? {ALONE}",
        ),
        ("*", f"'*' {ONLY}"),
        ("shoigu-*", f"'shoigu-*' {ONLY}"),
        ("", f"'' {ONLY}"),
        ("Shoigu-Pyongyang", f"'Shoigu-Pyongyang' {ONLY}; did you mean 'shoigu-pyongyang'?"),
        (
            "content/articles/2023/shoigu-pyongyang.en.md",
            (
                f"'content/articles/2023/"
                f"shoigu-pyongyang.en.md' {ONLY}; did you mean 'shoigu-pyongyang'? {ALONE}"
            ),
        ),
    ],
)
def test_translate_takes_a_slug_never_a_path_or_a_pattern(
    sample: Site, slug: str, message: str
) -> None:
    """A path reached articles outside the content folder (a traceback when writing the
    translation beside them), a pattern matched any article."""
    outside = sample.root.parent / "outside.en.md"
    outside.write_bytes((sample.content / "articles/2023/shoigu-pyongyang.en.md").read_bytes())
    before = tree(sample.root.parent)
    result = sample.run("translate", slug, "--to", "de")
    assert result.exit_code == 2, result.output
    assert error_line(result.output) == f"Invalid value for SLUG: {message}"
    assert tree(sample.root.parent) == before


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            ("refs", "KIM-JONG-UN"),
            "ID: no registry entry has the id 'KIM-JONG-UN'; did you mean 'kim-jong-un'?",
        ),
        (
            ("rename", "content/entities/actors/kim-jong-un.yaml", "kim"),
            (
                "ID: no registry entry has the id 'content/entities/actors/kim-jong-un.yaml'; "
                f"did you mean 'kim-jong-un'? {ALONE}"
            ),
        ),
        (
            ("merge", "kim-jong-un", "vladimir-putin.yaml"),
            (
                "INTO_ID: no registry entry has the id "
                f"'vladimir-putin.yaml'; did you mean 'vladimir-putin'? {ALONE}"
            ),
        ),
        (
            ("rename", "kim-jong-un", "Kim-Jong"),
            f"NEW_ID: 'Kim-Jong' {ONLY}; did you mean 'kim-jong'?",
        ),
    ],
)
def test_an_id_typed_as_a_path_or_in_capitals_points_to_the_id(
    sample: Site, command: tuple[str, ...], message: str
) -> None:
    before = tree(sample.root)
    result = sample.run(*command)
    assert result.exit_code == 2, result.output
    assert error_line(result.output) == f"Invalid value for {message}"
    assert tree(sample.root) == before


# --- new entity: each field once --------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ("--set", "type=Person", "--set", "type=Organization"),
            "'type=Organization': type is already set by --set type=Person; set it once",
        ),
        (
            ("--set", "type=Person", "--wikidata", "Q6", "--set", "wikidata=Q5"),
            "'wikidata=Q5': wikidata is already set by --wikidata Q6; set it once",
        ),
        (
            (
                "--set",
                "type=Person",
                "--set",
                "nationality=country-russia",
                "--set",
                "nationality=country-north-korea",
            ),
            (
                "'nationality=country-north-korea': nationality is already set by --set "
                "nationality=country-russia; set it once"
            ),
        ),
    ],
)
def test_new_entity_refuses_a_field_given_twice(
    sample: Site, options: tuple[str, ...], message: str
) -> None:
    """The last value won, and the others were dropped without a word."""
    before = tree(sample.root)
    result = sample.run(
        "new", "entity", "actors", "jane-roe", "--name-de", "Jane Roe", "--name-en", "Jane Roe",
        *options,
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert error_line(result.output) == f"Invalid value for --set: {message}"
    assert tree(sample.root) == before


def test_new_article_names_an_author_of_the_wrong_kind_as_such(sample: Site) -> None:
    """The entry exists, as an actor: "no registry entry has the id" was wrong."""
    before = tree(sample.root)
    result = sample.run("new", "article", "--lang", "en", "--title", "Test", "--author",
                        "kim-jong-un")  # fmt: skip
    assert result.exit_code == 2, result.output
    assert error_line(result.output) == (
        "Invalid value for --author: 'kim-jong-un' is in the registry's actors, not its "
        "authors; name an author such as 'anna-berger' (content/entities/authors/)"
    )
    assert tree(sample.root) == before


# --- editor-config: never a file Dossier did not write ----------------------------------------

AWAY = "Dossier writes frontmatter.json itself: move it away and run the command again."


def test_editor_config_keeps_the_editors_own_settings(sample: Site) -> None:
    assert sample.run("editor-config").exit_code == 0
    form = sample.root / "frontmatter.json"
    data = json.loads(form.read_text(encoding="utf-8"))
    data["frontMatter.dashboard.openOnStart"] = True
    data["frontMatter.taxonomy.dateFormat"] = "yyyy"  # Dossier's own: rewritten
    data["frontMatter.preview.host"] = "http://localhost:1313"  # the same
    form.write_text(json.dumps(data), encoding="utf-8")
    assert sample.run("editor-config", "--check").exit_code == 1
    assert sample.run("editor-config").output == "Wrote frontmatter.json.\n"
    written = json.loads(form.read_text(encoding="utf-8"))
    assert written["frontMatter.dashboard.openOnStart"] is True
    assert written["frontMatter.taxonomy.dateFormat"] == "yyyy-MM-dd'T'HH:mm:ssXXX"
    assert written["frontMatter.preview.host"] == "http://127.0.0.1:8000"
    assert list(written)[-1] == "frontMatter.dashboard.openOnStart"
    assert sample.run("editor-config", "--check").output == "frontmatter.json is current.\n"
    # new entity, rename and merge refresh the form, keeping the setting too
    assert sample.run("rename", "kim-jong-un", "kim-jong", "--apply").exit_code == 0
    refreshed = json.loads(form.read_text(encoding="utf-8"))
    assert refreshed["frontMatter.dashboard.openOnStart"] is True
    assert sample.run("editor-config", "--check").exit_code == 0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("not json\n"),
         (f"frontmatter.json:1:1: is not JSON (Expecting value); it may be someone's own file. "
         f"{AWAY}")),
        (lambda p: p.write_text("[1, 2]\n"),
         f"frontmatter.json is not a JSON object; it may be someone's own file. {AWAY}"),
        (lambda p: p.mkdir(), f"frontmatter.json is not a file. {AWAY}"),
        (lambda p: p.symlink_to(p.parent.parent / "shared.json"),
         f"frontmatter.json is a symbolic link (to ../shared.json). {AWAY}"),
    ],
)  # fmt: skip
def test_editor_config_refuses_a_form_it_did_not_write(sample: Site, make, message: str) -> None:
    """A folder was a traceback; a link was replaced by a file; any other file, overwritten."""
    form = sample.root / "frontmatter.json"
    (sample.root.parent / "shared.json").write_text('{"mine": true}\n', encoding="utf-8")
    if form.exists():
        form.unlink()
    make(form)
    if form.is_symlink():
        form.unlink()
        form.symlink_to("../shared.json")
    before = tree(sample.root.parent)
    result = sample.run("editor-config")
    assert (result.exit_code, result.output) == (1, f"Nothing was written: {message}\n")
    check = sample.run("editor-config", "--check")
    assert (check.exit_code, check.output) == (1, "frontmatter.json is out of date.\n")
    # the commands that refresh the form leave it alone
    created = sample.run(
        "new", "entity", "actors", "jane-roe", "--name-de", "Jane Roe", "--name-en", "Jane Roe",
        "--set", "type=Person",
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    assert "frontmatter.json" not in created.output
    (sample.content / "entities/actors/jane-roe.yaml").unlink()
    assert tree(sample.root.parent) == before


def test_editor_config_refuses_an_article_url_front_matter_cannot_preview(sample: Site) -> None:
    """The preview's path is made from ARTICLE_URL: a part Front Matter cannot write is named,
    and nothing is written; the commands that refresh the form leave it as it was."""
    form = sample.root / "frontmatter.json"
    form.write_bytes((REPO / "frontmatter.json").read_bytes())
    settings = sample.root / "settings.py"
    by_month = (
        'ARTICLE_URL = "{lang}/{date:%B}/{slug}/"\nARTICLE_SAVE_AS = ARTICLE_URL + "index.html"'
    )
    settings.write_text(f"{settings.read_text(encoding='utf-8')}{by_month}\n", encoding="utf-8")
    before = tree(sample.root)
    refused = (
        "Nothing was written: ARTICLE_URL '{lang}/{date:%B}/{slug}/' has %B in {date:%B}, which "
        "Front Matter's preview cannot write: it knows the strftime codes %Y, %y, %m, %d, %H, %M "
        "and %S.\n"
    )
    result = sample.run("editor-config")
    assert (result.exit_code, result.output) == (1, refused)
    assert (sample.run("editor-config", "--check").exit_code, tree(sample.root)) == (1, before)
    created = sample.run(
        "new", "entity", "actors", "jane-roe", "--name-de", "Jane Roe", "--name-en", "Jane Roe",
        "--set", "type=Person",
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    assert form.read_bytes() == (REPO / "frontmatter.json").read_bytes()


# --- arguments that are not UTF-8 -------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "param"),
    [
        (("new", "entity", "actors", "jane-roe", "--name-de", "Kim \udce4", "--name-en", "Kim",
          "--set", "type=Person"), "'--name-de'"),
        (("new", "article", "--lang", "en", "--title", "\udcff\udcfe"), "'--title'"),
        (("refs", "kim\udce4"), "'ID'"),
    ],
)  # fmt: skip
def test_an_argument_that_is_not_utf8_is_wrong_usage(
    sample: Site, command: tuple[str, ...], param: str
) -> None:
    """A Latin-1 terminal's bytes, as Python passes them (surrogate escapes): the new file was
    refused as 'not valid UTF-8; save the file with UTF-8 encoding', about a file never saved."""
    before = tree(sample.root)
    result = sample.run(*command)
    assert result.exit_code == 2, result.output
    message = error_line(result.output)
    assert message.startswith(f"Invalid value for {param}: '")
    assert message.endswith("' is not UTF-8 text; set the terminal to UTF-8 and type it again")
    assert tree(sample.root) == before
