"""Run SPARQL queries on the embedded store or a remote endpoint, and render the results.

Results are a :class:`QueryResult` whatever ran the query, so the same renderers serve both:
an aligned text table, CSV and TSV (SPARQL 1.1 Query Results CSV/TSV) and JSON (SPARQL 1.1 Query
Results JSON) for SELECT and ASK; N-Triples or Turtle for CONSTRUCT and DESCRIBE.

On the embedded store the default graph is the union of the release's named graphs, so queries
need no ``GRAPH`` clause; the project's prefixes (``nld:``, ``schema:``, …) are predeclared.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from newsld.endpoints.errors import EndpointError, ErrorKind
from newsld.rdf.namespaces import PREFIXES

if TYPE_CHECKING:
    from newsld.endpoints.remote import Remote

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

QUERY_SUFFIXES = (".rq", ".sparql")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
MAX_ROWS_HEADER = "x-sparql-maxrows"
VIRTUOSO_MAX_ROWS = 10_000  # Virtuoso's default ResultSetMaxRows

RESULTS_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples;q=0.8, text/turtle;q=0.7"
)
SOLUTIONS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


class QueryError(Exception):
    """A query that cannot be read or run: a message for the user."""


class QuerySyntaxError(QueryError):
    """The query does not parse; carries the position (1-based line and column)."""

    def __init__(self, source: str, line: int, column: int, detail: str, text: str) -> None:
        self.source, self.line, self.column, self.detail = source, line, column, detail
        lines = text.splitlines() or [""]
        shown = lines[line - 1] if 0 < line <= len(lines) else ""
        caret = " " * (max(column, 1) - 1) + "^"
        super().__init__(
            f"{source}:{line}:{column}: syntax error at or before this point: {detail}"
            f"\n    {shown}\n    {caret}"
        )


class Kind(StrEnum):
    SELECT = "select"
    ASK = "ask"
    GRAPH = "graph"  # CONSTRUCT or DESCRIBE


@dataclass
class QueryResult:
    kind: Kind
    variables: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    capped_at: int | None = None  # the endpoint cut the results at this many rows
    declared_prefixes: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # further warnings about the answer

    @property
    def warnings(self) -> list[str]:
        if self.capped_at is None:
            return list(self.notes)
        return [
            *self.notes,
            f"the endpoint capped the results at {self.capped_at} rows (X-SPARQL-MaxRows): "
            "more may exist; page with ORDER BY … LIMIT/OFFSET or raise the endpoint's limit "
            "(Virtuoso: ResultSetMaxRows in virtuoso.ini)",
        ]


# --------------------------------------------------------------------------- reading queries


def read_query(source: str) -> tuple[str, str]:
    """``(text, label)`` from a ``.rq`` file path or an inline query string."""
    looks_like_file = source.endswith(QUERY_SUFFIXES) and "\n" not in source and "{" not in source
    path = Path(source)
    if looks_like_file or (len(source) < 4096 and "{" not in source and path.is_file()):
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except FileNotFoundError:
            raise QueryError(f"{source}: no such query file") from None
        except (OSError, UnicodeDecodeError) as error:
            raise QueryError(f"{source}: cannot read the query file: {error}") from None
    if not source.strip():
        raise QueryError("the query is empty")
    return source, "<query>"


_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_POSITION = re.compile(r"error at (\d+):(\d+)(?:-\d+:\d+)?:?\s*(.*)", re.DOTALL)


def declared_prefixes(text: str) -> dict[str, str]:
    return {m.group(1) or "": m.group(2) for m in _PREFIX_DECL.finditer(_strip_comments(text))}


def _strip_comments(text: str) -> str:
    """Remove ``#`` comments outside IRIs and strings (good enough to find declarations)."""
    out = []
    for line in text.splitlines():
        in_iri = in_string = False
        quote = ""
        cut = len(line)
        for index, char in enumerate(line):
            if in_string:
                if char == quote and line[index - 1] != "\\":
                    in_string = False
            elif in_iri:
                in_iri = char != ">"
            elif char in "\"'":
                in_string, quote = True, char
            elif char == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", line[index:]):
                in_iri = True
            elif char == "#":
                cut = index
                break
        out.append(line[:cut])
    return "\n".join(out)


def _clamp(text: str, line: int, column: int) -> tuple[int, int]:
    """Oxigraph reports where its parser gave up, which can be past the end of the query
    (or of the line): move such positions back onto the last character before them."""
    lines = text.split("\n")
    offset = sum(len(x) + 1 for x in lines[: line - 1]) + column - 1
    offset = min(offset, len(text))
    if not text[offset:].strip():
        offset = len(text.rstrip()) - 1
    offset = max(offset, 0)
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _syntax_error(error: SyntaxError, text: str, label: str) -> QuerySyntaxError:
    message = str(error)
    match = _POSITION.search(message)
    line, column, detail = (
        (int(match.group(1)), int(match.group(2)), match.group(3)) if match else (1, 1, message)
    )
    line, column = _clamp(text, line, column)
    if "Prefix not found" in detail:
        detail = "undeclared prefix (add a PREFIX declaration)"
    detail = detail.splitlines()[0] if detail else "invalid SPARQL"
    if len(detail) > 160:
        detail = detail[:159] + "…"
    return QuerySyntaxError(label, line, column, detail, text)


# --------------------------------------------------------------------------- running queries


def run_local(store: ox.Store, text: str, label: str = "<query>") -> QueryResult:
    """Run ``text`` on the embedded store, default graph = union of the named graphs."""
    try:
        answer = store.query(text, prefixes=dict(PREFIXES), use_default_graph_as_union=True)
    except SyntaxError as error:
        raise _syntax_error(error, text, label) from None
    except (OSError, ValueError, TypeError) as error:
        raise QueryError(f"{label}: the query failed: {error}") from None
    declared = {**PREFIXES, **declared_prefixes(text)}
    return _from_oxigraph(answer, declared)


class QueryTimedOut(QueryError):
    """The query ran past ``--query-timeout`` and was stopped."""


def run_isolated(
    location: Path, text: str, label: str = "<query>", timeout: float | None = None
) -> QueryResult:
    """:func:`run_local` in a worker process (:mod:`.sparqlworker`) that is killed after
    ``timeout`` seconds, so a runaway query (a cross product) stops using the CPU then.
    Queries with SERVICE should have been refused before (:func:`refuse_service`)."""
    from newsld.endpoints import sparqlworker

    request = sparqlworker.Request(
        str(location),
        text,
        union_default_graph=True,
        prefixes=dict(PREFIXES),
        accept="application/sparql-results+json, application/n-triples",
    )
    try:
        answer = sparqlworker.run(request, timeout)
    except sparqlworker.QueryTimeout as error:
        raise QueryTimedOut(
            f"{label}: {error} (--query-timeout {error.seconds:g}; 0 for no limit); narrow the "
            "query, e.g. join its patterns on shared variables, or add LIMIT"
        ) from None
    except sparqlworker.WorkerSyntaxError as error:
        raise _syntax_error(SyntaxError(str(error)), text, label) from None
    except sparqlworker.WorkerError as error:
        raise QueryError(f"{label}: the query failed: {error}") from None
    declared = {**PREFIXES, **declared_prefixes(text)}
    result = parse_response(answer.body, answer.media_type, declared)
    if result is None:  # pragma: no cover - the worker wrote what we asked for
        raise QueryError(f"{label}: the query worker answered {answer.media_type} unreadably")
    return result


def accept_for(text: str) -> str:
    """The Accept header for this query's form: results formats for SELECT and ASK, RDF for
    CONSTRUCT and DESCRIBE. (Virtuoso, asked for JSON results first, fails on CONSTRUCT.)"""
    answer = _probe(text)
    if answer is None or isinstance(answer, SyntaxError):
        return RESULTS_ACCEPT
    return GRAPH_ACCEPT if isinstance(answer, ox.QueryTriples) else SOLUTIONS_ACCEPT


_LONG_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*(?:"""|$)|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*(?:\'\'\'|$)', re.DOTALL
)
_SHORT_STRING = re.compile(
    r'"(?:[^"\\\n\r]|\\.)*(?:"|$)|\'(?:[^\'\\\n\r]|\\.)*(?:\'|$)', re.MULTILINE
)
_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_VARIABLE = re.compile(r"[?$][\w\u00b7\u0300-\u036f\u203f\u2040]*")
_BLANK = re.compile(r"_:[\w.\-\u00b7\u00c0-\uffff]*")
_NAME = re.compile(r"[^\W\d][\w.\-\u00b7]*", re.UNICODE)
_PN_LOCAL = re.compile(r"(?:[\w.\-:%\u00b7]|\\.)*", re.UNICODE)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _service_in(text: str) -> bool:
    """Whether the SERVICE keyword occurs outside strings, IRIs, comments, variable names,
    blank node labels and the local parts of prefixed names (a small SPARQL tokenizer).

    It leans towards yes: oxigraph's parser also reads ``SERVICEex:x`` and ``SERVICE:x`` as
    SERVICE with an IRI, so any name or prefix *containing* SERVICE counts."""
    at, end = 0, len(text)
    while at < end:
        char = text[at]
        if char.isspace():
            at += 1
        elif char == "#":
            newline = text.find("\n", at)
            at = end if newline < 0 else newline + 1
        elif char in "\"'":
            match = _LONG_STRING.match(text, at) or _SHORT_STRING.match(text, at)
            at = match.end() if match else at + 1
        elif char == "<" and (match := _IRI.match(text, at)):
            at = match.end()
        elif char in "?$":
            at = _VARIABLE.match(text, at).end()  # type: ignore[union-attr]
        elif text.startswith("_:", at):
            at = _BLANK.match(text, at).end()  # type: ignore[union-attr]
        elif match := _NAME.match(text, at):
            if "SERVICE" in match.group().upper():
                return True
            at = match.end()
            if at < end and text[at] == ":":  # a prefixed name: skip its local part
                at = _PN_LOCAL.match(text, at + 1).end()  # type: ignore[union-attr]
        elif char == ":":
            at = _PN_LOCAL.match(text, at + 1).end()  # type: ignore[union-attr]
        else:
            at += 1
    return False


def uses_service(text: str) -> bool:
    """Whether running ``text`` could make the engine send a request elsewhere (SERVICE).

    Checked on the text as written and with ``\\u`` escapes decoded (SPARQL lets an engine
    decode them before parsing), so neither reading hides the keyword."""
    decoded = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    return _service_in(text) or (decoded != text and _service_in(decoded))


class ServiceRefused(QueryError):
    """The query has a SERVICE clause and federation was not allowed."""

    def __init__(self, label: str, option: str = "--allow-service") -> None:
        super().__init__(
            f"{label}: the query uses SERVICE, which would make this machine send requests to "
            f"other servers (and wait for them); refused: pass {option} if you mean it"
        )


def refuse_service(text: str, label: str, option: str = "--allow-service") -> None:
    if uses_service(text):
        raise ServiceRefused(label, option)


def _probe(text: str) -> object | SyntaxError | None:
    """The query run on an empty in-memory store (pyoxigraph cannot parse without running):
    its answer, its SyntaxError, or None when it cannot be tried here. Never for a query with
    ``SERVICE``, which oxigraph would send over the network from this machine."""
    if uses_service(text):
        return None
    try:
        return ox.Store().query(text, prefixes=dict(PREFIXES))
    except SyntaxError as error:
        return error
    except (OSError, ValueError, TypeError):
        return None


def local_syntax_error(text: str, label: str) -> QuerySyntaxError | None:
    """The query's syntax error with its position, parsed here (on an empty store); None when
    it parses (then only the endpoint knows what is wrong with it)."""
    answer = _probe(text)
    return _syntax_error(answer, text, label) if isinstance(answer, SyntaxError) else None


def _from_oxigraph(answer: object, declared: dict[str, str]) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(Kind.ASK, boolean=bool(answer), declared_prefixes=declared)
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = [[solution[name] for name in variables] for solution in answer]
        return QueryResult(Kind.SELECT, variables, rows, declared_prefixes=declared)
    if isinstance(answer, ox.QueryTriples):
        return QueryResult(Kind.GRAPH, triples=list(answer), declared_prefixes=declared)
    raise QueryError(f"unexpected query answer {type(answer).__name__}")  # pragma: no cover


def with_missing_prefixes(text: str) -> str:
    """Prepend declarations of project prefixes the query uses without declaring them.

    They go on the query's first line, so line numbers in the endpoint's messages still match.
    """
    declared = declared_prefixes(text)
    body = _strip_comments(text)
    missing = [
        f"PREFIX {name}: <{iri}>"
        for name, iri in PREFIXES.items()
        if name not in declared and re.search(rf"(?<![\w:/#?$]){re.escape(name)}:", body)
    ]
    return (" ".join(missing) + " " + text) if missing else text


def run_remote(
    remote: Remote, endpoint: str, text: str, label: str = "<query>", what: str = "run the query"
) -> QueryResult:
    """Run ``text`` on a SPARQL endpoint (SPARQL 1.1 Protocol, POST form).

    ``what`` completes "could not …" in error messages.
    """
    from newsld.endpoints.remote import content_type, not_sparql  # the HTTP client, when used

    try:
        response = remote.request(
            "POST",
            endpoint,
            what,
            data={"query": with_missing_prefixes(text)},
            headers={"accept": accept_for(text)},
        )
    except EndpointError as error:
        if error.kind is ErrorKind.REJECTED and error.status == 400:
            local = local_syntax_error(text, label)
            if local is not None:  # endpoints' messages rarely give a column: show ours
                local.args = (f"{local}\n    the endpoint said: {error.text}",)
                raise local from None
            raise QueryError(f"{label}: the endpoint rejected the query: {error.text}") from None
        raise
    declared = {**PREFIXES, **declared_prefixes(text)}
    kind = content_type(response)
    result = parse_response(response.content, kind, declared)
    if result is None and (kind in _RESULT_FORMATS or kind in _GRAPH_FORMATS):
        tail = " ".join(response.content[-300:].decode("utf-8", "replace").split())
        raise EndpointError(
            ErrorKind.NOT_SPARQL,
            f"{endpoint} sent {kind} that breaks off or is malformed (did the query fail while "
            f"the results were being sent?); the answer ends: …{tail}",
            url=endpoint,
            status=response.status_code,
        )
    if result is None:
        raise not_sparql(response, "SPARQL results")
    cap = response.headers.get(MAX_ROWS_HEADER)
    if cap is not None and cap.strip().isdigit() and len(result.rows) >= int(cap):
        result.capped_at = int(cap)
    virtuoso = "virtuoso" in response.headers.get("server", "").lower()
    if result.kind is Kind.GRAPH and virtuoso and len(result.triples) >= VIRTUOSO_MAX_ROWS:
        result.notes.append(
            f"Virtuoso answered {len(result.triples)} triples: it cuts CONSTRUCT and DESCRIBE "
            f"answers at ResultSetMaxRows ({VIRTUOSO_MAX_ROWS} by default) without saying so, "
            "so more may exist; narrow the query or raise ResultSetMaxRows in virtuoso.ini"
        )
    return result


def parse_response(body: bytes, kind: str, declared: dict[str, str]) -> QueryResult | None:
    """SPARQL results or an RDF graph from an HTTP answer; None for anything else."""
    try:
        if kind in _RESULT_FORMATS:
            return _from_oxigraph(
                ox.parse_query_results(body, format=_RESULT_FORMATS[kind]), declared
            )
        if kind in _GRAPH_FORMATS:
            triples = [q.triple for q in ox.parse(body, format=_GRAPH_FORMATS[kind])]
            return QueryResult(Kind.GRAPH, triples=triples, declared_prefixes=declared)
    except (SyntaxError, ValueError):
        return None
    return None


# --------------------------------------------------------------------------- rendering


class Format(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    ntriples = "ntriples"
    turtle = "turtle"


SOLUTION_FORMATS = (Format.table, Format.csv, Format.tsv, Format.json)
GRAPH_FORMATS = (Format.table, Format.ntriples, Format.turtle)


def render(result: QueryResult, output: Format, *, max_width: int = 60) -> str:
    """The result as text in ``output``; ``table`` truncates cells to ``max_width`` (0: never)."""
    if result.kind is Kind.GRAPH:
        if output not in GRAPH_FORMATS:
            raise QueryError(
                f"CONSTRUCT and DESCRIBE results come as ntriples or turtle, not {output.value}"
            )
        return to_ntriples(result) if output is Format.ntriples else to_turtle(result)
    if output not in SOLUTION_FORMATS:
        raise QueryError(f"SELECT and ASK results come as table, csv, tsv or json, not {output}")
    renderer = {
        Format.table: lambda r: to_table(r, max_width),
        Format.csv: to_csv,
        Format.tsv: to_tsv,
        Format.json: to_json,
    }[output]
    return renderer(result)


_LOCAL = re.compile(r"[A-Za-z0-9_](?:[\w.-]*[\w-])?")


def _compact(iri: str, prefixes: dict[str, str]) -> str:
    """``prefix:local`` with the longest matching namespace, else ``<iri>``."""
    best_name, best_namespace = None, ""
    for name, namespace in prefixes.items():
        if namespace and iri.startswith(namespace) and len(namespace) > len(best_namespace):
            local = iri[len(namespace) :]
            if not local or _LOCAL.fullmatch(local):
                best_name, best_namespace = name, namespace
    if best_name is None:
        return f"<{iri}>"
    return f"{best_name}:{iri[len(best_namespace) :]}"


def display(term: Term | None, prefixes: dict[str, str]) -> str:
    """A cell of the text table: prefixed IRIs, literals by their lexical form."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return _compact(term.value, prefixes)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _cell(text: str, width: int) -> str:
    text = " ".join(text.split())
    if width and len(text) > width:
        return text[: width - 1] + "…"
    return text


def to_table(result: QueryResult, max_width: int = 60) -> str:
    if result.kind is Kind.ASK:
        return ("yes" if result.boolean else "no") + "\n"
    header = result.variables
    cells = [
        [_cell(display(term, result.declared_prefixes), max_width) for term in row]
        for row in result.rows
    ]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(header)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV: values only, CRLF line ends."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    if result.kind is Kind.ASK:
        writer.writerow(["_askResult"])
        writer.writerow(["true" if result.boolean else "false"])
    else:
        writer.writerow(result.variables)
        writer.writerows([_csv_value(t) for t in row] for row in result.rows)
    return stream.getvalue()


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV: terms in Turtle/N-Triples syntax."""
    if result.kind is Kind.ASK:
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.kind is Kind.ASK:
        document: dict[str, object] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ]
        document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def to_ntriples(result: QueryResult) -> str:
    return "".join(f"{t} .\n" for t in result.triples)


def to_turtle(result: QueryResult) -> str:
    """One triple a line, IRIs shortened with the declared prefixes (only those used)."""
    prefixes = {k: v for k, v in result.declared_prefixes.items() if k}
    used: set[str] = set()

    def term(node: Term) -> str:
        if isinstance(node, ox.NamedNode):
            text = _compact(node.value, prefixes)
            if not text.startswith("<"):
                used.add(text.split(":", 1)[0])
            return text
        if isinstance(node, ox.Literal) and not node.language:
            lexical = str(ox.Literal(node.value))
            if node.datatype.value == XSD_STRING:
                return lexical
            return f"{lexical}^^{term(node.datatype)}"
        return str(node)

    body = [
        f"{term(t.subject)} {'a' if t.predicate.value == RDF_TYPE else term(t.predicate)} "
        f"{term(t.object)} .\n"  # type: ignore[arg-type]
        for t in result.triples
    ]
    head = [f"@prefix {name}: <{prefixes[name]}> .\n" for name in sorted(used)]
    return "".join(head) + ("\n" if head else "") + "".join(body)


def rows_as_text(result: QueryResult) -> list[tuple[str, ...]]:
    """Rows as tuples of N-Triples terms: a form to compare results from different stores."""
    return [tuple("" if t is None else str(t) for t in row) for row in result.rows]


def select_values(result: QueryResult) -> list[dict[str, str]]:
    """Rows as ``{variable: lexical value}`` dicts (unbound variables left out)."""
    return [
        {v: t.value for v, t in zip(result.variables, row, strict=True) if t is not None}  # type: ignore[union-attr]
        for row in result.rows
    ]


def query_files(folder: Path) -> Sequence[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in QUERY_SUFFIXES)
