"""The code's shape, as the README and docs/architecture.md describe it: the import rules of
pyproject.toml's [tool.importlinter] hold (each stage imports only the stages before it; only the
Pelican edge imports Pelican; the pure core neither Pelican nor Jinja), and no module imports
itself by a round-about way."""

from __future__ import annotations

import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import grimp

from ..conftest import REPO


def test_the_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_no_import_cycles() -> None:
    graph = grimp.build_graph("dossier")
    imports = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    try:
        TopologicalSorter(imports).prepare()
    except CycleError as error:
        raise AssertionError(f"an import cycle: {' -> '.join(error.args[1])}") from None
    assert len(imports) > 40  # the whole package was read
