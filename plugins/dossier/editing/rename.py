"""Renaming and merging registry entries: every reference rewritten, the file moved, the old id
kept in ``formerly`` so that its topic pages redirect.

Planning is separate from writing: ``plan_rename`` and ``plan_merge`` read the corpus and
return the new text of every file (or the conflicts that forbid the change); ``diff`` shows a
plan, ``file_changes`` turns it into the files a commit writes (``editing.commit``). Edits go
through ruamel.yaml's round trip (``roundtrip``), so comments, quotes and list styles stay as
the editor wrote them, and every id or name a command puts in is quoted where YAML 1.1 would
read it as something else than text (``roundtrip.text``).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

from dossier.editing import roundtrip
from dossier.editing.commit import FileChange, encoded
from dossier.editing.references import find_references, former_ids
from dossier.read.corpus import Corpus, EntityFile, display_path
from dossier.read.source import Document
from dossier.schemas import Schemas, id_fields, ids_in


@dataclass
class Change:
    path: Path  # the file as it is now (absolute)
    before: str
    after: str | None  # None: the file is removed
    move_to: Path | None = None


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def plan_rename(corpus: Corpus, schemas: Schemas, old: str, new: str) -> Plan:
    """``old`` becomes ``new`` everywhere; the entry's file is moved and lists ``old`` in its
    ``formerly``."""
    plan = Plan()
    entities = {e.id: e for e in corpus.entities}
    entry = entities[old]
    if _unreadable(entry, plan):
        return plan
    formers = former_ids(corpus)
    if new in entities:
        plan.conflicts.append(
            f"'{new}' is already the id of {entities[new].doc.display}; to make one entry of "
            f"the two, run: dossier merge {old} {new}"
        )
    if formers.get(new, old) != old:
        plan.conflicts.append(
            f"'{new}' is a former id of '{formers[new]}' and its old address redirects there"
        )
    target = entry.doc.path.with_name(f"{new}.yaml")
    if target.exists() and new not in entities:
        plan.conflicts.append(f"{target.name} already exists beside {entry.doc.display}")
    _unparsed(corpus, old, plan)
    if plan.conflicts:
        return plan
    edits = _rewrite_references(corpus, schemas, old, new, skip={entry.doc.path})
    document = _editable(entry.doc)
    data = document.data
    former = [f for f in data.get("formerly", []) if f != new]  # renamed back: no loop
    formerly = _seq([*former, roundtrip.text(old)], data.get("formerly"))
    _put(data, "formerly", formerly, schemas, entry.kind)
    edits[entry.doc.path] = Change(entry.doc.path, _before(entry.doc), _after(entry.doc, document))
    edits[entry.doc.path].move_to = target
    plan.changes = sorted(edits.values(), key=lambda c: c.path)
    return plan


def plan_merge(corpus: Corpus, schemas: Schemas, old: str, into: str) -> Plan:
    """``old`` is folded into ``into``: references point at ``into``, which takes ``old``'s
    names as aliases, its former ids, and the fields it lacks; ``old``'s file is removed."""
    plan = Plan()
    entities = {e.id: e for e in corpus.entities}
    source, target = entities[old], entities[into]
    if _unreadable(source, plan) | _unreadable(target, plan):
        return plan
    a, b = _plain(source), _plain(target)
    if source.kind != target.kind:
        plan.conflicts.append(
            f"'{old}' is one of the {source.kind}, '{into}' one of the {target.kind}: only "
            "entries of one kind can be merged"
        )
    if a.get("type") and b.get("type") and a["type"] != b["type"]:
        plan.conflicts.append(
            f"'{old}' has the type {a['type']}, '{into}' {b['type']}: make the types agree "
            "first if they are one and the same"
        )
    if a.get("wikidata") and b.get("wikidata") and a["wikidata"] != b["wikidata"]:
        plan.conflicts.append(
            f"'{old}' is {a['wikidata']} on Wikidata, '{into}' {b['wikidata']}: make them agree "
            "first if they are one and the same"
        )
    _unparsed(corpus, old, plan)
    edits = _rewrite_references(corpus, schemas, old, into, {source.doc.path, target.doc.path})
    document = _editable(target.doc)
    data = document.data
    links = id_fields(schemas.entities[target.kind])
    for name in links:
        _replace_ids(data, name, old, into)
    known = {*_names(b), *b.get("aliases", [])}
    new_aliases = [_text(n) for n in [*_names(a), *a.get("aliases", [])] if n not in known]
    if new_aliases:
        aliases = _seq([*data.get("aliases", []), *dict.fromkeys(new_aliases)], data.get("aliases"))
        _put(data, "aliases", aliases, schemas, target.kind)
    former = [*data.get("formerly", []), *map(_text, a.get("formerly", [])), roundtrip.text(old)]
    _put(
        data,
        "formerly",
        _seq(list(dict.fromkeys(former)), data.get("formerly")),
        schemas,
        target.kind,
    )
    source_data = _editable(source.doc).data
    for key, value in source_data.items():
        if key not in data and key not in {"aliases", "formerly"}:
            _put(data, key, value, schemas, target.kind)
            _replace_ids(data, key, old, into)
    for name in links:
        value = data.get(name)
        if into in ids_in(value):
            plan.conflicts.append(
                f"{target.doc.display}: {name} would name '{into}' itself once '{old}' is merged "
                "into it; remove that link from one of the two files first"
            )
    if plan.conflicts:
        return plan
    edits[target.doc.path] = Change(
        target.doc.path, _before(target.doc), _after(target.doc, document)
    )
    edits[source.doc.path] = Change(source.doc.path, _before(source.doc), None)
    plan.changes = sorted(edits.values(), key=lambda c: c.path)
    return plan


def diff(plan: Plan, cwd: Path) -> str:
    """The plan as a unified diff, with git's words for moved and removed files."""
    out = []
    for change in plan.changes:
        a = display_path(change.path, cwd)
        b = display_path(change.move_to, cwd) if change.move_to else a
        if change.move_to:
            out.append(f"rename from {a}\nrename to {b}\n")
        if change.after is None:
            out.append(f"deleted file {a}\n")
        lines = difflib.unified_diff(
            change.before.splitlines(keepends=True),
            (change.after or "").splitlines(keepends=True),
            f"a/{a}",
            "/dev/null" if change.after is None else f"b/{b}",
        )
        out.append("".join(lines))
    return "".join(out)


def file_changes(plan: Plan) -> list[FileChange]:
    """The plan as the files a commit writes: each changed file's bytes before and after, a
    moved file as a new one and a removed one."""
    out = []
    for change in plan.changes:
        before = change.before.encode("utf-8")
        after = None if change.after is None else encoded(change.after)
        if change.move_to:
            out += [FileChange(change.move_to, None, after), FileChange(change.path, before, None)]
        else:
            out.append(FileChange(change.path, before, after))
    return out


# --- edits ------------------------------------------------------------------------------------


def _rewrite_references(
    corpus: Corpus, schemas: Schemas, old: str, new: str, skip: set[Path]
) -> dict[Path, Change]:
    docs = {doc.display: doc for doc in [*corpus.articles, *(e.doc for e in corpus.entities)]}
    kinds = {e.doc.display: e.kind for e in corpus.entities}
    edits = {}
    for display in dict.fromkeys(r.path for r in find_references(corpus, schemas, old, "en")):
        doc = docs[display]
        if doc.path in skip:
            continue
        schema = schemas.entities[kinds[display]] if display in kinds else schemas.article
        document = _editable(doc)
        for name in id_fields(schema):
            _replace_ids(document.data, name, old, new)
        edits[doc.path] = Change(doc.path, _before(doc), _after(doc, document))
    return edits


def _replace_ids(data: CommentedMap, name: str, old: str, new: str) -> None:
    """``old`` becomes ``new`` in the field; a list that then names an id twice keeps the first
    (deleting in place keeps the comments of the other items)."""
    value = data.get(name)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if item == old:
                value[i] = _like(item, new)
                roundtrip.shift_comment(value, i, 0, len(new) - len(old))
        for i in reversed(range(len(value))):
            if value[i] in value[:i]:
                del value[i]
    elif value == old:
        data[name] = _like(value, new)
        roundtrip.shift_comment(data, name, 2, len(new) - len(old))


def _like(original: Any, text: str) -> Any:
    """``text`` in the quoting style of the value it replaces (quoted if YAML needs it)."""
    return type(original)(text) if isinstance(original, ScalarString) else roundtrip.text(text)


def _text(value: Any) -> Any:
    """A value the reader read (plain data), written back so that it reads the same."""
    return roundtrip.text(value) if isinstance(value, str) else value


def _put(data: CommentedMap, key: str, value: Any, schemas: Schemas, kind: str) -> None:
    roundtrip.put(data, key, value, list(schemas.entities[kind].get("properties", {})))


def _seq(items: list[Any], like: Any) -> CommentedSeq:
    """A list in the style of the one it replaces (flow ``[a, b]`` or block)."""
    seq = CommentedSeq(items)
    if isinstance(like, CommentedSeq) and like.fa.flow_style():
        seq.fa.set_flow_style()
    return seq


def _editable(doc: Document) -> roundtrip.Editable:
    source = roundtrip.Source.read(doc.path)
    text = roundtrip.split_front_matter(source.text)[0] if doc.path.suffix == ".md" else source.text
    try:
        return roundtrip.load(text)
    except roundtrip.EditError as error:
        raise roundtrip.EditError(f"{doc.display}: {error}") from error


def _before(doc: Document) -> str:
    return doc.path.read_bytes().decode("utf-8")  # as it is: CRLF line ends stay


def _after(doc: Document, document: roundtrip.Editable) -> str:
    source = roundtrip.Source.read(doc.path)
    text = document.dump()
    if doc.path.suffix == ".md":
        _, rest = roundtrip.split_front_matter(source.text)
        text = roundtrip.join_front_matter(text, rest)
    return source.render(text)


# --- what stops a change ----------------------------------------------------------------------


def _unreadable(entry: EntityFile, plan: Plan) -> bool:
    if entry.doc.data is None:
        plan.conflicts.append(
            f"{entry.doc.display} cannot be read as YAML; fix it first (dossier check shows "
            "what is wrong)"
        )
    return entry.doc.data is None


def _unparsed(corpus: Corpus, entity_id: str, plan: Plan) -> None:
    """A file that does not read cannot be rewritten; it matters if it may name the id."""
    for doc in [*corpus.articles, *(e.doc for e in corpus.entities)]:
        if doc.data is None and entity_id in doc.path.read_text(encoding="utf-8", errors="replace"):
            plan.conflicts.append(
                f"{doc.display} cannot be read as YAML and may name '{entity_id}'; fix it first "
                "(dossier check shows what is wrong)"
            )


def _plain(entity: EntityFile) -> Mapping[str, Any]:
    return entity.doc.data if isinstance(entity.doc.data, dict) else {}


def _names(data: Mapping[str, Any]) -> list[str]:
    name = data.get("name")
    return [n for n in name.values() if isinstance(n, str)] if isinstance(name, dict) else []
