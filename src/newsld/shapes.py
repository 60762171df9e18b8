"""A fast evaluator for the SHACL shapes newsld ships, checked against pySHACL.

pySHACL is the reference, but costs tens of milliseconds per article (most of it setting up
shapes and SPARQL for every call); at 100k articles that is the whole build budget. The shapes
we ship use a small part of SHACL — class targets, property shapes on single predicates with
min/max counts, class, datatype, minLength, in, or, qualified value shapes, severities — plus one
SPARQL constraint. This module compiles exactly that part from the shapes graph and evaluates it
over an article's triples. Shapes using anything else are refused at compile time (the caller
then uses pySHACL), and the test suite checks that both engines report the same results.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from .mapping import Triple
from .namespaces import NLD, NLDSH, RDF, SDO, SH, XSD
from .shacl import ShapeResult, _text, shapes_graph

Index = dict[Node, dict[Node, list[Node]]]


class UnsupportedShape(Exception):
    """The shapes use a SHACL feature this evaluator does not implement."""


# ------------------------------------------------------------------------------ value tests
def _has_class(index: Index, value: Node, cls: Node) -> bool:
    return cls in index.get(value, {}).get(RDF.type, ())


def _has_datatype(value: Node, datatype: Node) -> bool:
    """RDF 1.1: a plain literal is an xsd:string; a tagged one an rdf:langString."""
    if not isinstance(value, Literal):
        return False
    if value.language is not None:
        return datatype == RDF.langString
    actual = value.datatype if value.datatype is not None else XSD.string
    return actual == datatype and not getattr(value, "ill_typed", False)


ValueTest = Callable[[Index, Node], bool]


def _value_test(shapes: Graph, node: Node) -> ValueTest:
    """A test for one alternative of sh:or (a shape with exactly one sh:class or sh:datatype)."""
    predicates = {p for p in shapes.predicates(node) if p != RDF.type}
    if predicates == {SH["class"]}:
        cls = shapes.value(node, SH["class"])
        return lambda index, value: _has_class(index, value, cls)
    if predicates == {SH.datatype}:
        datatype = shapes.value(node, SH.datatype)
        return lambda index, value: _has_datatype(value, datatype)
    raise UnsupportedShape(f"sh:or alternative {node} uses {sorted(map(str, predicates))}")


# ------------------------------------------------------------------------------ property shapes
_PROPERTY_KEYS = {
    RDF.type, SH.path, SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.minLength, SH["in"],
    SH["or"], SH.qualifiedValueShape, SH.qualifiedMinCount, SH.severity, SH.message, SH.name,
    SH.description, NLD.findingCode,
}  # fmt: skip


@dataclass
class PropertyRule:
    shape: URIRef
    path: URIRef
    severity: URIRef
    message: str
    min_count: int | None = None
    max_count: int | None = None
    classes: list[Node] = field(default_factory=list)
    datatype: Node | None = None
    min_length: int | None = None
    allowed: set[Node] | None = None
    alternatives: list[ValueTest] = field(default_factory=list)
    qualified_in: set[Node] | None = None
    qualified_min: int | None = None

    def evaluate(self, focus: Node, index: Index) -> Iterable[tuple[Node | None]]:
        """Yield the value (or None) of each violation at ``focus``."""
        values = index.get(focus, {}).get(self.path, [])
        if self.min_count is not None and len(values) < self.min_count:
            yield (None,)
        if self.max_count is not None and len(values) > self.max_count:
            yield (None,)
        for value in values:
            for cls in self.classes:
                if not _has_class(index, value, cls):
                    yield (value,)
            if self.datatype is not None and not _has_datatype(value, self.datatype):
                yield (value,)
            if self.min_length is not None and len(str(value)) < self.min_length:
                yield (value,)
            if self.allowed is not None and value not in self.allowed:
                yield (value,)
            if self.alternatives and not any(test(index, value) for test in self.alternatives):
                yield (value,)
        if self.qualified_in is not None and self.qualified_min is not None:
            conforming = sum(1 for value in values if value in self.qualified_in)
            if conforming < self.qualified_min:
                yield (None,)


def _int(shapes: Graph, node: Node, predicate: URIRef) -> int | None:
    value = shapes.value(node, predicate)
    return None if value is None else int(value)


def _compile_property(shapes: Graph, node: URIRef) -> PropertyRule:
    unknown = set(shapes.predicates(node)) - _PROPERTY_KEYS
    if unknown:
        raise UnsupportedShape(f"{node} uses {sorted(map(str, unknown))}")
    path = shapes.value(node, SH.path)
    if not isinstance(path, URIRef):
        raise UnsupportedShape(f"{node}: only single-predicate paths are supported")
    rule = PropertyRule(
        shape=node,
        path=path,
        severity=shapes.value(node, SH.severity) or SH.Violation,
        message=str(shapes.value(node, SH.message) or ""),
        min_count=_int(shapes, node, SH.minCount),
        max_count=_int(shapes, node, SH.maxCount),
        classes=list(shapes.objects(node, SH["class"])),
        datatype=shapes.value(node, SH.datatype),
        min_length=_int(shapes, node, SH.minLength),
    )
    allowed = shapes.value(node, SH["in"])
    if allowed is not None:
        rule.allowed = set(Collection(shapes, allowed))
    alternatives = shapes.value(node, SH["or"])
    if alternatives is not None:
        rule.alternatives = [_value_test(shapes, n) for n in Collection(shapes, alternatives)]
    qualified = shapes.value(node, SH.qualifiedValueShape)
    if qualified is not None:
        predicates = {p for p in shapes.predicates(qualified) if p != RDF.type}
        if predicates != {SH["in"]}:
            raise UnsupportedShape(f"{node}: qualified value shapes support sh:in only")
        rule.qualified_in = set(Collection(shapes, shapes.value(qualified, SH["in"])))
        rule.qualified_min = _int(shapes, node, SH.qualifiedMinCount)
    return rule


# ------------------------------------------------------------------------------ SPARQL constraints
def _period_start(text: str) -> str:
    return text + "-01-01" if len(text) == 4 else text + "-01" if len(text) == 7 else text


def _period_end(text: str) -> str:
    return text + "-12-31" if len(text) == 4 else text + "-31" if len(text) == 7 else text


def _date_not_after_source(focus: Node, index: Index) -> Iterable[tuple[Node | None]]:
    """nldsh:Claim-date-not-after-source, the same comparison as its SPARQL text."""
    node = index.get(focus, {})
    for value in node.get(NLD.date, []):
        for article in node.get(NLD.source, []):
            for published in index.get(article, {}).get(SDO.datePublished, []):
                if _period_start(str(value)) > _period_end(str(published)):
                    yield (value,)


# The SPARQL constraints we ship, by IRI, each with a native equivalent that the tests compare.
NATIVE_SPARQL: dict[URIRef, Callable[[Node, Index], Iterable[tuple[Node | None]]]] = {
    NLDSH["Claim-date-not-after-source"]: _date_not_after_source,
}


@dataclass
class SparqlRule:
    shape: URIRef
    severity: URIRef
    message: str
    evaluate: Callable[[Node, Index], Iterable[tuple[Node | None]]]
    path: str = ""


@dataclass
class NodeRule:
    targets: list[Node]
    rules: list[PropertyRule | SparqlRule]


@cache
def compiled() -> tuple[NodeRule, ...]:
    """The shipped shapes, compiled; raises :class:`UnsupportedShape` if that is impossible."""
    return compile_shapes(shapes_graph())


def supported() -> bool:
    try:
        compiled()
    except UnsupportedShape:
        return False
    return True


def compile_shapes(shapes: Graph) -> tuple[NodeRule, ...]:
    node_rules = []
    for node in sorted(set(shapes.subjects(RDF.type, SH.NodeShape))):
        allowed = {RDF.type, SH.targetClass, SH.property, SH.sparql, SH.name, SH.description,
                   SH.message, NLD.findingCode}  # fmt: skip
        unknown = set(shapes.predicates(node)) - allowed
        if unknown:
            raise UnsupportedShape(f"{node} uses {sorted(map(str, unknown))}")
        rules: list[PropertyRule | SparqlRule] = [
            _compile_property(shapes, p) for p in sorted(shapes.objects(node, SH.property))
        ]
        for constraint in sorted(shapes.objects(node, SH.sparql)):
            native = NATIVE_SPARQL.get(constraint)  # type: ignore[call-overload]
            if native is None:
                raise UnsupportedShape(f"no native equivalent for SPARQL constraint {constraint}")
            severity = shapes.value(constraint, SH.severity) or shapes.value(node, SH.severity)
            message = str(shapes.value(constraint, SH.message) or "")
            rules.append(SparqlRule(constraint, severity or SH.Violation, message, native))
        node_rules.append(NodeRule(list(shapes.objects(node, SH.targetClass)), rules))
    return tuple(node_rules)


def index_triples(triples: Iterable[Triple]) -> Index:
    index: Index = defaultdict(lambda: defaultdict(list))
    seen: set[Triple] = set()
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            index[triple[0]][triple[1]].append(triple[2])
    return index


def evaluate(
    triples: Sequence[Triple] | Iterable[Triple], rules: Sequence[NodeRule] | None = None
) -> list[ShapeResult]:
    """Validate ``triples`` against the shipped shapes; same results as :func:`shacl.validate`."""
    index = index_triples(triples)
    by_type: dict[Node, list[Node]] = defaultdict(list)
    for subject, properties in index.items():
        for cls in properties.get(RDF.type, ()):
            by_type[cls].append(subject)
    found = set()
    for node_rule in compiled() if rules is None else rules:
        focus_nodes = {f for target in node_rule.targets for f in by_type.get(target, ())}
        for focus in focus_nodes:
            for rule in node_rule.rules:
                path = str(rule.path) if isinstance(rule, PropertyRule) else ""
                for (value,) in rule.evaluate(focus, index):
                    found.add(
                        ShapeResult(
                            focus=str(focus),
                            path=path,
                            shape=str(rule.shape),
                            severity=str(rule.severity),
                            value=_text(value),
                            message=rule.message,
                        )
                    )
    return sorted(found)
