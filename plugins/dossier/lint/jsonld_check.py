"""Check the schema.org JSON-LD of a built site offline, the way a consumer reads it.

Search engines read a page's graph after JSON-LD expansion, against schema.org's definitions; a
misspelt type or a node of the wrong kind fails there silently. This reads every page of a built
site, expands its graph with the local schema.org context (nothing is fetched), and checks it
against the schema.org 30.0 vocabulary, Google's Article guidance and, as an independent second
opinion, schema.org's SHACL shapes; then it compares the nodes that several pages define under
one ``@id``. Pure: files in, diagnostics out; bad input never raises.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from pyld import jsonld

from dossier.data import load
from dossier.diagnostics import Diagnostic
from dossier.lint.vocabulary import (
    Property,
    Triple,
    Vocabulary,
    document_loader,
    load_vocabulary,
    rdf_triples,
    schema_term,
    shacl_violations,
)
from dossier.spelling import closest
from dossier.words import a_or_an, alternatives, did_you_mean, plural

Node = dict[str, Any]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOCAL_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?")
_DATETIME = re.compile(_LOCAL_DATETIME.pattern + r"(Z|[+-]\d{2}:\d{2})")
_TIME = re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")
_NUMBER = re.compile(r"\s*(\d+(?:\.\d+)?)")
_DATES = frozenset({"Date", "DateTime"})
_NUMBERS = frozenset({"Number", "Integer", "Float"})


def _is_date(value: str) -> bool:
    return bool(_DATE.fullmatch(value)) and _parses(date.fromisoformat, value)


def _is_datetime(value: str) -> bool:
    """ISO 8601 with a time and a UTC offset: Google requires the time zone."""
    return bool(_DATETIME.fullmatch(value)) and _parses(datetime.fromisoformat, value)


def _parses(parse: Any, value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


def _absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and " " not in url


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# How a literal fits each datatype, keyed by the datatype a schema.org datatype descends from
# (URL before Text, Integer before Number: the first match in this order decides).
_FITS = {
    "URL": lambda v, _: isinstance(v, str) and _absolute(v),
    "Integer": lambda v, _: isinstance(v, int) and not isinstance(v, bool),
    "Number": lambda v, _: _number(v),
    "Text": lambda v, _: isinstance(v, str),
    "DateTime": lambda v, _: isinstance(v, str) and _is_datetime(v),
    # The context types datePublished, startDate, … as Date even where a date-time is meant.
    "Date": lambda v, forced: isinstance(v, str) and (_is_date(v) or (forced and _is_datetime(v))),
    "Time": lambda v, _: isinstance(v, str) and bool(_TIME.fullmatch(v)),
    "Boolean": lambda v, _: isinstance(v, bool),
    # Quantities are written "7 ft" or, for image sizes as Google reads them, a bare number.
    "Quantity": lambda v, _: isinstance(v, str) or _number(v),
}


@dataclass(frozen=True)
class _Rules:
    language_dependent: frozenset[str]
    url_properties: frozenset[str]
    headline_max_length: int
    image_min_pixels: int
    image_min_width: int


@cache
def _rules() -> _Rules:
    data = load("jsonld_check")
    return _Rules(
        frozenset(data["language_dependent"]),
        frozenset(data["url_properties"]),
        **data["google_article"],
    )


@dataclass(frozen=True)
class Report:
    """Every diagnostic, sorted, and what was checked (for the summary line)."""

    diagnostics: list[Diagnostic]
    pages: int
    nodes: int

    def summary(self) -> str:
        errors = [d for d in self.diagnostics if d.severity == "error"]
        warned = len(self.diagnostics) - len(errors)
        found = []
        if errors:
            found.append(
                f"{plural(len(errors), 'error', grouped=True)} in "
                f"{plural(len({d.path for d in errors}), 'page', grouped=True)}"
            )
        if warned:
            found.append(plural(warned, "warning", grouped=True))
        checked = (
            f"Checked {plural(self.pages, 'page', grouped=True)}, "
            f"{plural(self.nodes, 'node', grouped=True)}"
        )
        return f"{checked}: {', '.join(found) or 'no problems'}."


@dataclass
class _Block:
    line: int  # of the <script> element
    column: int
    expanded: list[Node] = field(default_factory=list)  # normalised: schema.org IRIs -> terms
    triples: list[Triple] = field(default_factory=list)


@dataclass
class _Page:
    path: str
    lang: str
    blocks: list[_Block] = field(default_factory=list)
    definitions: dict[str, list[tuple[Node, str]]] = field(default_factory=dict)
    merged: dict[str, Node] = field(default_factory=dict)  # @id -> all its definitions in one
    nodes: int = 0


def check_site(output_dir: Path, vocabulary_dir: Path) -> Report:
    """Check every ``*.html`` under ``output_dir``; paths in diagnostics are relative to it."""
    vocabulary = load_vocabulary(vocabulary_dir)
    loader = document_loader(vocabulary_dir)
    diagnostics: list[Diagnostic] = []
    pages = []
    for index, file in enumerate(sorted(output_dir.rglob("*.html"))):
        check = _PageCheck(file.relative_to(output_dir).as_posix(), vocabulary, loader, index)
        pages.append(check.run(file.read_text(encoding="utf-8", errors="replace")))
        diagnostics += check.diagnostics
    diagnostics += _conflicts(pages)
    diagnostics += _shacl(pages, vocabulary_dir)
    return Report(sorted(set(diagnostics)), len(pages), sum(p.nodes for p in pages))


class _PageCheck:
    """The checks of one page; also keeps what the site-wide checks need (definitions, RDF)."""

    def __init__(
        self, path: str, vocabulary: Vocabulary, loader: Callable[..., Any], index: int
    ) -> None:
        self.page = _Page(path, "")
        self.vocabulary = vocabulary
        self.loader = loader
        self.index = index
        self.diagnostics: list[Diagnostic] = []
        self.block = _Block(1, 1)

    def add(
        self,
        where: str,
        message: str,
        hint: str = "",
        code: str = "",
        *,
        warn: bool = False,
        at: tuple[int, int] | None = None,
    ) -> None:
        """Report at ``at`` (line, column) or else at the current <script> element."""
        line, column = at or (self.block.line, self.block.column)
        severity = "warning" if warn else "error"
        self.diagnostics.append(
            Diagnostic(
                path=self.page.path,
                line=line,
                column=column,
                field=where,
                message=message,
                hint=hint,
                code=code,
                severity=severity,
            )
        )

    def run(self, html: str) -> _Page:
        soup = BeautifulSoup(html, "html.parser")
        self.page.lang = str(soup.html.get("lang", "")) if soup.html else ""
        scripts = [
            s
            for s in soup.find_all("script")
            if str(s.get("type", "")).strip().lower() == "application/ld+json"
        ]
        # A redirect (a renamed entry's old address) describes nothing: no graph is right there.
        if not scripts and not _is_redirect(soup):
            self.add(
                "",
                "the page has no JSON-LD",
                'add one <script type="application/ld+json"> holding the page\'s @graph',
                "blocks",
            )
        for number, script in enumerate(scripts):
            self.block = _Block(script.sourceline or 1, (script.sourcepos or 0) + 1)
            if number:
                self.add(
                    "",
                    f"JSON-LD block {number + 1} of {len(scripts)} on one page",
                    "put every node into the one @graph of the first block",
                    "blocks",
                )
            self.read_block(script.string or "", html)
            self.page.blocks.append(self.block)
        for block in self.page.blocks:
            self.block = block
            for node in block.expanded:
                self.collect(node, "")
        self.page.merged = {
            i: _merge([d for d, _ in defs]) for i, defs in self.page.definitions.items()
        }
        for block in self.page.blocks:
            self.block = block
            for node in block.expanded:
                self.check_node(node, _label(node, ""))
        self.check_duplicates()
        return self.page

    def read_block(self, text: str, html: str) -> None:
        try:
            data = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError as error:
            line, column = _content_start(html, self.block)
            if error.lineno == 1:
                column += error.colno - 1
            else:
                line, column = line + error.lineno - 1, error.colno
            self.add(
                "", f"the JSON-LD is not valid JSON: {error.msg}", code="json", at=(line, column)
            )
            return
        except ValueError as error:
            self.add("", f"the JSON-LD is not strict JSON: {error}", code="json")
            return
        if not isinstance(data, dict):
            self.add(
                "", "the JSON-LD is not an object", 'write {"@context": …, "@graph": […]}', "graph"
            )
            return
        if data.get("@context") != "https://schema.org":
            context = data.get("@context")
            self.add(
                "@context",
                f'@context is {json.dumps(context)[:80]}, not "https://schema.org"'
                if "@context" in data
                else "the JSON-LD has no @context, so none of its terms mean anything",
                'write "@context": "https://schema.org"',
                "context",
            )
        if not isinstance(data.get("@graph"), list):
            self.add(
                "@graph",
                "the JSON-LD has no top-level @graph list",
                "put the page's nodes into one @graph list",
                "graph",
            )
        options = {"documentLoader": self.loader, "base": None}
        try:
            expanded = jsonld.expand(data, options)
            rdf = jsonld.to_rdf(expanded, options)
        except jsonld.JsonLdError as error:
            self.add("", f"JSON-LD expansion failed: {_cause(error)}", code="jsonld")
            return
        self.block.expanded = _normalise(expanded)
        prefix = f"p{self.index}b{len(self.page.blocks)}"
        self.block.triples = rdf_triples(rdf, prefix)

    def collect(self, node: Node, parent: str) -> None:
        """Record every node object's definition by @id before any reference is judged."""
        label = _label(node, parent)
        if set(node) - {"@id"}:
            self.page.nodes += 1
            if "@id" in node:
                self.page.definitions.setdefault(node["@id"], []).append((node, label))
        for key, values in node.items():
            if not key.startswith("@"):
                for value in _items(values):
                    if _is_node(value):
                        self.collect(value, f"{label} › {key}")

    def check_node(self, node: Node, label: str) -> None:
        types = self.check_types(node, label)
        lineage = self.vocabulary.lineage(types)
        if "@id" in node:
            self.check_iri(node["@id"], label)
        for key, values in node.items():
            if key.startswith("@"):
                continue
            where = f"{label} › {key}"
            prop = self.check_property(key, types, lineage, where)
            for value in _items(values):
                if _is_reference(value):
                    self.check_iri(value["@id"], where)
                elif key in _rules().url_properties and isinstance(value.get("@value"), str):
                    self.check_iri(value["@value"], where)
                if prop is not None:
                    self.check_value(key, prop, value, where)
                if _is_node(value) and not _is_reference(value):
                    self.check_node(value, _label(value, where))
        if "Article" in lineage and "mainEntityOfPage" in node:
            self.check_google_article(node, label)

    def check_types(self, node: Node, label: str) -> list[str]:
        """Report what is not a schema.org class; return the node's known classes."""
        vocabulary, known = self.vocabulary, []
        if "@type" not in node and set(node) - {"@id"}:
            self.add(
                label,
                "the node has no @type, so consumers cannot tell what it describes",
                "add a schema.org type",
                "unknown-type",
            )
        for name in node.get("@type", []):
            where, hint = f"{label} › @type", ""
            if name in vocabulary.ancestors and name not in vocabulary.datatypes:
                known.append(name)
                if name in vocabulary.superseded_by:
                    self.add(
                        where,
                        f"{name} is superseded in schema.org",
                        f"use {vocabulary.superseded_by[name]}",
                        "superseded",
                        warn=True,
                    )
                continue
            if ":" in name:
                message = f"{name} is not a schema.org type"
                hint = did_you_mean(closest(re.split(r"[/#:]", name)[-1], vocabulary.ancestors))
            elif name in vocabulary.datatypes:
                message = f"{name} is a datatype (a kind of literal value), not a type of node"
            elif name in vocabulary.properties:
                message = f"{name} is a property, not a type"
                hint = did_you_mean(closest(name, vocabulary.node_types()))
            elif name in vocabulary.members:
                message = f"{name} is an enumeration value, not a type"
                hint = f"it is a value of {_type_names(vocabulary.members[name])}"
            else:
                message = f"unknown type '{name}'"
                hint = did_you_mean(closest(name, vocabulary.node_types()))
            self.add(where, message, hint, "unknown-type")
        return known

    def check_property(
        self, key: str, types: list[str], lineage: frozenset[str], where: str
    ) -> Property | None:
        vocabulary = self.vocabulary
        prop = vocabulary.properties.get(key)
        if prop is None:
            if ":" in key:
                message = f"{key} is not a schema.org property"
                hint = did_you_mean(closest(re.split(r"[/#:]", key)[-1], vocabulary.properties))
            elif key in vocabulary.ancestors:
                message = f"{key} is a type, not a property"
                hint = did_you_mean(closest(key, vocabulary.properties))
            else:
                message = f"unknown property '{key}'"
                hint = did_you_mean(closest(key, vocabulary.properties))
            self.add(where, message, hint, "unknown-property")
            return None
        if key in vocabulary.superseded_by:
            self.add(
                where,
                f"{key} is superseded in schema.org",
                f"use {vocabulary.superseded_by[key]}",
                "superseded",
                warn=True,
            )
        if types and prop.domain and not lineage & prop.domain:
            self.add(
                where,
                f"{vocabulary.describe(key)} is not a property of {_type_names(types)}; "
                f"schema.org expects it on {_type_names(prop.domain)}",
                code="domain",
            )
        return prop

    def check_value(self, key: str, prop: Property, value: Node, where: str) -> None:
        vocabulary, expected = self.vocabulary, _type_names(prop.range)
        if "@value" in value:
            self.check_literal(key, prop, value, where)
            return
        iri = value.get("@id")
        if _is_reference(value):
            if iri in self.page.merged:
                types = self.page.merged[iri].get("@type", [])
            elif (term := schema_term(iri) or "") in vocabulary.members:
                types = sorted(vocabulary.members[term])  # True, EventScheduled, …
            else:
                if "URL" in prop.range:
                    return  # a plain link; check_iri has judged its form
                if prop.range <= vocabulary.datatypes:
                    self.add(
                        where, f"{key} expects {expected}, got a reference to <{iri}>", code="range"
                    )
                else:
                    self.add(
                        where,
                        f"{key} refers to <{iri}>, which this page's graph does not define",
                        f"add the {expected} node to the page's @graph",
                        "unresolved-id",
                    )
                return
        else:
            types = value.get("@type", [])
        known = [t for t in types if t in vocabulary.ancestors]
        if (iri is not None and "URL" in prop.range) or not known:
            return  # an unknown type is reported where the node is defined
        if not vocabulary.lineage(known) & prop.range:
            node = f"<{iri}>" if iri else "the node"
            self.add(
                where,
                f"{key} expects {expected}, but {node} is {a_or_an(_type_names(known, 'and'))}",
                code="range",
            )

    def check_literal(self, key: str, prop: Property, literal: Node, where: str) -> None:
        value, forced_date = literal["@value"], literal.get("@type") == "Date"
        for datatype in prop.range & self.vocabulary.datatypes:
            kind = next((k for k in _FITS if k in self.vocabulary.ancestors[datatype]), None)
            if kind and _FITS[kind](value, forced_date):
                return
        text = value if isinstance(value, str) else None
        member = text and (schema_term(text) or text)
        hint = ""
        if text and _LOCAL_DATETIME.fullmatch(text) and _DATES & prop.range:
            message = f"{key} {text} has no UTC offset; Google requires a time zone"
            hint = f"write it as {text}Z or with the local offset, e.g. {text}+02:00"
        else:
            message = f"{key} expects {_type_names(prop.range)}, got {_describe(value)}"
            if text and _NUMBER.fullmatch(text) and _NUMBERS & prop.range:
                hint = f"write the number without quotes: {text.strip()}"
            elif text and "Boolean" in prop.range:
                hint = "write true or false, without quotes"
            elif member in self.vocabulary.members:
                hint = f'write the value as {{"@id": "https://schema.org/{member}"}}'
            elif not prop.range & self.vocabulary.datatypes:
                hint = 'refer to a node: {"@id": …} defined in the @graph'
        self.add(where, message, hint, "range")

    def check_iri(self, iri: str, where: str) -> None:
        if not _absolute(iri):
            self.add(
                where,
                f"{iri} is not an absolute http(s) URL; consumers do not resolve it "
                "against the page's address",
                "write the full https:// URL",
                "relative-url",
            )

    def resolve(self, value: Node) -> Node | None:
        if _is_reference(value):
            return self.page.merged.get(value["@id"])
        return value if _is_node(value) else None

    def check_google_article(self, node: Node, label: str) -> None:
        """Google's Article guidance, for the page's main article."""
        rules, lineage = _rules(), self.vocabulary.lineage

        def problem(key: str, message: str, hint: str = "") -> None:
            self.add(f"{label} › {key}", message, hint, "google-article")

        for key in ("headline", "image", "datePublished", "dateModified", "author", "publisher"):
            if not node.get(key):
                problem(key, f"Google needs {key} on the page's main article")
        for headline in _literals(node.get("headline")):
            if len(str(headline)) > rules.headline_max_length:
                problem(
                    "headline",
                    f"the headline has {len(str(headline))} characters; Google "
                    f"shows at most {rules.headline_max_length}",
                )
        widths = []
        for image in map(self.resolve, node.get("image", [])):
            if image is None:
                continue  # a URL: check_iri judges it
            name = _name(image)
            if not any(map(_absolute, _urls(image, "url", "contentUrl"))):
                problem("image", f"the image {name} has no absolute url or contentUrl")
            width, height = _pixels(image.get("width")), _pixels(image.get("height"))
            if width and height and width * height < rules.image_min_pixels:
                problem(
                    "image",
                    f"the image {name} has {width:g}×{height:g} = "
                    f"{width * height:,.0f} pixels; Google needs at least "
                    f"{rules.image_min_pixels:,}",
                )
            if width:
                widths.append(width)
        if widths and max(widths) < rules.image_min_width:
            problem(
                "image",
                f"no image is at least {rules.image_min_width:,} px wide (the widest "
                f"is {max(widths):g} px)",
            )
        for key in ("datePublished", "dateModified"):
            for value in _literals(node.get(key)):
                if not (isinstance(value, str) and _is_datetime(value)):
                    problem(
                        key,
                        f"{key} {value} has no time or no UTC offset; Google needs both",
                        "e.g. 2023-09-13T12:30:00+02:00",
                    )
        for value in node.get("author", []):
            author = self.resolve(value)
            if author is None or not lineage(author.get("@type", [])) & {"Person", "Organization"}:
                problem(
                    "author",
                    f"the author {_name(author or value)} is not a Person or "
                    "Organization node in this page's graph",
                )
                continue
            if not author.get("name"):
                problem("author", f"the author {_name(author)} has no name")
            if not author.get("url") and not author.get("sameAs"):
                problem(
                    "author",
                    f"the author {_name(author)} has neither url nor sameAs",
                    "Google tells authors apart by their profile page (url) or sameAs links",
                )
        for value in node.get("publisher", []):
            publisher = self.resolve(value)
            if publisher is None or "Organization" not in lineage(publisher.get("@type", [])):
                problem(
                    "publisher",
                    f"the publisher {_name(publisher or value)} is not an "
                    "Organization node in this page's graph",
                )
                continue
            for key in ("name", "logo"):
                if not publisher.get(key):
                    problem("publisher", f"the publisher {_name(publisher)} has no {key}")

    def check_duplicates(self) -> None:
        """One page's graph defines each @id once, or every time the same."""
        for iri, definitions in self.page.definitions.items():
            first = _canonical(definitions[0][0])
            for node, label in definitions[1:]:
                other = _canonical(node)
                if other != first:
                    key = next(
                        k
                        for k in sorted(first.keys() | other.keys())
                        if first.get(k) != other.get(k)
                    )
                    self.add(
                        label,
                        f"<{iri}> is defined twice in this page's graph with "
                        f"different {key}: {_show(first.get(key))} and {_show(other.get(key))}",
                        "define each node once and refer to it by @id",
                        "duplicate-id",
                    )
                    break


def _conflicts(pages: list[_Page]) -> Iterator[Diagnostic]:
    """Across the site, one @id names one thing: its definitions on different pages agree."""
    language_dependent = _rules().language_dependent
    first: dict[tuple[str, str, str], tuple[tuple[str, ...], _Page]] = {}
    reported = set()
    for page in pages:
        for iri, node in page.merged.items():
            full, shared = _canonical(node), _canonical(node, language_dependent)
            for key in full:
                same_language = key in language_dependent
                slot = (iri, key, page.lang if same_language else "")
                value = full[key] if same_language else shared[key]
                if slot not in first:
                    first[slot] = (value, page)
                    continue
                there, other = first[slot]
                if value == there or (slot, value) in reported:
                    continue
                reported.add((slot, value))
                block = page.blocks[0]
                scope = ", a page in the same language" if same_language else ""
                yield Diagnostic(
                    path=page.path,
                    line=block.line,
                    column=block.column,
                    field=f"{_label(node, '')} › {key}",
                    message=f"<{iri}> has {key} {_show(value)} here but {_show(there)} in "
                    f"{other.path}{scope}",
                    hint="one @id names one thing: make the definitions agree, or give "
                    "different things different @ids",
                    code="conflicting-id",
                )


def _shacl(pages: list[_Page], vocabulary_dir: Path) -> list[Diagnostic]:
    """schema.org's SHACL shapes over all pages at once (see ``shacl_violations``), each
    violation reported on every page whose graph holds it. If pySHACL gives up on the whole
    (a page nests inline nodes too deep for it), the pages are validated one by one to find it.
    """
    from pyshacl.errors import ReportableRuntimeError

    graphs = {
        (p, b): block.triples for p, page in enumerate(pages) for b, block in enumerate(page.blocks)
    }
    try:
        found = shacl_violations(graphs, vocabulary_dir)
    except ReportableRuntimeError:
        found = []
        for index in range(len(pages)):
            try:
                found += shacl_violations(
                    {key: triples for key, triples in graphs.items() if key[0] == index},
                    vocabulary_dir,
                )
            except ReportableRuntimeError:
                found.append(((index, 0), "", _TOO_DEEP))
    diagnostics = []
    for (p, b), where, message in found:
        block = pages[p].blocks[b]
        hint = "refer to nested nodes by @id instead of writing them inline"
        diagnostics.append(
            Diagnostic(
                path=pages[p].path,
                line=block.line,
                column=block.column,
                field=where,
                message=message,
                hint=hint if message == _TOO_DEEP else "",
                code="shacl",
            )
        )
    return diagnostics


_TOO_DEEP = "SHACL could not check this page: its inline nodes nest deeper than pySHACL follows"


def _normalise(value: Any) -> Any:
    """Expanded JSON-LD with schema.org IRIs (http or https) turned into bare term names."""
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if not isinstance(value, dict):
        return value
    out: Node = {}
    for key, item in value.items():
        if key == "@type":
            out[key] = (
                [schema_term(t) or t for t in item]
                if isinstance(item, list)
                else (schema_term(item) or item)
            )
        elif key.startswith("@"):
            out[key] = item if key == "@value" else _normalise(item)
        else:
            out.setdefault(schema_term(key) or key, []).extend(_normalise(item))
    return out


def _merge(definitions: list[Node]) -> Node:
    merged: Node = {}
    for node in definitions:
        for key, values in node.items():
            if key == "@id":
                merged[key] = values
            else:
                merged.setdefault(key, [])
                merged[key] += [v for v in values if v not in merged[key]]
    return merged


def _canonical(node: Node, drop: frozenset[str] = frozenset()) -> dict[str, tuple[str, ...]]:
    """A node's content, comparable with ``==``: values as sorted JSON, nested @id nodes as
    references (their content is compared where they are defined), ``drop`` left out."""
    out = {}
    for key, values in node.items():
        if key == "@id" or key in drop:
            continue
        if key == "@type":
            out[key] = tuple(json.dumps(t) for t in sorted(values))
        else:
            out[key] = tuple(sorted(_canonical_value(v, drop) for v in _listed(values)))
    return out


def _canonical_value(value: Any, drop: frozenset[str]) -> str:
    if _is_node(value):
        value = {"@id": value["@id"]} if "@id" in value else _canonical(value, drop)
    elif isinstance(value, dict) and "@list" in value:
        value = [_canonical_value(v, drop) for v in value["@list"]]
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _show(values: tuple[str, ...] | None) -> str:
    """Canonical values for a message: literals as JSON, references as <iri>."""
    shown = []
    for canonical in values or ():
        value, text = json.loads(canonical), canonical
        if isinstance(value, str):
            text = value  # a type name
        elif isinstance(value, dict) and "@value" in value:
            text = json.dumps(value["@value"], ensure_ascii=False)
        elif isinstance(value, dict) and "@id" in value:
            text = f"<{value['@id']}>"
        shown.append(text if len(text) <= 80 else text[:77] + "…")
    return (shown[0] if len(shown) == 1 else f"[{', '.join(shown)}]") if shown else "nothing"


def _label(node: Node, parent: str) -> str:
    """``NewsArticle <https://…#article>``; a node without @id is named by where it sits."""
    types = "/".join(_listed(node.get("@type"))) or "node"
    if "@id" in node:
        return f"{types} <{node['@id']}>"
    return f"{parent} › {types}" if parent else types


def _name(node: Node) -> str:
    if "@value" in node:
        return json.dumps(node["@value"], ensure_ascii=False)
    if "@id" in node:
        return f"<{node['@id']}>"
    return next(iter(_urls(node, "url", "contentUrl")), "(no @id)")


def _urls(node: Node, *keys: str) -> list[str]:
    values = [v for key in keys for v in node.get(key, [])]
    return [v.get("@id", v.get("@value")) for v in values if isinstance(v, dict)]


def _literals(values: list[Node] | None) -> list[Any]:
    return [v["@value"] for v in values or [] if "@value" in v]


def _pixels(values: list[Node] | None) -> float | None:
    """A width or height: a number, a text such as "1200 px", or a QuantitativeValue."""
    for value in values or []:
        found = value.get("@value") if "@value" in value else _literals(value.get("value"))
        found = found[0] if isinstance(found, list) and found else found
        if _number(found):
            return float(found)
        if isinstance(found, str) and (match := _NUMBER.match(found)):
            return float(match.group(1))
    return None


def _items(values: Any) -> Iterator[Node]:
    """A property's values, with the members of @list values in their place."""
    for value in _listed(values):
        if isinstance(value, dict) and "@list" in value:
            yield from _items(value["@list"])
        elif isinstance(value, dict):
            yield value


def _is_node(value: Any) -> bool:
    return isinstance(value, dict) and not {"@value", "@list", "@set"} & set(value)


def _is_reference(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"@id"}


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _type_names(names: Iterable[str], conjunction: str = "or") -> str:
    """Type names for a message: sorted, at most six of them, joined with ``conjunction``."""
    names = sorted(names)
    if len(names) > 6:
        names = [*names[:5], f"{len(names) - 5} other types"]
    return alternatives(names, conjunction)


# A JSON literal in words; validate words a YAML value its own way, from the editor's source text.
def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if _number(value):
        return f"the number {value}"
    text = json.dumps(value, ensure_ascii=False)
    return f"the text {text if len(text) <= 60 else text[:57] + '…'}"


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if duplicated := sorted({k for k in keys if keys.count(k) > 1}):
        raise ValueError(f"the key {duplicated[0]!r} appears twice in one object")
    return dict(pairs)


def _is_redirect(soup: BeautifulSoup) -> bool:
    refresh = soup.find("meta", attrs={"http-equiv": lambda v: bool(v) and v.lower() == "refresh"})
    return refresh is not None


def _content_start(html: str, block: _Block) -> tuple[int, int]:
    """Line and column of the first character inside a <script> element."""
    offset = 0
    for _ in range(block.line - 1):
        offset = html.index("\n", offset) + 1
    start = html.index(">", offset + block.column - 1) + 1
    return block.line + html.count("\n", offset, start), start - html.rfind("\n", 0, start)


def _cause(error: BaseException) -> str:
    """The innermost message of pyld's chained errors (an OfflineError says what was refused)."""
    while error.__cause__ is not None:
        error = error.__cause__
    return str(error.args[0]) if error.args else type(error).__name__
