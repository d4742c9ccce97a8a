"""The files that set up the editors' tools: VS Code's YAML schemas for every registry kind, and
the manifest of the pre-commit hooks other repositories can use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from ..conftest import REPO

DOSSIER = Path(sys.executable).with_name("dossier")  # the console script the set-up installs


def test_every_registry_kind_has_its_schema_in_the_editor_settings() -> None:
    settings = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    associations = settings["yaml.schemas"]
    kinds = [p.name for p in (REPO / "content/entities").iterdir() if p.is_dir()]
    for kind in kinds:
        schema = f"./schema/entities/{kind}.schema.json"
        assert associations[schema] == [f"content/entities/{kind}/*.yaml"]
        assert (REPO / schema).is_file()


def test_the_reusable_hooks_are_a_valid_manifest() -> None:
    result = subprocess.run(
        [str(DOSSIER.with_name("pre-commit")), "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["dossier-check"]["entry"] == "dossier check"
