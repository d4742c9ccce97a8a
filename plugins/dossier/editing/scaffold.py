"""New files to start from: an article, a registry entry, a translation.

Each is complete for its schema and passes ``dossier check``. What only an editor can write is
marked with a placeholder (``data/placeholders.yaml``) that check reports, as a warning in a
draft and as an error once the article is published.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap

from dossier.data import load_placeholders
from dossier.editing import roundtrip
from dossier.read.source import read_entity
from dossier.schemas import Schemas


def timestamp(now: datetime) -> str:
    """The time an article is dated with: to the minute, with its UTC offset."""
    return now.replace(second=0, microsecond=0).isoformat()


def article(
    schemas: Schemas,
    *,
    title: str,
    slug: str,
    lang: str,
    date: str,
    authors: list[str],
    summary: str | None,
) -> str:
    """A draft with every field the schema knows, reference lists empty."""
    write = load_placeholders()["write"]["marker"]
    lines = [
        "---",
        f"title: {_scalar(title)}",
        f"slug: {_scalar(slug)}",
        f"lang: {_scalar(lang)}",
        f"date: {date}",
        f"authors: [{', '.join(map(_scalar, authors))}]",
        f"summary: {_scalar(summary or f'{write} one or two sentences, plain text')}",
        "status: draft  # set to published when the article is ready",
        "# image: {src: images/…, alt: …, caption: …, credit: …}",
    ]
    lines += [f"{name}: []" for name in schemas.shared_fields]
    lines += ["sources: []", "---", f"{write} the article's text, in Markdown.", ""]
    return "\n".join(lines)


def entity(schemas: Schemas, kind: str, names: Mapping[str, str], fields: Mapping[str, str]) -> str:
    """A registry entry: its names in every language and ``fields`` (each value as YAML text,
    as an editor would type it), in the order of the kind's schema, under the English name as
    a comment, as in every entry of the sample registry."""
    values = {"name": "".join(f"\n  {lang}: {_scalar(n)}" for lang, n in names.items())}
    values |= {key: f" {value}" for key, value in fields.items()}
    order = list(schemas.entities[kind].get("properties", {}))
    ranked = sorted(values, key=lambda k: order.index(k) if k in order else len(order))
    heading = names.get("en") or next(iter(names.values()))
    return "\n".join([f"# {heading}", *(f"{key}:{values[key]}" for key in ranked), ""])


def field_value(schemas: Schemas, kind: str, key: str, text: str) -> str | None:
    """A field's value as an editor gives it (``--set FIELD=VALUE``: YAML, as in the file), made
    to read back as meant where the kind's schema wants text: a value that YAML would read as
    something else (``1718``, ``no``, ``~``, ``#1``), or not at all (``=``, ``a: b``), is that
    text, quoted; in a list of texts, so is each item (``aliases=[no, yes]`` is written
    ``["no", "yes"]``). Anything else stays as typed; check judges it. None when the text is
    more than one value (``x\nwikidata: Q1`` would add a field of its own)."""
    raw = f"value: {text}".encode("utf-8", "surrogatepass")
    doc = read_entity(Path("--set"), "--set", raw=raw)
    if isinstance(doc.data, dict) and set(doc.data) != {"value"}:
        return None
    prop = schemas.inlined(schemas.entities[kind]).get("properties", {}).get(key, {})
    value = doc.data.get("value") if isinstance(doc.data, dict) and not doc.problems else None
    if _wants_text(prop, ()):
        return text if isinstance(value, str) else _scalar(text.strip())
    literals = {path[1:]: literal for path, literal in doc.literals.items()}
    if doc.problems or not any(_wants_text(prop, path) for path in literals):
        return text
    return _flow(value, (), literals, lambda path: _wants_text(prop, path))


def _flow(
    value: Any, path: tuple, literals: Mapping[tuple, str], wants_text: Callable[[tuple], bool]
) -> str:
    """Plain data as YAML in flow style (one line), non-text scalars as they were written."""
    if isinstance(value, dict):
        items = (
            f"{_flow_text(k)}: {_flow(v, (*path, k), literals, wants_text)}"
            for k, v in value.items()
        )
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        items = (_flow(v, (*path, i), literals, wants_text) for i, v in enumerate(value))
        return "[" + ", ".join(items) + "]"
    if path in literals:
        literal = literals[path]
        return json.dumps(literal, ensure_ascii=False) if wants_text(path) else literal
    return _flow_text(value)


def _flow_text(text: str) -> str:
    """Text in a flow collection: plain where it may be, else in double quotes."""
    plain = _scalar(text) == text and not set(text) & set(",[]{}")
    return text if plain else json.dumps(text, ensure_ascii=False)


def _wants_text(schema: Mapping[str, Any], path: tuple) -> bool:
    """Whether the (inlined) schema wants text at ``path`` within the value it describes."""
    nodes = [schema]
    for part in path:
        nodes = [
            child
            for node in _all_of(nodes)
            if isinstance(
                child := node.get("items") if isinstance(part, int)
                else node.get("properties", {}).get(part),
                dict,
            )
        ]  # fmt: skip
    return any(node.get("type") == "string" for node in _all_of(nodes))


def _all_of(nodes: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The nodes with the schemas their ``allOf`` adds (a ``$ref`` beside other keywords)."""
    out: list[Mapping[str, Any]] = []
    for node in nodes:
        out.append(node)
        out.extend(_all_of([n for n in node.get("allOf", []) if isinstance(n, dict)]))
    return out


def translation(schemas: Schemas, source_text: str, lang: str, date: str) -> str:
    """The ``lang`` version of an article: shared fields and sources copied, text fields and
    every paragraph marked for translation (with the original beside each field, as a
    comment), dated ``date``, a draft."""
    marker = load_placeholders()["translate"]["marker"]
    front, rest = roundtrip.split_front_matter(source_text)
    document = roundtrip.load(front)
    data = document.data
    original = data["lang"]
    data["lang"] = roundtrip.text(lang)
    data["date"] = roundtrip.scalar(date)
    data.pop("modified", None)
    data.pop("corrections", None)  # the original's: the new version has made none
    data.pop("formerly", None)  # the original's old addresses: this version never had them
    roundtrip.put(data, "status", "draft", list(schemas.article["properties"]))
    data.yaml_add_eol_comment("set to published when the translation is ready", "status")
    for path in schemas.text_fields:
        *parents, name = path
        holder: Any = data
        for parent in parents:
            holder = holder.get(parent) if isinstance(holder, dict) else None
        if isinstance(holder, CommentedMap) and isinstance(holder.get(name), str):
            text = " ".join(holder[name].split())
            holder[name] = marker
            # Two spaces after the marker, as after every value with a comment in our files.
            column = 2 * len(parents) + len(f"{name}: {marker}  ")
            holder.yaml_add_eol_comment(f"{original}: {text}", name, column)
    close, _, body = rest.partition("\n")
    return roundtrip.join_front_matter(document.dump(), f"{close}\n{_mark_blocks(body, marker)}")


def _mark_blocks(body: str, marker: str) -> str:
    """The marker at the start of every paragraph, heading, list item and quote (after its
    Markdown sign), so that each block is reported until it is translated. Code stays as it is."""
    out: list[str] = []
    previous, fenced = "", False
    for line in body.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            out.append(line)
            continue
        starts = line.strip() and not fenced and (not previous.strip() or _ITEM.match(line))
        if starts:
            sign = _ITEM.match(line) or _SIGN.match(line)
            cut = sign.end() if sign else len(line) - len(line.lstrip())
            out.append(f"{line[:cut]}{marker} {line[cut:]}")
        else:
            out.append(line)
        previous = line
    return "\n".join(out)


_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s+")  # a list item: each is a block of its own
_SIGN = re.compile(r"\s*(?:#{1,6}|>)\s+")  # a heading or a quote


def _scalar(text: str) -> str:
    """``text`` as a YAML value: plain when YAML reads it back as the same text (and other YAML
    tools too: ``roundtrip.plain``), else in double quotes (JSON's string syntax, which YAML
    reads, with every escape it needs)."""
    try:
        plain = yaml.safe_load(f"value: {text}") == {"value": text} and roundtrip.plain(text)
    except yaml.YAMLError:
        plain = False
    return text if plain and text == text.strip() else json.dumps(text, ensure_ascii=False)
