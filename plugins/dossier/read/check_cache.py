"""What reading and validating learned about content that has not changed, kept between runs.

Three memories, all keyed by content rather than by file name or time stamp, so a renamed or
touched file is still known and an edited one never is:

- ``parsed``: the data of a YAML text that read without a problem. The reader takes it from here
  instead of parsing the text again; positions are worked out only when a diagnostic needs them.
- ``valid``: data that passed its JSON Schema, together with what the registry said about every
  id the data names (exists, of which kind and type). The same data under the same registry
  facts passes again, so the schema check is skipped.
- ``texts``: article texts that hold only the HTML the policy allows, under the same embed hosts
  (``validate/body.py``): the same text passes again without being read for HTML.

Problems are never cached: a file with one is read and checked in full on every run, so its
messages, did-you-means included, are always those of the current registry.

The whole cache is thrown away when Dossier's code, its data files, the schemas, jsonschema,
jsonschema-rs or python-markdown (whose patterns read the texts) change (``code_version``). It
is stored as JSON, which holds YAML's core types exactly and, unlike a pickle, cannot run code
when read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

from dossier.atomic import write_text
from dossier.read.cache_files import SHAPE, load_json

FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent.parent  # the dossier package


def digest(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def code_version(schema_dir: Path) -> str:
    """Everything besides the content that decides what reading and validating find."""
    files = [
        *((_PACKAGE, p) for p in sorted(_PACKAGE.rglob("*.py"))),
        *((_PACKAGE, p) for p in sorted(_PACKAGE.glob("data/*.yaml"))),
        *((schema_dir, p) for p in sorted(schema_dir.rglob("*.schema.json"))),
    ]
    h = hashlib.blake2b(digest_size=16)
    libraries = ("jsonschema", "jsonschema-rs", "pyyaml", "markdown")
    h.update(" ".join([str(FORMAT), *(f"{name} {version(name)}" for name in libraries)]).encode())
    for root, path in files:
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


class CheckCache:
    """The cache of one run: read from ``path`` at the start, written back by ``save``.

    Only what this run used is written back, so entries of deleted or edited files do not pile
    up. A missing, unreadable or outdated file is an empty cache, never an error; so is a
    damaged one (``cache_files``), and ``damage`` says what was wrong with it.
    """

    def __init__(self, path: Path, version: str) -> None:
        self.path, self.version = path, version
        self._parsed: dict[str, Any] = {}
        self._valid: set[str] = set()
        self._used_parsed: dict[str, Any] = {}
        self._used_valid: set[str] = set()
        self._texts: set[str] = set()
        self._used_texts: set[str] = set()
        stored, self.damage = load_json(path)
        if stored is None:
            return
        if not isinstance(stored, dict) or "version" not in stored:
            self.damage = SHAPE
        elif stored["version"] == version:
            parsed, valid = stored.get("parsed", {}), stored.get("valid", [])
            texts = stored.get("texts", [])
            if (
                isinstance(parsed, dict)
                and isinstance(valid, list)
                and isinstance(texts, list)
                and _texts(valid)
                and _texts(texts)
            ):
                self._parsed, self._valid, self._texts = parsed, set(valid), set(texts)
            else:
                self.damage = SHAPE

    # --- parsed YAML -------------------------------------------------------------------------

    @staticmethod
    def text_key(text: str, first_line: int) -> str:
        """A YAML text's key (where it starts counts: positions depend on it)."""
        return digest(str(first_line), text)

    def data(self, key: str) -> Any | None:
        found = self._parsed.get(key)
        if found is not None:
            self._used_parsed[key] = found
        return found

    def remember(self, key: str, data: Any) -> None:
        self._used_parsed[key] = data

    # --- schema verdicts ---------------------------------------------------------------------

    @staticmethod
    def verdict_key(schema: str, text_key: str, facts: Iterable[tuple[str, ...]]) -> str:
        """What a schema verdict depends on: the schema, the data (known by the key of the text
        it was read from), and the registry's facts about the ids the data names."""
        return digest(schema, text_key, *("\t".join(fact) for fact in sorted(facts)))

    def passed(self, key: str) -> bool:
        if key in self._valid or key in self._used_valid:  # (used: passed in this run)
            self._used_valid.add(key)
            return True
        return False

    def record_pass(self, key: str) -> None:
        self._used_valid.add(key)

    # --- article texts ---------------------------------------------------------------------

    @staticmethod
    def text_verdict_key(text: str, embed_hosts: Iterable[str]) -> str:
        return digest("text", text, *embed_hosts)

    def text_passed(self, key: str) -> bool:
        if key in self._texts or key in self._used_texts:
            self._used_texts.add(key)
            return True
        return False

    def record_text_pass(self, key: str) -> None:
        self._used_texts.add(key)

    # --- storage -----------------------------------------------------------------------------

    def save(self) -> None:
        """Write what this run used, atomically, unless that is what was read; a cache that
        cannot be written is skipped (the next run is just slower)."""
        if (
            self._used_parsed.keys() == self._parsed.keys()
            and self._used_valid == self._valid
            and self._used_texts == self._texts
        ):
            return
        stored = {
            "version": self.version,
            "parsed": self._used_parsed,
            "valid": sorted(self._used_valid),
            "texts": sorted(self._used_texts),
        }
        text = json.dumps(stored, ensure_ascii=False, separators=(",", ":"))
        with contextlib.suppress(OSError):
            write_text(self.path, text)


def _texts(values: list) -> bool:
    return all(isinstance(value, str) for value in values)


def registry_facts(data: Any, kinds: Mapping[str, str], types: Mapping[str, str]) -> set[tuple]:
    """For every text in ``data`` that is a registry id: the id, its kind and its type."""
    found: set[tuple] = set()
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if value in kinds:
                found.add((value, kinds[value], types.get(value, "")))
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found
