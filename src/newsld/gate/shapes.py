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
from functools import cache, cached_property

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from newsld.gate.shacl import ShapeResult, _text, shapes_graph
from newsld.rdf.namespaces import NLD, NLDSH, RDF, SDO, SH, XSD
from newsld.rdf.terms import Triple

# subject → predicate as a :func:`_key` → its distinct objects
Index = dict[Node, dict[object, list[Node]]]
# subject → its classes, each as a :func:`_key`
Classes = dict[Node, set[object]]

_plain = str.__str__  # an IRI as a plain str
_TYPE = RDF.type  # rdflib's namespace attributes run Python code on every look-up
_TYPE_IRI = _plain(_TYPE)
_LANG_STRING = RDF.langString
_STRING = XSD.string
_DATE_IRI = _plain(NLD.date)
_SOURCE_IRI = _plain(NLD.source)
_PUBLISHED_IRI = _plain(SDO.datePublished)
_NO_PROPERTIES: dict[object, list[Node]] = {}


class UnsupportedShape(Exception):
    """The shapes use a SHACL feature this evaluator does not implement."""


# ------------------------------------------------------------------------------ value tests
def _key(node: Node) -> object:
    """How an index holds a predicate or a class: an IRI as plain text, which dicts and sets
    compare without rdflib's Python-level ``__eq__``; any other node as itself (a literal or a
    blank node never equals plain text, so it never matches an IRI)."""
    return _plain(node) if type(node) is URIRef else node


def _has_class(classes: Classes, value: Node, cls: object) -> bool:
    """Whether ``value`` has the class ``cls`` (a :func:`_key`)."""
    found = classes.get(value)
    return found is not None and cls in found


def _has_datatype(value: Node, datatype: Node) -> bool:
    """RDF 1.1: a plain literal is an xsd:string; a tagged one an rdf:langString."""
    if not isinstance(value, Literal):
        return False
    if value.language is not None:
        return datatype == _LANG_STRING
    actual = value.datatype if value.datatype is not None else _STRING
    return actual == datatype and not getattr(value, "ill_typed", False)


ValueTest = Callable[[Classes, Node], bool]


def _value_test(shapes: Graph, node: Node) -> ValueTest:
    """A test for one alternative of sh:or (a shape with exactly one sh:class or sh:datatype)."""
    predicates = {p for p in shapes.predicates(node) if p != RDF.type}
    if predicates == {SH["class"]}:
        cls = _key(shapes.value(node, SH["class"]))
        return lambda classes, value: _has_class(classes, value, cls)
    if predicates == {SH.datatype}:
        datatype = shapes.value(node, SH.datatype)
        return lambda classes, value: _has_datatype(value, datatype)
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

    # What evaluation reads for every focus node, worked out once (rules are complete once
    # compiled: nothing changes them after the first evaluation).
    @cached_property
    def result_path(self) -> str:
        return str(self.path)

    @cached_property
    def key(self) -> object:
        return _key(self.path)

    @cached_property
    def class_keys(self) -> list[object]:
        return [_key(cls) for cls in self.classes]

    @cached_property
    def tests_values(self) -> bool:
        return bool(
            self.classes
            or self.datatype is not None
            or self.min_length is not None
            or self.allowed is not None
            or self.alternatives
        )

    def violations(
        self, properties: dict[object, list[Node]], classes: Classes
    ) -> list[Node | None]:
        """The value (or None) of each violation at a focus node with ``properties``."""
        values = properties.get(self.key, ())
        found: list[Node | None] = []
        if self.min_count is not None and len(values) < self.min_count:
            found.append(None)
        if self.max_count is not None and len(values) > self.max_count:
            found.append(None)
        if self.tests_values:
            for value in values:
                for cls in self.class_keys:
                    if not _has_class(classes, value, cls):
                        found.append(value)
                if self.datatype is not None and not _has_datatype(value, self.datatype):
                    found.append(value)
                if self.min_length is not None and len(str(value)) < self.min_length:
                    found.append(value)
                if self.allowed is not None and value not in self.allowed:
                    found.append(value)
                if self.alternatives and not any(
                    test(classes, value) for test in self.alternatives
                ):
                    found.append(value)
        if self.qualified_in is not None and self.qualified_min is not None:
            conforming = sum(1 for value in values if value in self.qualified_in)
            if conforming < self.qualified_min:
                found.append(None)
        return found


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


def _date_not_after_source(focus: Node, index: Index) -> list[Node | None]:
    """nldsh:Claim-date-not-after-source, the same comparison as its SPARQL text."""
    node = index.get(focus, _NO_PROPERTIES)
    found: list[Node | None] = []
    for value in node.get(_DATE_IRI, ()):
        for article in node.get(_SOURCE_IRI, ()):
            for published in index.get(article, _NO_PROPERTIES).get(_PUBLISHED_IRI, ()):
                if _period_start(str(value)) > _period_end(str(published)):
                    found.append(value)
    return found


_AUTHOR_IRI = _plain(SDO.author)
_PUBLISHER_IRI = _plain(SDO.publisher)
_URL_IRI = _plain(SDO.url)
_LOGO_IRI = _plain(SDO.logo)


def _none_has(link: str, wanted: str) -> Callable[[Node, Index], list[Node | None]]:
    """A focus node that links (``link``) to nodes none of which has ``wanted``, reported as
    the SPARQL text does: once, with the focus node as its value."""

    def evaluate(focus: Node, index: Index) -> list[Node | None]:
        linked = index.get(focus, _NO_PROPERTIES).get(link, ())
        if linked and not any(index.get(node, _NO_PROPERTIES).get(wanted) for node in linked):
            return [focus]
        return []

    return evaluate


@dataclass(frozen=True)
class NativeConstraint:
    """A SPARQL constraint's native equivalent, and the ``?path`` its query selects ("")."""

    evaluate: Callable[[Node, Index], list[Node | None]]
    result_path: str = ""


# The SPARQL constraints we ship, by IRI, each with a native equivalent that the tests compare.
NATIVE_SPARQL: dict[URIRef, NativeConstraint] = {
    NLDSH["Claim-date-not-after-source"]: NativeConstraint(_date_not_after_source),
    NLDSH["Article-author-url"]: NativeConstraint(_none_has(_AUTHOR_IRI, _URL_IRI), _AUTHOR_IRI),
    NLDSH["Article-publisher-url"]: NativeConstraint(
        _none_has(_PUBLISHER_IRI, _URL_IRI), _PUBLISHER_IRI
    ),
    NLDSH["Article-publisher-logo"]: NativeConstraint(
        _none_has(_PUBLISHER_IRI, _LOGO_IRI), _PUBLISHER_IRI
    ),
}


@dataclass
class SparqlRule:
    shape: URIRef
    severity: URIRef
    message: str
    evaluate: Callable[[Node, Index], list[Node | None]]
    result_path: str = ""


@dataclass
class NodeRule:
    targets: list[Node]
    rules: list[PropertyRule | SparqlRule]

    @cached_property
    def target_keys(self) -> list[object]:
        return [_key(target) for target in self.targets]


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
        allowed = {RDF.type, SH.targetClass, SH.property, SH.sparql, SH.severity, SH.name,
                   SH.description, SH.message, NLD.findingCode}  # fmt: skip
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
            # a constraint is not a shape: its results have the severity of its node shape
            severity = shapes.value(node, SH.severity) or SH.Violation
            message = str(shapes.value(constraint, SH.message) or "")
            rules.append(
                SparqlRule(constraint, severity, message, native.evaluate, native.result_path)
            )
        node_rules.append(NodeRule(list(shapes.objects(node, SH.targetClass)), rules))
    return tuple(node_rules)


def index_triples(triples: Iterable[Triple]) -> Index:
    """The distinct triples by subject and predicate (objects in the order first seen)."""
    return _indexed(triples)[0]


def _indexed(triples: Iterable[Triple]) -> tuple[Index, Classes]:
    """:func:`index_triples`, and each subject's classes."""
    index: Index = {}
    classes: Classes = {}
    for subject, predicate, obj in triples:
        properties = index.get(subject)
        if properties is None:
            properties = index[subject] = {}
        key = _plain(predicate) if type(predicate) is URIRef else predicate  # as _key
        values = properties.get(key)
        if values is None:
            properties[key] = [obj]
        elif obj not in values:  # the same equality as a set of triples
            values.append(obj)
        else:
            continue
        if key == _TYPE_IRI:
            found = classes.get(subject)
            if found is None:
                classes[subject] = {_key(obj)}
            else:
                found.add(_key(obj))
    return index, classes


def evaluate(
    triples: Sequence[Triple] | Iterable[Triple], rules: Sequence[NodeRule] | None = None
) -> list[ShapeResult]:
    """Validate ``triples`` against the shipped shapes; same results as :func:`shacl.validate`."""
    index, classes = _indexed(triples)
    by_class: dict[object, list[Node]] = defaultdict(list)
    for subject, names in classes.items():
        for name in names:
            by_class[name].append(subject)
    found = set()
    for node_rule in compiled() if rules is None else rules:
        focus_nodes = {f for target in node_rule.target_keys for f in by_class.get(target, ())}
        for focus in focus_nodes:
            properties = index.get(focus, _NO_PROPERTIES)
            for rule in node_rule.rules:
                if isinstance(rule, PropertyRule):
                    violations = rule.violations(properties, classes)
                else:
                    violations = rule.evaluate(focus, index)
                for value in violations:
                    found.add(
                        ShapeResult(
                            focus=str(focus),
                            path=rule.result_path,
                            shape=str(rule.shape),
                            severity=str(rule.severity),
                            value=_text(value),
                            message=rule.message,
                        )
                    )
    return sorted(found)
