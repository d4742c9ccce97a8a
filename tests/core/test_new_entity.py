"""`dossier new entity` through the real entry point: the kind named in the plural or the
singular, and every field the entry still needs reported in one run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ..conftest import FIXTURES, Site, make_site


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return make_site(tmp_path / "site", FIXTURES / "site" / "content")


RAJIN = ["rajin", "--name-de", "Radschin", "--name-en", "Rajin"]
PROBLEM = re.compile(r"^content/entities/locations/rajin\.yaml:\d+:\d+: ([\w.\[\]]+): (.*)$")


def problems(output: str) -> dict[str, str]:
    return {m[1]: m[2] for line in output.splitlines() if (m := PROBLEM.match(line))}


@pytest.mark.parametrize("kind", ["location", "locations", "Location"])
def test_every_missing_field_is_reported_in_one_run(site: Site, kind: str) -> None:
    refused = site.run("new", "entity", kind, *RAJIN)
    assert refused.exit_code == 1, refused.output
    assert problems(refused.output) == {
        "type": "required field is missing",
        "geo": "every location except a Country needs geo: {lat: …, lon: …}",
    }
    assert not (site.content / "entities/locations/rajin.yaml").exists()
    # What the messages asked for, given at once, is enough.
    geo = "geo={lat: 42.25, lon: 130.28}"
    made = site.run("new", "entity", kind, *RAJIN, "--set", "type=City", "--set", geo)
    assert made.exit_code == 0, made.output
    entry = yaml.safe_load((site.content / "entities/locations/rajin.yaml").read_text("utf-8"))
    assert entry["type"] == "City"
    assert entry["geo"] == {"lat": 42.25, "lon": 130.28}


def test_a_sanction_lists_all_it_needs(site: Site) -> None:
    names = ["--name-de", "Resolution 2087", "--name-en", "Resolution 2087"]
    refused = site.run("new", "entity", "sanction", "unsc-resolution-2087", *names)
    assert refused.exit_code == 1
    line = re.compile(r"^content/entities/sanctions/[\w-]+\.yaml:\d+:\d+: (\w+): required", re.M)
    fields = line.findall(refused.output)
    assert sorted(fields) == ["adopted", "adopted_by", "identifier"]


def test_an_unknown_kind_is_named_with_the_kinds(site: Site) -> None:
    result = site.run("new", "entity", "locaton", *RAJIN)
    assert result.exit_code == 2
    kinds = "actors, locations, sanctions, events, topics, authors"
    assert f"'locaton' is no kind of entry: {kinds}" in result.output
    assert "did you mean 'location'?" in result.output
