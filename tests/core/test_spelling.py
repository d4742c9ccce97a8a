"""Did-you-mean (dossier.spelling.closest), the one function every suggestion comes from: for a
registry reference, the ids of the kind its field wants, checked against editors' real typos
and against words that must get no suggestion (tests/fixtures/spelling/references.yaml),
through the function and through `dossier check` and `dossier refs`; and the fields, choices
and kinds other messages suggest."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from dossier.data import load_kinds
from dossier.schemas import load_schemas
from dossier.spelling import closest

from ..conftest import FIXTURES, REPO, Site, make_site

CASES = yaml.safe_load((FIXTURES / "spelling" / "references.yaml").read_text("utf-8"))
TYPOS, HARD, STRANGERS = CASES["typos"], CASES["hard"], CASES["strangers"]
SCHEMAS = load_schemas(REPO / "schema")
MEANT = re.compile(r"did you mean '([^']+)'\?")


def _registry() -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """The sample registry's ids by kind, and each entry's names and aliases."""
    ids: dict[str, set[str]] = {}
    names: dict[str, list[str]] = {}
    for path in sorted((REPO / "content" / "entities").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        ids.setdefault(path.parent.name, set()).add(path.stem)
        names[path.stem] = [*data["name"].values(), *data.get("aliases", [])]
    return ids, names


IDS, NAMES = _registry()


def kinds_of(schema: str, field: str) -> list[str]:
    """The kinds a field's ids must be of, as its schema says (``x-registry``)."""
    found = SCHEMAS.article if schema == "article" else SCHEMAS.entities[schema]
    prop = found["properties"][field]
    wanted = prop.get("x-registry") or prop["items"]["x-registry"]
    return [wanted] if isinstance(wanted, str) else wanted


def suggestion(case: dict) -> str | None:
    candidates = {i: NAMES[i] for kind in kinds_of(case["in"], case["field"]) for i in IDS[kind]}
    return closest(case["typed"], candidates, candidates)


def test_the_list_names_real_ids_of_the_fields_kinds() -> None:
    """A typo's meant id is in the sample registry, of a kind its field takes; a stranger is
    no id of such a kind (else it would be no mistake)."""
    for case in [*TYPOS, *HARD]:
        assert case["meant"] in {i for k in kinds_of(case["in"], case["field"]) for i in IDS[k]}
    for case in STRANGERS:
        assert case["typed"] not in {i for k in kinds_of(case["in"], case["field"]) for i in IDS[k]}
    assert len(TYPOS) >= 40
    assert len(STRANGERS) >= 20


def test_every_typo_is_suggested_the_id_meant_and_no_stranger_anything(summary) -> None:
    missed = [(c["typed"], suggestion(c), c["meant"]) for c in TYPOS if suggestion(c) != c["meant"]]
    false = [(c["typed"], suggestion(c)) for c in STRANGERS if suggestion(c) is not None]
    hard = [suggestion(c) for c in HARD]
    hit = len(TYPOS) - len(missed) + sum(s == c["meant"] for s, c in zip(hard, HARD, strict=True))
    summary.append(
        f"did-you-mean: {hit} of {len(TYPOS) + len(HARD)} typos hit; "
        f"{len(false)} of {len(STRANGERS)} words that mean no entry given a suggestion"
    )
    assert missed == []
    assert false == []
    assert [s for s, c in zip(hard, HARD, strict=True) if s not in {None, c["meant"]}] == []


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return make_site(tmp_path_factory.mktemp("suggest") / "site", REPO / "content")


def test_check_suggests_what_the_list_says(sample: Site) -> None:
    """The article fields' cases, all in one article: `dossier check` suggests the id meant
    for each typo and nothing for each stranger, in the field's own message."""
    cases = [c for c in [*TYPOS, *HARD, *STRANGERS] if c["in"] == "article"]
    fields: dict[str, list[str]] = {}
    for case in cases:
        fields.setdefault(case["field"], []).append(case["typed"])
    front = {
        "title": "Typos",
        "slug": "typos",
        "lang": "en",
        "date": "2023-09-13T08:00:00+02:00",
        "summary": "Every reference mistyped.",
        **fields,
    }
    sample.write("articles/2023/typos.en.md", f"---\n{yaml.safe_dump(front)}---\nText.\n")
    result = sample.run("check", "content/articles/2023/typos.en.md", "--format", "json")
    found = {
        d["field"]: d["hint"]
        for d in json.loads(result.output)["diagnostics"]
        if d["code"] == "unknown-reference"
    }
    for case in cases:
        where = f"{case['field']}[{fields[case['field']].index(case['typed'])}]"
        meant = MEANT.search(found[where])
        assert (meant.group(1) if meant else None) == suggestion(case), (where, found[where])


def test_refs_suggests_an_id_only_when_it_is_likely(tmp_path: Path) -> None:
    """`dossier refs`, `rename` and `merge` look an id up among all kinds."""
    sample = make_site(tmp_path / "site", REPO / "content")
    typo = sample.run("refs", "vladimir-puttin")
    assert typo.exit_code == 2
    assert "no registry entry has the id 'vladimir-puttin'; did you mean 'vladimir-putin'?" in (
        typo.output
    )
    stranger = sample.run("refs", "rajin")
    assert stranger.exit_code == 2
    assert "no registry entry has the id 'rajin'" in stranger.output
    assert "did you mean" not in stranger.output


@pytest.mark.parametrize(
    ("typed", "candidates", "meant"),
    [
        ("titel", list(SCHEMAS.article["properties"]), "title"),
        ("autors", list(SCHEMAS.article["properties"]), "authors"),
        ("Title", list(SCHEMAS.article["properties"]), "title"),
        ("colour", list(SCHEMAS.article["properties"]), None),
        ("person", ["Person", "Organization", "GovernmentOrganization", "Country"], "Person"),
        ("Organisation", ["Person", "Organization", "GovernmentOrganization", "Country"],
         "Organization"),
        ("actor", list(load_kinds()), "actors"),
        ("locaitons", list(load_kinds()), "locations"),
        ("people", list(load_kinds()), None),
        ("dateModifed", ["dateModified", "datePublished", "dateCreated"], "dateModified"),
        ("NewsArticel", ["NewsArticle", "Article", "ReportageNewsArticle"], "NewsArticle"),
        ("", ["title"], None),
        ("title", [], None),
    ],
)  # fmt: skip
def test_fields_choices_kinds_and_terms(typed: str, candidates: list[str], meant: str) -> None:
    assert closest(typed, candidates) == meant


def test_two_candidates_as_near_are_a_guess() -> None:
    assert closest("summit-2020", ["summit-2021", "summit-2022"]) is None
    assert closest("north-korea", ["north-korea-a", "north-korea-b"], {}) is None


def test_a_name_shared_by_two_entries_suggests_neither() -> None:
    names = {"kim-jong-un": ["Kim"], "kim-yo-jong": ["Kim"]}
    assert closest("kim", names, names) is None
