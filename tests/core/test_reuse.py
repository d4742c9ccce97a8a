"""The build version, which names the published build a rebuild may keep files from: the same
settings give the same version, whatever objects they hold. Rebuilds of fixture sites are in
tests/site/test_incremental.py."""

from __future__ import annotations

from pathlib import Path

from dossier.publish.reuse import build_version

from ..support.plain import plain


def test_the_build_version_names_objects_by_what_they_are() -> None:
    """A setting holding a function or an object counts by its name, not by its address."""

    class Thing:
        pass

    root = Path(__file__).resolve().parent.parent.parent
    settings = {
        "DOSSIER_SCHEMA_PATH": str(root / "schema"),
        "THEME": str(root / "theme"),
        "JINJA_FILTERS": {"f": plain},
    }
    first = build_version({**settings, "X": Thing()}, frozenset())
    assert build_version({**settings, "X": Thing()}, frozenset()) == first
    assert build_version({**settings, "X": 1}, frozenset()) != first
