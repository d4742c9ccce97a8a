"""The editor's front matter form, frontmatter.json, is exactly what `dossier editor-config` makes
of the registry and the schemas today."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ..conftest import REPO

DOSSIER = Path(sys.executable).with_name("dossier")  # the console script the set-up installs


def test_the_committed_front_matter_form_is_current(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(DOSSIER), "editor-config", "--check"], cwd=REPO, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout
    config = json.loads((REPO / "frontmatter.json").read_text(encoding="utf-8"))
    (content_type,) = config["frontMatter.taxonomy.contentTypes"]
    fields = {f["name"]: f for f in content_type["fields"]}
    actors = {c["id"] for c in fields["actors"]["choices"]}
    assert actors == {p.stem for p in (REPO / "content/entities/actors").glob("*.yaml")}
    assert fields["actors"]["multiple"] is True
    assert fields["lang"]["choices"] == ["de", "en"]
