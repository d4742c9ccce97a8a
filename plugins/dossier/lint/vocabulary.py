"""What schema.org 30.0 says, read offline from the release files in one folder.

The JSON-LD checker needs four things from schema.org and must never fetch them: the vocabulary
(classes, properties, their domains and ranges), the ``@context`` that ``https://schema.org``
serves, and the SHACL shapes with their subclass triples. Each is read once per process. The
SHACL validation itself lives here too, as a pure function of triples: pySHACL needs care (a
patched shapes file, a graph arranged so that its cost stays linear) that the checks need not see.
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import Graph

Triple = tuple[Any, Any, Any]  # of rdflib terms

VOCABULARY = "schemaorg-current-https.jsonld"
CONTEXT = "schemaorgcontext.jsonld"
SHAPES = "schemaorg-shapes.shacl"
SUBCLASSES = "schemaorg-subclasses.shacl"
FILES = (VOCABULARY, CONTEXT, SHAPES, SUBCLASSES)
RELEASE = "data/releases/30.0/ of https://github.com/schemaorg/schemaorg"

# Expanded page data uses http://schema.org/ (the context's @vocab); the vocabulary file uses
# https. Both name the same terms, so everything is compared by bare term name.
_HTTP = "http://schema.org/"
_SCHEMA_IRIS = (_HTTP, "https://schema.org/")
_VALIDATION = "http://schema.org/validation#"  # the shapes' own namespace
# The URLs under which a page may name the schema.org context; the loader serves only these.
CONTEXT_URLS = frozenset(
    {
        "https://schema.org",
        "https://schema.org/",
        "http://schema.org",
        "http://schema.org/",
        "https://schema.org/docs/jsonldcontext.jsonld",
        "http://schema.org/docs/jsonldcontext.jsonld",
    }
)


def schema_term(iri: str) -> str | None:
    """``Person`` for ``http(s)://schema.org/Person``; None for any other IRI."""
    for prefix in _SCHEMA_IRIS:
        if iri.startswith(prefix) and len(iri) > len(prefix):
            return iri[len(prefix) :]
    return None


@dataclass(frozen=True)
class Property:
    domain: frozenset[str]
    range: frozenset[str]


@dataclass(frozen=True)
class Vocabulary:
    ancestors: Mapping[str, frozenset[str]]  # class -> the class and all its superclasses
    properties: Mapping[str, Property]
    members: Mapping[str, frozenset[str]]  # enumeration value (True, EventScheduled) -> types
    datatypes: frozenset[str]  # Text, URL, Date, … and their subclasses
    pending: frozenset[str]
    superseded_by: Mapping[str, str]

    def lineage(self, types: Iterable[str]) -> frozenset[str]:
        """The given classes and all their superclasses (unknown names are left out)."""
        return frozenset().union(*(self.ancestors.get(t, ()) for t in types))

    def node_types(self) -> list[str]:
        return sorted(set(self.ancestors) - self.datatypes)

    def describe(self, term: str) -> str:
        return f"{term} (pending)" if term in self.pending else term


def missing_files(directory: Path) -> list[str]:
    return [name for name in FILES if not (directory / name).is_file()]


def load_vocabulary(directory: Path) -> Vocabulary:
    """Read ``schemaorg-current-https.jsonld`` once per process and folder."""
    return _vocabulary(directory.resolve())


@cache
def _vocabulary(directory: Path) -> Vocabulary:
    graph = json.loads((directory / VOCABULARY).read_text(encoding="utf-8"))["@graph"]
    parents: dict[str, list[str]] = {}
    properties: dict[str, Property] = {}
    members: dict[str, frozenset[str]] = {}
    datatype_roots = {"DataType"}
    pending: set[str] = set()
    superseded_by: dict[str, str] = {}
    for entry in graph:
        name = _local(entry["@id"])
        if name is None:
            continue  # terms of other vocabularies mapped in the file (gs1:, eli:, …)
        kinds = _listed(entry["@type"])
        if "rdfs:Class" in kinds:
            parents[name] = _names(entry.get("rdfs:subClassOf"))
            if "schema:DataType" in kinds:
                datatype_roots.add(name)
        elif "rdf:Property" in kinds:
            properties[name] = Property(
                frozenset(_names(entry.get("schema:domainIncludes"))),
                frozenset(_names(entry.get("schema:rangeIncludes"))),
            )
        else:
            members[name] = frozenset(n for n in map(_local, kinds) if n)
        if "https://pending.schema.org" in _ids(entry.get("schema:isPartOf")):
            pending.add(name)
        if replacements := _names(entry.get("schema:supersededBy")):
            superseded_by[name] = replacements[0]
    ancestors: dict[str, frozenset[str]] = {}

    def closure(name: str) -> frozenset[str]:
        if name not in ancestors:
            ancestors[name] = frozenset({name})  # guards against a cycle in the data
            ancestors[name] = frozenset({name}).union(
                *(closure(p) for p in parents.get(name, ()) if p in parents)
            )
        return ancestors[name]

    for name in parents:
        closure(name)
    datatypes = frozenset(c for c, up in ancestors.items() if up & datatype_roots)
    return Vocabulary(ancestors, properties, members, datatypes, frozenset(pending), superseded_by)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _ids(value: Any) -> list[str]:
    return [v["@id"] for v in _listed(value) if isinstance(v, dict) and "@id" in v]


def _local(curie: str) -> str | None:
    return curie.removeprefix("schema:") if curie.startswith("schema:") else None


def _names(value: Any) -> list[str]:
    return [n for n in map(_local, _ids(value)) if n]


class OfflineError(Exception):
    """A page's JSON-LD asked for a document other than the schema.org context."""


def document_loader(directory: Path) -> Callable[..., dict[str, Any]]:
    """A pyld document loader that serves the local schema.org context and refuses the rest.

    The ``static`` tag is what makes pyld keep the processed context in its shared cache, so
    the 3,000-term context is processed once per process, not once per page.
    """
    return _document_loader(directory.resolve())


@cache
def _document_loader(directory: Path) -> Callable[..., dict[str, Any]]:
    context = json.loads((directory / CONTEXT).read_text(encoding="utf-8"))

    def load(url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        if url not in CONTEXT_URLS:
            raise OfflineError(
                f"refused to fetch {url}: the check runs offline and serves only the "
                f"schema.org context ({CONTEXT})"
            )
        return {"contextUrl": None, "documentUrl": url, "document": context, "tag": "static"}

    return load


def load_shapes(directory: Path, classes: Iterable[str]) -> tuple[Graph, Graph]:
    """schema.org's SHACL shapes that can apply to nodes of these classes, patched, and the
    subclass triples for pySHACL's ``ont_graph``.

    The 30.0 datatype shapes say ``sh:nodeKind sh:BlankNodeOrIRI``, which rejects every literal
    (see the folder's README); they get ``sh:IRIOrLiteral``, as upstream did after 30.0.
    Only the shapes that target the given classes (with their superclasses), and the shapes those
    refer to, are kept: no other shape can have a focus node, and pySHACL's cost per run grows
    with the number of shapes (a quarter of them serve a typical news site).
    """
    directory = directory.resolve()
    vocabulary = load_vocabulary(directory)
    return _relevant_shapes(directory, vocabulary.lineage(classes)), _shapes(directory)[1]


@cache
def _relevant_shapes(directory: Path, classes: frozenset[str]) -> Graph:
    from rdflib import BNode, Graph, URIRef
    from rdflib.namespace import SH

    shapes = _shapes(directory)[0]
    start = [s for c in classes for s in shapes.subjects(SH.targetClass, URIRef(_HTTP + c))]
    relevant, seen = Graph(), set(start)
    for prefix, namespace in shapes.namespaces():
        relevant.bind(prefix, namespace)
    while start:
        shape = start.pop()
        for predicate, value in shapes.predicate_objects(shape):
            relevant.add((shape, predicate, value))
            if (isinstance(value, BNode) or value.startswith(_VALIDATION)) and value not in seen:
                seen.add(value)
                start.append(value)
    return relevant


@cache
def _shapes(directory: Path) -> tuple[Graph, Graph]:
    from rdflib import Graph, URIRef
    from rdflib.namespace import SH

    shapes = Graph().parse(directory / SHAPES, format="turtle")
    for datatype in load_vocabulary(directory).datatypes:
        shape = URIRef(f"{_VALIDATION}ValidSchema{datatype}")
        if (shape, SH.nodeKind, SH.BlankNodeOrIRI) in shapes:
            shapes.set((shape, SH.nodeKind, SH.IRIOrLiteral))
    return shapes, Graph().parse(directory / SUBCLASSES, format="turtle")


def rdf_triples(dataset: Mapping[str, list[dict[str, Any]]], prefix: str) -> list[Triple]:
    """pyld's RDF dataset as rdflib triples, blank nodes named after what they hold.

    An inline node repeated on many pages (an entity's coordinates, a breadcrumb) so becomes one
    node of the site's union and is validated once. A blank node on a cycle is named ``prefix``
    plus its label instead: one page's ``_:b0`` is not another's.
    """
    from rdflib import BNode, Literal, URIRef

    def term(t: dict[str, str]) -> Any:
        if t["type"] == "IRI":
            return URIRef(t["value"])
        if t["type"] == "blank node":
            return BNode(prefix + t["value"][2:])
        if "language" in t:
            return Literal(t["value"], lang=t["language"])
        return Literal(t["value"], datatype=URIRef(t["datatype"]))

    triples = [
        (term(q["subject"]), term(q["predicate"]), term(q["object"]))
        for quads in dataset.values()
        for q in quads
        if None not in (q["subject"], q["predicate"], q["object"])
    ]
    holds: dict[Any, list[tuple[Any, Any]]] = defaultdict(list)
    for subject, predicate, value in triples:
        if isinstance(subject, BNode):
            holds[subject].append((predicate, value))
    names: dict[Any, Any] = {}

    def name(node: Any, path: frozenset[Any] = frozenset()) -> Any:
        if not isinstance(node, BNode) or node in names or node in path:
            return names.get(node, node)
        content = sorted((p.n3(), name(v, path | {node}).n3()) for p, v in holds[node])
        names[node] = BNode("c" + hashlib.sha256(repr(content).encode()).hexdigest())
        return names[node]

    return [(name(s), p, name(v)) for s, p, v in triples]


def shacl_violations(
    graphs: Mapping[Hashable, list[Triple]], directory: Path
) -> list[tuple[Hashable, str, str]]:
    """Validate the union of ``graphs`` against the shapes once; return ``(key, field, message)``
    for every graph that holds a violating triple.

    Validated one by one, each graph costs a fixed ~0.3 s of pySHACL and re-validates the nodes it
    shares with the others; in the union every node is validated once, where it is defined (see
    ``_cut_references``). These shapes only grow stricter as triples are added (no sh:not, no
    maximum counts, no closed shapes), so each graph's own violations all show in the union.
    Raises pySHACL's ``ReportableRuntimeError`` when the shapes nest deeper than it follows.
    """
    import pyshacl
    from pyshacl.errors import ShapeRecursionWarning
    from rdflib import RDF, Graph
    from rdflib.namespace import SH

    union, holders = Graph(), defaultdict(set)
    for key, triples in graphs.items():
        for triple in triples:
            union.add(triple)
            holders[triple].add(key)
    if not len(union):
        return []
    local, original = _cut_references(union)
    shapes, ontology = load_shapes(
        directory, {schema_term(c) or "" for c in union.objects(None, RDF.type)}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ShapeRecursionWarning)
        conforms, report, _ = pyshacl.validate(local, shacl_graph=shapes, ont_graph=ontology)
    if conforms:
        return []

    def held(result: Any) -> set[Hashable]:
        focus, path, value = (
            report.value(result, p) for p in (SH.focusNode, SH.resultPath, SH.value)
        )
        if path is None:
            return set().union(*(holders[t] for t in union.triples((focus, None, None))))
        return holders.get((focus, path, original.get(value, value)), set())

    def leaves(result: Any) -> list[Any]:
        details = list(report.objects(result, SH.detail))
        return [leaf for d in details for leaf in leaves(d)] if details else [result]

    found = []
    for result in report.objects(None, SH.result):
        focus, path = report.value(result, SH.focusNode), report.value(result, SH.resultPath)
        causes = [leaf for leaf in leaves(result) if leaf != result]
        where = held(result)
        if narrowed := where & set().union(*map(held, causes)):
            where = narrowed  # a nested result: the graphs that also hold its cause
        prop = f" › {schema_term(path) or path}" if path is not None else ""
        message = _tidy(report.value(result, SH.resultMessage))
        for cause in causes:
            cause_path = report.value(cause, SH.resultPath)
            cause_prop = schema_term(cause_path) if cause_path is not None else None
            message += (
                f"; {cause_prop or 'the value'}: {_tidy(report.value(cause, SH.resultMessage))}"
            )
        for key in where:
            label = _rdf_label(union, focus, lambda t, key=key: key in holders.get(t, ()))
            found.append((key, label + prop, message))
    return found


def _cut_references(union: Graph) -> tuple[Graph, dict[Any, Any]]:
    """The union with each reference to a defined node replaced by a stub IRI of its own.

    schema.org's shapes nest (an author must fit the Person shape, whose properties must fit
    theirs, …) and pySHACL follows every path anew: on a richly linked site that takes minutes,
    or stops at its depth limit. A defined node is validated where it is defined, against the
    shapes of its own types; a reference to it is only checked for what it is (an IRI, not a
    literal). Blank nodes stay in place: they belong to the node that holds them.
    """
    from rdflib import RDF, Graph, URIRef

    defined, stubs, local = set(union.subjects()), {}, Graph()
    for subject, predicate, value in union:
        if isinstance(value, URIRef) and value in defined and predicate != RDF.type:
            stub = stubs.setdefault(value, URIRef(f"urn:dossier:reference:{len(stubs)}"))
            local.add((subject, predicate, stub))
        else:
            local.add((subject, predicate, value))
    return local, {stub: iri for iri, stub in stubs.items()}


def _rdf_label(
    graph: Graph, node: Any, held: Callable[[Triple], bool], seen: frozenset[Any] = frozenset()
) -> str:
    """A node named as the JSON checks name it; a blank node by the path to it in one graph."""
    from rdflib import RDF, URIRef

    types = "/".join(sorted(schema_term(t) or t for t in graph.objects(node, RDF.type))) or "node"
    if isinstance(node, URIRef):
        return f"{types} <{node}>"
    seen |= {node}
    owners = sorted(
        (s, p) for s, p in graph.subject_predicates(node) if s not in seen and held((s, p, node))
    )
    if not owners:
        return types
    owner, predicate = owners[0]
    prop = schema_term(predicate) or predicate
    return f"{_rdf_label(graph, owner, held, seen)} › {prop} › {types}"


_SHAPE_NAME = re.compile(r"\[ sh:node :ValidSchema(\w+) \]|:ValidSchema(\w+)")
_RDF_LITERAL = re.compile(r'Literal\("((?:[^"\\]|\\.)*)"(?:, [^)]*)?\)')


def _tidy(message: Any) -> str:
    """pySHACL's message in plain words: shapes, literals and prefixes reduced to names."""
    text = _RDF_LITERAL.sub(r'"\1"', str(message or "does not conform"))
    text = _SHAPE_NAME.sub(lambda m: m.group(1) or m.group(2), text).replace(" , ", ", ")
    text = text.replace("rdf:type", "@type").replace("schema1:", "")
    return text.replace(". See details for more information.", "").strip()
