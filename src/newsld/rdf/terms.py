"""Terms and literals: the vocabulary as plain attributes, the tables from record values to terms.

:class:`Terms` makes a namespace's terms plain attributes (mapping looks up several per triple);
``DATATYPES``, ``PRECISIONS``, ``CLAIM_KINDS``, ``STANCES``, ``EVENT_TYPES``, ``ENTITY_TYPES``
and ``ROLE_TYPES`` say which term a record value becomes; the literal helpers make the terms that
recur once.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from newsld.corpus.dates import PartialDate, Precision
from newsld.rdf import namespaces

Triple = tuple[Node, Node, Node]


class Terms:
    """A namespace whose terms, once looked up, are plain attributes: an attribute of rdflib's
    DefinedNamespace classes runs Python code on every look-up, and mapping looks up several
    per triple."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_"):  # no term; and copy/pickle probe such names before __init__
            raise AttributeError(name)
        term: URIRef = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


NLD = Terms(namespaces.NLD)
PROV = Terms(namespaces.PROV)
RDF = Terms(namespaces.RDF)
SDO = Terms(namespaces.SDO)
XSD = Terms(namespaces.XSD)

DATATYPES = {
    Precision.DAY: XSD.date,
    Precision.WEEK: XSD.date,
    Precision.MONTH: XSD.gYearMonth,
    Precision.YEAR: XSD.gYear,
}
PRECISIONS = {
    Precision.DAY: NLD.Day,
    Precision.WEEK: NLD.Week,
    Precision.MONTH: NLD.Month,
    Precision.YEAR: NLD.Year,
}
CLAIM_KINDS = {
    "direct": NLD.DirectQuote,
    "partial": NLD.PartialQuote,
    "indirect": NLD.IndirectSpeech,
}
STANCES = {
    "asserts": NLD.Asserts,
    "denies": NLD.Denies,
    "questions": NLD.Questions,
}
EVENT_TYPES = {
    "meeting": NLD.Meeting,
    "letter": NLD.Letter,
    "appeal": NLD.Appeal,
    "attack": NLD.Attack,
    "strike": NLD.Strike,
    "statement": NLD.Statement,
    "visit": NLD.Visit,
    "agreement": NLD.Agreement,
    "other": NLD.OtherEvent,
}
ENTITY_TYPES: dict[str, tuple[URIRef, ...]] = {
    "Person": (SDO.Person,),
    "Organization": (SDO.Organization,),
    "GovernmentOrganization": (SDO.GovernmentOrganization, SDO.Organization),
    "NewsMediaOrganization": (SDO.NewsMediaOrganization, SDO.Organization),
    "Place": (SDO.Place,),
    "Country": (SDO.Country, SDO.Place),
    "City": (SDO.City, SDO.Place),
}
# The type an unregistered plain name gets, by the role it is referenced in.
ROLE_TYPES: dict[str, str | None] = {
    "speaker": "Person",
    "participants": "Person",
    "authors": "Person",
    "recipients": "Organization",
    "publisher": "NewsMediaOrganization",
    "cites": "NewsMediaOrganization",
    "reported_by": "NewsMediaOrganization",
    "reviewer": "Organization",
    "place": "Place",
    "about": None,
    "mentions": None,
}
# Each type an entity can have, by the kind of thing it makes it: one node is one kind
_KIND_OF_TYPE: dict[URIRef, str] = {
    t: str(types[-1]).rsplit("/", 1)[-1] for types in ENTITY_TYPES.values() for t in types
}


_WORD = re.compile(r"\w+(?:['’]\w+)*")


# Terms that recur from record to record are made once (rdflib's term constructors are slow);
# terms are immutable, so sharing them changes nothing. Every memo here is bounded.
@functools.lru_cache(maxsize=8192)
def date_literal(date: PartialDate) -> Literal:
    return Literal(date.text, datatype=DATATYPES[date.precision])


@functools.lru_cache(maxsize=16384, typed=True)
def _offset(value: int) -> Literal:
    """An xsd:nonNegativeInteger, such as a character offset into an article's text."""
    return Literal(value, datatype=XSD.nonNegativeInteger)


@functools.lru_cache(maxsize=4096, typed=True)
def _integer(value: int) -> Literal:
    return Literal(value)


@functools.lru_cache(maxsize=16384, typed=True)
def _text(value: str) -> Literal:
    """A plain literal of a text that recurs: a name, a language, a date's source."""
    return Literal(value)


_TRUE = Literal(True)


def word_count(text: str) -> int:
    """How many words ``_WORD`` finds in ``text``, counted without running it (the regular
    expression engine tests every character for a word class: 0.2 ms for an article).

    A word is a run of word characters (``\\w``), joined to the next run by one apostrophe.
    Each character becomes a class byte, ``w`` for a word character, ``'`` for an apostrophe
    and ``.`` for any other, so a word starts at each ``w`` that follows a ``.``, or an
    apostrophe that follows no ``w``, or the start of the text.
    """
    data = text.encode("utf-8", "surrogatepass")
    if not text.isascii():  # each other character's encoding becomes its class byte
        others = data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
        for char in set(others):
            data = data.replace(char.encode("utf-8", "surrogatepass"), _char_class(char))
    classes = data.translate(_ASCII_CLASSES)
    return (
        classes.count(b".w")
        + classes.count(b".'w")
        + classes.count(b"''w")
        + classes.startswith(b"w")
        + classes.startswith(b"'w")
    )


@functools.lru_cache(maxsize=4096)
def _char_class(char: str) -> bytes:
    """A character's class for :func:`word_count`; ``\\w`` is str.isalnum() or "_"."""
    if char.isalnum() or char == "_":
        return b"w"
    return b"'" if char in "'’" else b"."


_ASCII_BYTES = bytes(range(128))
_ASCII_CLASSES = b"".join(_char_class(chr(byte)) for byte in range(128)).ljust(256, b".")
