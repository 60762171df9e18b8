"""JSON-LD node objects made from release triples, one triple to one value, nothing added.

A node is ``{"@id": ..., "@type": [...], "prefix:local": [values]}`` with the predicate and class
IRIs compacted by the prefixes of the release's own context (``vocab/context.jsonld``), which every
page embeds inline (never a remote context). Literals keep their exact lexical form and datatype
(``{"@value": "0.98", "@type": "xsd:decimal"}``), so that parsing a page's JSON-LD gives back the
very triples of the release.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from newsld.rdf.namespaces import RDF, XSD

Node = dict[str, Any]

RDF_TYPE = str(RDF.type)
XSD_STRING = str(XSD.string)
RDF_LANG_STRING = str(RDF.langString)


def prefixes(context_path: Path) -> dict[str, str]:
    """The prefix entries of a JSON-LD context file (terms whose value is a namespace IRI)."""
    try:
        context = json.loads(context_path.read_text(encoding="utf-8"))["@context"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {
        name: value
        for name, value in sorted(context.items())
        if isinstance(value, str) and value.endswith(("#", "/")) and ":" not in name
    }


class Compactor:
    """Compacts IRIs to ``prefix:local`` by the longest matching namespace."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = dict(prefixes)
        self._order = sorted(self.prefixes.items(), key=lambda item: -len(item[1]))
        self._cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        found = self._cache.get(iri)
        if found is None:
            found = iri
            for name, namespace in self._order:
                local = iri[len(namespace) :]
                if iri.startswith(namespace) and local and _plain(local):
                    found = f"{name}:{local}"
                    break
            self._cache[iri] = found
        return found

    def expand(self, term: str) -> str:
        name, colon, local = term.partition(":")
        if colon and name in self.prefixes and not local.startswith("//"):
            return self.prefixes[name] + local
        return term


def _plain(local: str) -> bool:
    return all(c.isalnum() or c in "-_." for c in local)


def value(term: ox.NamedNode | ox.BlankNode | ox.Literal, compact: Compactor) -> Any:
    """One RDF term as a JSON-LD value object (a plain JSON string for an xsd:string)."""
    kind = type(term)
    if kind is ox.NamedNode:
        return {"@id": term.value}
    if kind is ox.BlankNode:
        return {"@id": f"_:{term.value}"}
    language = term.language  # type: ignore[union-attr]
    if language:
        return {"@value": term.value, "@language": language}
    datatype = term.datatype.value  # type: ignore[union-attr]
    if datatype == XSD_STRING:
        return term.value
    return {"@value": term.value, "@type": compact(datatype)}


def _order(value: Any) -> str:
    """The order of the values of one property: by their JSON text."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def node(
    subject: str,
    pairs: Iterable[tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal]],
    compact: Compactor,
) -> Node:
    """The node object of ``subject`` holding exactly the (predicate, object) ``pairs``."""
    result: Node = {"@id": subject}
    types: list[str] = []
    properties: dict[str, list[Any]] = {}
    for predicate, obj in pairs:
        if predicate == RDF_TYPE and type(obj) is ox.NamedNode:
            types.append(compact(obj.value))
            continue
        key = compact(predicate)
        found = properties.get(key)
        if found is None:
            properties[key] = [value(obj, compact)]
        else:
            found.append(value(obj, compact))
    if types:
        result["@type"] = sorted(set(types))
    for key in sorted(properties):
        values = properties[key]
        if len(values) > 1:  # one value (the most common) has nothing to sort
            values.sort(key=_order)
        result[key] = values
    return result


def brief(full: Node, keys: Iterable[str]) -> Node:
    """A node with only its ``@type`` and the given properties (still release triples)."""
    result: Node = {"@id": full["@id"]}
    if "@type" in full:
        result["@type"] = full["@type"]
    for key in keys:
        if key in full:
            result[key] = full[key]
    return result


def encode(node: Node | Mapping[str, Any]) -> str:
    """The canonical JSON text of a node (keys sorted, no spaces): as :func:`document` writes
    it, so a node kept as text goes into a page as it is."""
    return json.dumps(node, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


_OPENING = '{"@id":"'  # how the canonical text of a node starts (no key sorts before "@id")


def _id(item: Node | str) -> str:
    """The ``@id`` of a node, or of a node's canonical text (:func:`encode`)."""
    if isinstance(item, str):
        if not item.startswith(_OPENING):
            raise ValueError(f"not the canonical text of a node: {item[:40]!r}")
        return json.decoder.scanstring(item, len(_OPENING))[0]
    return str(item["@id"])


def document(nodes: Iterable[Node | str], prefixes: Mapping[str, str]) -> str:
    """A JSON-LD document (inline context, ``@graph``) safe to embed in a ``<script>``: of
    ``nodes``, each a node or its canonical text (nodes of one ``@id`` merged)."""
    found: dict[str, list[Node | str]] = {}
    for item in nodes:
        found.setdefault(_id(item), []).append(item)
    parts = []
    for key in sorted(found):
        items = found[key]
        if len(items) == 1:
            one = items[0]
            parts.append(one if isinstance(one, str) else encode(one))
        else:
            merged = functools.reduce(
                _merge, (json.loads(i) if isinstance(i, str) else i for i in items)
            )
            parts.append(encode(merged))
    text = '{"@context":' + encode(dict(prefixes)) + ',"@graph":[' + ",".join(parts) + "]}"
    # nothing in the data can close the script element or open a comment in it
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _merge(one: Node, other: Node) -> Node:
    result = dict(one)
    for key, values in other.items():
        if key == "@id":
            continue
        if key not in result:
            result[key] = values
        else:
            seen = {json.dumps(v, sort_keys=True) for v in result[key]}
            extra = [v for v in values if json.dumps(v, sort_keys=True) not in seen]
            result[key] = sorted(
                [*result[key], *extra], key=lambda v: json.dumps(v, sort_keys=True)
            )
    return result


def first(node: Mapping[str, Any] | None, key: str) -> str | None:
    """The lexical form (or IRI) of the first value of ``key``."""
    if not node or key not in node or not node[key]:
        return None
    found = node[key][0]
    if isinstance(found, str):
        return found
    return str(found.get("@value", found.get("@id")))


def every(node: Mapping[str, Any] | None, key: str) -> list[str]:
    if not node or key not in node:
        return []
    return [v if isinstance(v, str) else str(v.get("@value", v.get("@id"))) for v in node[key]]
