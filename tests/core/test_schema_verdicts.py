"""The compiled validator decides whether data is valid; jsonschema words the errors of data that
is not. What the compiled one passes, jsonschema must pass too, or an error would go unreported
(and its cached verdict keep it unreported). On every document of the fixture site, the sample
content and every bad fixture, the two give the same verdict; on the values where their rules
could differ (the regex dialect, formats the standard defines otherwise, text Rust cannot hold,
numbers), the pair decides as jsonschema does."""

from __future__ import annotations

import copy
from contextlib import chdir
from pathlib import Path
from typing import Any

import pytest
from dossier.check import read_content
from dossier.plugin import read_settings
from dossier.schemas import SchemaValidator, load_schemas
from dossier.settings import read
from dossier.validate.run import _context

from ..conftest import FIXTURES, REPO, make_site

BAD = sorted(p.name for p in (FIXTURES / "bad").iterdir() if p.is_dir())


def _documents(root: Path) -> list[tuple[str, Any, SchemaValidator]]:
    """Every document of the site at ``root`` that could be read, with its schema's validator
    for the site's registry."""
    settings, _ = read(read_settings(root / "settings.py") | {"PATH": str(root / "content")})
    with chdir(root):
        corpus, schemas = read_content(settings, root)
    ctx = _context(corpus, schemas, settings.timezone)[1]
    validators = schemas.validators(ctx.ids_by_kind, ctx.types)
    docs = [("article", d) for d in corpus.articles] + [(e.kind, e.doc) for e in corpus.entities]
    return [(doc.display, doc.data, validators[kind]) for kind, doc in docs if doc.data is not None]


def _worded(validator: SchemaValidator, data: Any) -> bool:
    return next(validator.worded.iter_errors(data), None) is None


def _compiled(validator: SchemaValidator, data: Any) -> bool | None:
    """The compiled validator's verdict; None when it cannot read the data."""
    try:
        return validator.compiled.is_valid(data)
    except ValueError:
        return None


@pytest.mark.parametrize("case", ["fixture site", "sample content", *BAD])
def test_both_validators_give_every_document_the_same_verdict(case: str, tmp_path: Path) -> None:
    content = REPO / "content" if case == "sample content" else FIXTURES / "site" / "content"
    overlay = FIXTURES / "bad" / case if case in BAD else None
    site = make_site(tmp_path / "site", content, overlay)
    documents = _documents(site.root)
    assert documents
    compiled = [(shown, _compiled(v, data)) for shown, data, v in documents]
    assert compiled == [(shown, _worded(v, data)) for shown, data, v in documents]


def test_the_bad_fixtures_hold_documents_both_find_invalid(tmp_path: Path) -> None:
    """So that the comparison above compares verdicts of both kinds."""
    for case in BAD:
        make_site(tmp_path / case, FIXTURES / "site" / "content", FIXTURES / "bad" / case)
    invalid = [
        shown
        for case in BAD
        for shown, data, v in _documents(tmp_path / case)
        if not _worded(v, data) and _compiled(v, data) is False
    ]
    assert len(invalid) > 20, invalid


# --- values where the two could differ ---------------------------------------------------

IDS = {"authors": {"anna-berger"}, "actors": {"kim-jong-un", "north-korea"}}
IDS |= {"locations": {"country-north-korea", "vostochny-cosmodrome"}}
TYPES = {"kim-jong-un": "Person", "north-korea": "Country", "vostochny-cosmodrome": "Place"}
TYPES |= {"country-north-korea": "Country"}

ARTICLE = {
    "title": "Launch",
    "slug": "launch",
    "lang": "en",
    "date": "2023-09-13T14:30:00+02:00",
    "authors": ["anna-berger"],
    "summary": "A launch.",
    "actors": ["kim-jong-un"],
    "sources": [{"url": "https://example.org/a", "title": "A", "publisher": "B"}],
    "formerly": [{"slug": "start", "year": 2022}],
}
ACTOR = {"type": "Person", "name": {"de": "Kim", "en": "Kim"}, "nationality": "north-korea"}


def _with(data: dict[str, Any], path: tuple, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    inner = changed
    for part in path[:-1]:
        inner = inner[part]
    inner[path[-1]] = value
    return changed


# (what, schema, field path, value, whether jsonschema finds it valid)
CASES = [
    ("the article as given", "article", ("title",), "Launch", True),
    # Python's \s holds the separators U+001C-U+001F, Rust's does not: the formats refuse them.
    ("a file separator as the title", "article", ("title",), "\x1c", False),
    ("a unit separator in the title", "article", ("title",), "Kim\x1fPutin", False),
    ("a separator after http://", "article", ("sources", 0, "url"), "http://\x1fex.org", False),
    ("an ideographic space as the summary", "article", ("summary",), "\u3000", False),
    # Dossier's formats, not the standard's: RFC 3339 takes a lower-case t and z, and wants
    # seconds; an absolute URI may have any scheme.
    ("a lower-case t and z", "article", ("date",), "2023-09-13t14:30:00z", False),
    ("a time without seconds", "article", ("date",), "2023-09-13T14:30+02:00", True),
    ("a time without an offset", "article", ("date",), "2023-09-13T14:30:00", False),
    ("a date of 30 February", "article", ("date",), "2023-02-30T14:30:00+02:00", False),
    ("a source as a calendar date", "article", ("sources", 0, "date"), "2023-09-13", True),
    ("a URL with a space", "article", ("sources", 0, "url"), "https://ex.org/a b", False),
    ("a URL of another scheme", "article", ("sources", 0, "url"), "ftp://ex.org", False),
    ("a URL with no host", "article", ("sources", 0, "url"), "https:///a", False),
    # Lengths count characters (code points), not bytes or UTF-16 units.
    ("110 astral characters", "article", ("title",), "\U0001f680" * 110, True),
    ("111 astral characters", "article", ("title",), "\U0001f680" * 111, False),
    # A lone surrogate (a YAML escape brings one) is no text Rust holds: jsonschema decides.
    ("a lone surrogate in the title", "article", ("title",), "Launch \ud800", True),
    # Numbers: a whole float is an integer, true is not, large integers compare exactly.
    ("a year as a whole float", "article", ("formerly", 0, "year"), 2022.0, True),
    ("a year as true", "article", ("formerly", 0, "year"), True, False),
    ("a year past any machine word", "article", ("formerly", 0, "year"), 10**30, False),
    ("a slug that is a number", "article", ("slug",), 12, False),
    ("an id listed twice", "article", ("actors",), ["kim-jong-un", "kim-jong-un"], False),
    ("a former address twice", "article", ("formerly", 1), {"slug": "start", "year": 2022}, False),
    # The registry's keywords.
    ("an author not in the registry", "article", ("authors", 0), "anna-b", False),
    ("an actor of another kind", "article", ("actors", 0), "vostochny-cosmodrome", False),
    ("a nationality that is a place", "actors", ("nationality",), "vostochny-cosmodrome", False),
    ("a nationality that is an actor", "actors", ("nationality",), "kim-jong-un", False),
    ("a nationality that is a country", "actors", ("nationality",), "country-north-korea", True),
]


@pytest.fixture(scope="module")
def validators() -> dict[str, SchemaValidator]:
    return load_schemas(REPO / "schema").validators(IDS, TYPES)


@pytest.mark.parametrize(
    ("schema", "path", "value", "valid"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_value_the_validators_could_read_differently(
    validators: dict[str, SchemaValidator], schema: str, path: tuple, value: Any, valid: bool
) -> None:
    if path == ("formerly", 1):
        data = _with(ARTICLE, ("formerly",), [*ARTICLE["formerly"], value])
    else:
        data = _with(ARTICLE if schema == "article" else ACTOR, path, value)
    validator = validators[schema]
    assert _worded(validator, data) is valid
    assert _compiled(validator, data) in ({valid, None} if "\ud800" in str(value) else {valid})
    messages = lambda errors: [(e.json_path, e.message) for e in errors]  # noqa: E731
    assert messages(validator.iter_errors(data)) == messages(validator.worded.iter_errors(data))


def test_a_line_break_before_the_end_passes_a_pattern_only_in_python(
    validators: dict[str, SchemaValidator],
) -> None:
    """Python's ``$`` also matches before a final line break, Rust's only at the end: there the
    compiled validator is the stricter one, and jsonschema, asked again, has the last word."""
    data = _with(ARTICLE, ("slug",), "launch\n")
    validator = validators["article"]
    assert validator.compiled.is_valid(data) is False
    assert _worded(validator, data)
    assert list(validator.iter_errors(data)) == []
