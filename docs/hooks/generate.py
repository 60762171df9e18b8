"""MkDocs hook: the reference pages, generated from the code at build time (never committed).

- ``reference/cli.md``: every command of the ``newsld`` CLI with its arguments and options, their
  help, defaults and limits, read from the click command typer builds for ``--help``;
- ``reference/codes.md``: every finding code of ``newsld.findings.report.CATALOGUE``;
- ``reference/vocabulary.md``: every class, property and individual of ``vocab/newsld.ttl``,
  parsed with rdflib;
- ``changelog.md``: the repository's ``CHANGELOG.md``.

Pages under ``docs/`` are also readable on GitHub, where a link such as ``../CHANGELOG.md``
leaves the docs folder; :func:`on_page_markdown` points such links at the site's own pages
(``REPOSITORY_PAGES``), and leaves any other link for ``mkdocs build --strict`` to report.

The functions that make the pages take no MkDocs arguments, so tests call them directly.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VOCABULARY = ROOT / "vocab" / "newsld.ttl"
CHANGELOG = ROOT / "CHANGELOG.md"


# The only places this hook imports newsld: when modules move, fix these two functions.
def _cli_app() -> Any:
    from newsld.cli import app

    return app


def _catalogue() -> dict[str, Any]:
    from newsld.findings.report import CATALOGUE

    return CATALOGUE


# ---------------------------------------------------------------------------------------- text

_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_SPECIAL = str.maketrans({"\\": "\\\\", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]"})


def md_text(text: str, *, in_table: bool = False) -> str:
    """Plain text (which may hold `code spans`) as Markdown: HTML and emphasis characters
    escaped outside code spans, ``|`` escaped in table cells, lines joined."""
    out, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_escape(text[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_escape(text[last:]))
    result = " ".join("".join(out).split())
    return result.replace("|", "\\|") if in_table else result


def _escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.translate(_SPECIAL)


def md_code(text: str, *, in_table: bool = False) -> str:
    """``text`` as an inline code span (``|`` escaped in table cells, which GFM-style tables
    split on even inside code)."""
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    code = f"{fence}{pad}{text}{pad}{fence}"
    return code.replace("|", "\\|") if in_table else code


def anchor(text: str) -> str:
    """An HTML id from a code or IRI: ``claim/missing-speaker`` -> ``claim-missing-speaker``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


GENERATED_NOTE = (
    '!!! note "Generated"\n    This page is generated from {source} every time the site is built'
    " (`docs/hooks/generate.py`); do not edit it.\n"
)


# ---------------------------------------------------------------------------------------- CLI


def _walk_commands(group: Any, ctx: Any, path: list[str]) -> Iterator[tuple[list[str], Any, Any]]:
    """Every visible command under ``group``, depth first, in ``--help`` order, with its
    full name and a context to ask for its help."""
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = command.context_class(command, info_name=name, parent=ctx)
        yield [*path, name], command, sub
        if hasattr(command, "list_commands"):
            yield from _walk_commands(command, sub, [*path, name])


def cli_commands() -> list[tuple[str, Any, Any]]:
    """(full name, command, context) of the root command and every command under it."""
    import typer

    root = typer.main.get_command(_cli_app())
    ctx = root.context_class(root, info_name="newsld")
    found = [("newsld", root, ctx)]
    found += [
        (" ".join(["newsld", *path]), cmd, sub) for path, cmd, sub in _walk_commands(root, ctx, [])
    ]
    return found


def _split_help_record(record: tuple[str, str]) -> tuple[str, list[str]]:
    """click's help record ``("-j, --jobs <int>", "Worker processes.  [default: 2; x>=1]")``
    -> the option's synopsis and the bracketed extras (``["default: 2", "x>=1"]``)."""
    synopsis, text = record
    match = re.search(r"\s*\[([^\[\]]*)\]\s*$", text)
    extras = [part.strip() for part in match.group(1).split(";")] if match else []
    return synopsis, extras


def _parameter_rows(command: Any, ctx: Any) -> list[str]:
    rows = []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        synopsis, extras = _split_help_record(record)
        default = [e.removeprefix("default: ") for e in extras if e.startswith("default: ")]
        notes = [e for e in extras if not e.startswith("default: ")]
        help_text = md_text(param.help or "", in_table=True)
        if notes:
            help_text = f"{help_text} ({md_text('; '.join(notes), in_table=True)})".strip()
        if param.param_type_name == "argument":
            help_text = f"**argument**{': ' if help_text else ''}{help_text}"
        deprecated = getattr(param, "deprecated", False)
        if deprecated:
            help_text = f"**deprecated** {help_text}"
        rows.append(
            f"| {md_code(synopsis, in_table=True)} | {help_text} | "
            f"{md_code(default[0], in_table=True) if default else ''} |"
        )
    return rows


def cli_reference() -> str:
    """The command-line reference page."""
    lines = [
        "# Command line",
        "",
        GENERATED_NOTE.format(source="the `newsld` command itself (`newsld COMMAND --help`)"),
        "What each exit code means: [getting started](../index.md#commands-and-exit-codes);"
        " `newsld load` gives its own in"
        " [load into a store](../howto/load.md#failures-and-exit-codes).",
        "",
    ]
    commands = cli_commands()
    lines += ["| command | what it does |", "|---|---|"]
    for name, command, _ in commands[1:]:
        summary = md_text(command.get_short_help_str(limit=1_000), in_table=True)
        lines.append(f"| [{md_code(name, in_table=True)}](#{anchor(name)}) | {summary} |")
    lines.append("")
    for name, command, ctx in commands:
        lines += [f"## `{name}` {{ #{anchor(name)} }}", ""]
        for paragraph in (command.help or "").split("\n\n"):
            if paragraph.strip():
                lines += [md_text(paragraph.replace("\b", "")), ""]
        usage = command.get_usage(ctx).removeprefix("Usage: ")
        lines += ["```text", usage, "```", ""]
        rows = _parameter_rows(command, ctx)
        if rows:
            lines += ["| argument or option | description | default |", "|---|---|---|", *rows, ""]
        if command.epilog:
            lines += [md_text(command.epilog), ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------- codes


def codes_reference() -> str:
    """The finding-codes page: a summary table, then every code with its template and hint."""
    catalogue = _catalogue()
    codes = sorted(catalogue)
    lines = [
        "# Finding codes",
        "",
        GENERATED_NOTE.format(source="`newsld.findings.report.CATALOGUE`"),
        "Every finding `newsld validate` and `newsld build` report carries one of these stable"
        " codes, with the file, line, column and field it was found at. **error** fails the"
        " gate (nothing is released); **warning** fails only `validate --strict`; **info** is"
        " counted and listed with `--show-info`. In the message templates, `{…}` stands for the"
        " value found; in SARIF output the codes are the rule ids.",
        "",
        "| code | severity | meaning |",
        "|---|---|---|",
    ]
    for code in codes:
        rule = catalogue[code]
        lines.append(
            f"| [{md_code(code, in_table=True)}](#{anchor(code)}) | {_severity(rule)} | "
            f"{md_text(rule.title, in_table=True)} |"
        )
    lines.append("")
    family = None
    for code in codes:
        rule = catalogue[code]
        prefix = code.split("/", 1)[0]
        if prefix != family:
            family = prefix
            lines += [f"## `{prefix}/`", ""]
        lines += [
            f"### `{code}` {{ #{anchor(code)} }}",
            "",
            f"**{_severity(rule)}**: {md_text(rule.title)}",
            "",
            f"Message: {md_code(rule.template)}",
            "",
        ]
        if rule.hint:
            lines += [f"Hint: {md_text(rule.hint)}", ""]
    return "\n".join(lines)


def _severity(rule: Any) -> str:
    return str(getattr(rule.severity, "value", rule.severity))


# ---------------------------------------------------------------------------------- vocabulary


# Prefixes the vocabulary uses in full IRIs without declaring them.
WELL_KNOWN_PREFIXES = {"void": "http://rdfs.org/ns/void#", "dcat": "http://www.w3.org/ns/dcat#"}


def vocabulary_reference(path: Path = VOCABULARY) -> str:
    """The vocabulary page: every term ``path`` defines in its own namespace."""
    from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef
    from rdflib.namespace import DCTERMS

    graph = Graph()
    graph.parse(path, format="turtle")
    for prefix, iri in WELL_KNOWN_PREFIXES.items():
        graph.bind(prefix, iri, override=False)
    ontology = next(graph.subjects(RDF.type, OWL.Ontology))
    namespace = Namespace(f"{ontology}#")
    prefixes = {str(ns): prefix for prefix, ns in graph.namespaces()}

    def curie(term: Any) -> str:
        text = str(term)
        for ns, prefix in sorted(prefixes.items(), key=lambda item: -len(item[0])):
            if prefix and text.startswith(ns) and len(text) > len(ns):
                return f"{prefix}:{text[len(ns) :]}"
        return f"<{text}>"

    def term_id(term: Any) -> str:
        # the IRI's own fragment (nld:ClaimKind -> #ClaimKind), case kept: nld:claimKind is
        # another term
        return str(term)[len(str(namespace)) :]

    def link(term: Any) -> str:
        if isinstance(term, URIRef) and str(term).startswith(str(namespace)):
            return f"[{md_code(curie(term))}](#{term_id(term)})"
        if isinstance(term, URIRef) and curie(term).startswith("<"):
            return f"<{term}>"
        return md_code(curie(term))

    def ours(terms: Iterable[Any]) -> list[Any]:
        return sorted(
            {t for t in terms if isinstance(t, URIRef) and str(t).startswith(str(namespace))},
            key=str,
        )

    def text(subject: Any, predicate: Any) -> str:
        values = sorted(str(v) for v in graph.objects(subject, predicate))
        return md_text(" ".join(values))

    classes = ours(graph.subjects(RDF.type, OWL.Class)) + ours(graph.subjects(RDF.type, RDFS.Class))
    properties = ours(
        s
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
        for s in graph.subjects(RDF.type, kind)
    )
    individuals = ours(graph.subjects(RDF.type, OWL.NamedIndividual))
    title = text(ontology, DCTERMS.title) or text(ontology, RDFS.label)
    lines = [
        "# Vocabulary",
        "",
        GENERATED_NOTE.format(source="`vocab/newsld.ttl`"),
        f"**{title}**. {text(ontology, RDFS.comment)}",
        "",
        f"- namespace: `{namespace}` (prefix `{prefixes.get(str(namespace), 'nld')}:`)",
        f"- version: {text(ontology, OWL.versionInfo)}",
        *_listed(graph, ontology, DCTERMS.license, "licence", link),
        f"- {len(classes)} classes, {len(properties)} properties, {len(individuals)} individuals",
        "",
        "Alignment: each term's `rdfs:subClassOf` or `rdfs:subPropertyOf` (schema.org, PROV-O,"
        " SEM) is listed with it, so a consumer that knows only those vocabularies can still"
        " read the release.",
        "",
    ]

    def entry(term: Any, kinds: str) -> list[str]:
        name = curie(term)
        block = [f"### `{name}` {{ #{term_id(term)} }}", ""]
        label = text(term, RDFS.label)
        block += [f"*{label}*{': ' if label else ''}{text(term, RDFS.comment)}", ""]
        block += [f"- IRI: `{term}`", f"- type: {kinds}"]
        for predicate, caption in (
            (RDFS.subClassOf, "subclass of"),
            (OWL.equivalentClass, "equivalent class"),
            (RDFS.subPropertyOf, "subproperty of"),
            (OWL.equivalentProperty, "equivalent property"),
            (OWL.inverseOf, "inverse of"),
            (RDFS.domain, "domain"),
            (RDFS.range, "range"),
        ):
            block += _listed(graph, term, predicate, caption, link)
        subclasses = ours(graph.subjects(RDFS.subClassOf, term))
        if subclasses:
            block.append(f"- subclasses: {', '.join(link(s) for s in subclasses)}")
        members = ours(s for s in graph.subjects(RDF.type, term))
        if members:
            block.append(f"- individuals: {', '.join(link(m) for m in members)}")
        return [*block, ""]

    def kinds_of(term: Any) -> str:
        types = sorted(graph.objects(term, RDF.type), key=str)
        return ", ".join(link(t) for t in types)

    for heading, members in (
        ("Classes", classes),
        ("Properties", properties),
        ("Individuals", individuals),
    ):
        lines += [f"## {heading}", ""]
        for term in members:
            lines += entry(term, kinds_of(term))
    return "\n".join(lines)


def _listed(graph: Any, subject: Any, predicate: Any, caption: str, link: Callable) -> list[str]:
    values = sorted(graph.objects(subject, predicate), key=str)
    return [f"- {caption}: {', '.join(link(v) for v in values)}"] if values else []


# ---------------------------------------------------------------------------------- the hooks

GENERATED: dict[str, Callable[[], str]] = {
    "reference/cli.md": cli_reference,
    "reference/codes.md": codes_reference,
    "reference/vocabulary.md": vocabulary_reference,
    "changelog.md": lambda: CHANGELOG.read_text(encoding="utf-8"),
}

# Where a generated page lives in the repository, for its relative links.
SOURCES = {"changelog.md": "CHANGELOG.md"}

# Repository files outside docs/ that pages link to, and the site page that stands for each
# (a link with an anchor is looked up with it first).
REPOSITORY_PAGES = {
    "CHANGELOG.md": "changelog.md",
    "README.md#finding-codes": "reference/codes.md",
    "README.md": "index.md",
}

_LINK = re.compile(r"(\]\()([^)\s]+)(\))")


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    for path, make in GENERATED.items():
        files.append(File.generated(config, path, content=make()))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    source = page.file.src_uri
    return site_links(markdown, source, SOURCES.get(source, f"docs/{source}"))


def site_links(markdown: str, site_path: str, repository_path: str) -> str:
    """Point links that leave ``docs/`` (resolved from the page's place in the repository) at
    the site page standing for their target."""

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", target):
            return match.group(0)
        path, _, fragment = target.partition("#")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(repository_path), path))
        if resolved.startswith("docs/"):
            page = resolved.removeprefix("docs/")
        elif f"{resolved}#{fragment}" in REPOSITORY_PAGES:
            page, fragment = REPOSITORY_PAGES[f"{resolved}#{fragment}"], ""
        elif resolved in REPOSITORY_PAGES:
            page = REPOSITORY_PAGES[resolved]
        else:
            return match.group(0)
        new = posixpath.relpath(page, posixpath.dirname(site_path) or ".")
        return f"{match.group(1)}{new}{'#' + fragment if fragment else ''}{match.group(3)}"

    return _LINK.sub(replace, markdown)
