"""``newsld query``, ``serve`` and ``load``: using a release."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsld.cli.app import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    DebugOption,
    _progress,
    _run,
    _say,
    app,
    out,
)

if TYPE_CHECKING:
    pass


ReleaseOption = Annotated[
    Path, typer.Option("--release", "-r", help="Release folder written by `newsld build`.")
]
StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Folder for the embedded store built from the release "
        "(default: .newsld-store/<release name> beside the release).",
    ),
]
UserOption = Annotated[str | None, typer.Option("--user", "-u", help="User name for the endpoint.")]
PasswordOption = Annotated[
    str | None,
    typer.Option(
        "--password",
        help="Deprecated: other users see it in ps. Set NEWSLD_PASSWORD, use --netrc or "
        "--password-prompt.",
    ),
]
NetrcOption = Annotated[
    Path | None,
    typer.Option(
        "--netrc",
        help="netrc file with the endpoint host's login and password "
        "(default: $NETRC or ~/.netrc, when it has the host).",
    ),
]
PasswordPromptOption = Annotated[
    bool,
    typer.Option(
        "--password-prompt",
        help="Ask for the password (also asked when --user is given, no password is found "
        "and stdin is a terminal).",
    ),
]
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        min=0.1,
        help="Seconds each request may take in all, its whole answer included.",
    ),
]
RetriesOption = Annotated[
    int,
    typer.Option(
        "--retries",
        min=0,
        help="Retries after a connection failure, timeout, 429/502/503/504 or a store deadlock "
        "(with backoff).",
    ),
]


QueryTimeoutOption = Annotated[
    float,
    typer.Option(
        "--query-timeout",
        min=0,
        help="Stop a query on the release after this many seconds (0: no limit).",
    ),
]
AllowServiceOption = Annotated[
    bool,
    typer.Option(
        "--allow-service",
        help="Run queries with SERVICE, which send requests to other servers (refused otherwise).",
    ),
]


class AuthChoice(StrEnum):
    auto = "auto"
    basic = "basic"
    digest = "digest"


AuthOption = Annotated[
    AuthChoice,
    typer.Option("--auth", help="auto answers the server's challenge; Virtuoso uses digest."),
]


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    ntriples = "ntriples"
    turtle = "turtle"


def _run_data(action: Callable[[], int], debug: bool) -> None:
    """``_run`` plus the expected failures of query/serve/load: a message and exit 2."""
    from newsld.endpoints.errors import CredentialsError, EndpointError, ServerError
    from newsld.endpoints.query import QueryError
    from newsld.endpoints.store import StoreError
    from newsld.release.reader import ReleaseError

    expected = (ReleaseError, StoreError, QueryError, EndpointError, ServerError, CredentialsError)

    def guarded() -> int:
        try:
            return action()
        except expected as error:
            _say(f"newsld: {error}")
            return EXIT_USAGE

    _run(guarded, debug)


PASSWORD_ON_ARGV = (
    "warning: --password is deprecated: the command line is visible to every user of this "
    "machine (ps, /proc/PID/cmdline) and kept in shell history; set NEWSLD_PASSWORD, put the "
    "login in a netrc file (--netrc, ~/.netrc by default) or use --password-prompt"
)


def _credentials(
    url: str,
    user: str | None,
    password: str | None,
    netrc_file: Path | None,
    prompt: bool,
) -> tuple[str | None, str | None]:
    """The user and password for ``url``: --password (deprecated), NEWSLD_PASSWORD, the netrc
    file's entry for the host, or a prompt (asked for, or a user and a terminal but no
    password). Raises remote.CredentialsError for an unusable netrc file."""
    import os

    from newsld.endpoints.remote import PASSWORD_ENV, default_netrc, netrc_login

    if password is not None:
        _say(PASSWORD_ON_ARGV)
        return user, password
    if os.environ.get(PASSWORD_ENV):
        return user, os.environ[PASSWORD_ENV]
    path = netrc_file or default_netrc()
    if path is not None and not prompt:
        found = netrc_login(url, path)
        if found is not None and (user is None or found[0] in (None, user)):
            return (user or found[0]), found[1]
        if netrc_file is not None and found is None:
            _say(f"warning: {netrc_file} has no entry for the host of {url}")
    if prompt or (user is not None and sys.stdin.isatty()):
        import getpass

        if user is None:
            user = input("user: ")
        return user, getpass.getpass(f"password for {user} at {url}: ")
    return user, None


def _remote_settings(
    url: str,
    user: str | None,
    password: str | None,
    auth: AuthChoice,
    timeout: float,
    retries: int,
    netrc_file: Path | None = None,
    prompt: bool = False,
):  # -> remote.Settings (imported lazily)
    from newsld.endpoints.remote import AuthScheme, Settings

    user, password = _credentials(url, user, password, netrc_file, prompt)
    return Settings(
        user=user, password=password, auth=AuthScheme(auth.value), timeout=timeout, retries=retries
    )


def _open_release_store(release: Path, store: Path | None):  # -> (Release, StoreInfo)
    from newsld.endpoints.store import ensure_store
    from newsld.release.reader import open_release

    opened = open_release(release)
    info = ensure_store(opened, store)
    if info.built:
        _say(f"built the embedded store from {release} in {info.seconds:.2f} s ({info.path})")
    return opened, info


@app.command("query")
def query_command(
    query: Annotated[
        str,
        typer.Argument(
            help="A SPARQL query, a .rq file (e.g. queries/claims-per-speaker.rq), or - for stdin."
        ),
    ],
    release: ReleaseOption = Path("dist"),
    store: StoreOption = None,
    endpoint: Annotated[
        str | None,
        typer.Option("--endpoint", "-e", help="Ask this SPARQL endpoint instead of the release."),
    ] = None,
    output: Annotated[
        QueryFormat,
        typer.Option(
            "--format",
            "-f",
            help="table (default), csv, tsv, json (SPARQL results) for SELECT/ASK; "
            "ntriples or turtle for CONSTRUCT/DESCRIBE.",
        ),
    ] = QueryFormat.table,
    max_width: Annotated[
        int, typer.Option("--max-width", min=0, help="Cut table cells to this width (0: never).")
    ] = 60,
    query_timeout: QueryTimeoutOption = 60.0,
    allow_service: AllowServiceOption = False,
    user: UserOption = None,
    password: PasswordOption = None,
    netrc_file: NetrcOption = None,
    password_prompt: PasswordPromptOption = False,
    auth: AuthOption = AuthChoice.auto,
    timeout: TimeoutOption = 60.0,
    retries: RetriesOption = 2,
    debug: DebugOption = False,
) -> None:
    """Run a SPARQL query on the release (embedded store, no server) or on an endpoint.

    On the release, the default graph is the union of all named graphs and the project's
    prefixes (nld:, schema:, …) need no declaration. Exit 0: answered; 2: bad query or
    options, a query stopped by --query-timeout or refused for SERVICE, an endpoint that
    failed or did not answer within --timeout.
    """
    from newsld.endpoints.query import (
        Format,
        read_query,
        refuse_service,
        render,
        run_isolated,
        run_local,
        run_remote,
    )
    from newsld.endpoints.store import open_store

    def action() -> int:
        text, label = (sys.stdin.read(), "<stdin>") if query == "-" else read_query(query)
        if endpoint is not None:
            # the HTTP client only when there is an endpoint: a query on the release starts
            # faster without it
            from newsld.endpoints.remote import Remote, check_url

            try:
                check_url(endpoint, "--endpoint")
            except ValueError as error:
                _say(f"newsld: {error}")
                return EXIT_USAGE
            settings = _remote_settings(
                endpoint, user, password, auth, timeout, retries, netrc_file, password_prompt
            )
            with Remote(settings) as remote:
                result = run_remote(remote, endpoint, text, label)
        else:
            if not allow_service:
                refuse_service(text, label)
            _, info = _open_release_store(release, store)
            if query_timeout:
                result = run_isolated(info.path, text, label, query_timeout)
            else:
                result = run_local(open_store(info), text, label)
        rendered = render(result, Format(output.value), max_width=max_width)
        sys.stdout.write(rendered)
        sys.stdout.flush()
        for warning in result.warnings:
            _say(f"warning: {warning}")
        return EXIT_OK

    _run_data(action, debug)


@app.command("serve")
def serve_command(
    release: ReleaseOption = Path("dist"),
    store: StoreOption = None,
    port: Annotated[
        int, typer.Option("--port", "-p", min=0, max=65535, help="TCP port (0: any free port).")
    ] = 7878,
    host: Annotated[
        str, typer.Option("--host", help="Loopback address to bind (127.0.0.1 or ::1).")
    ] = "127.0.0.1",
    union_default_graph: Annotated[
        bool,
        typer.Option(
            "--union-default-graph/--no-union-default-graph",
            help="Let queries see every named graph without GRAPH (as `newsld query` does).",
        ),
    ] = True,
    query_timeout: QueryTimeoutOption = 30.0,
    allow_service: AllowServiceOption = False,
    site: Annotated[
        Path | None,
        typer.Option(
            "--site",
            help="The static site (`newsld site`) to serve at / (default: RELEASE/site if it "
            "is there).",
        ),
    ] = None,
    debug: DebugOption = False,
) -> None:
    """Serve the release as a read-only SPARQL 1.1 endpoint on 127.0.0.1 until Ctrl-C.

    Each query runs in a worker process, stopped after --query-timeout seconds (the client
    gets 503) or when the client goes away; SERVICE is refused unless --allow-service.
    Beside /query and /store: the static site at /, and every release IRI by its path (e.g.
    /newsld/entity/danny-danon for https://example.org/newsld/entity/danny-danon) as HTML (a
    redirect to its page), Turtle or JSON-LD by the Accept header.
    """
    import os
    import signal
    import threading

    from newsld.endpoints.serve import Endpoint, EndpointOptions
    from newsld.endpoints.store import serving

    def action() -> int:
        opened, info = _open_release_store(release, store)
        site_dir = site if site is not None else release / "site"
        if site is not None and not (site / "index.html").is_file():
            _say(f"newsld: no site at {site} (index.html is missing): run `newsld site` first")
            return EXIT_USAGE
        options = EndpointOptions(
            host=host,
            port=port,
            union_default_graph=union_default_graph,
            query_timeout=query_timeout,
            allow_service=allow_service,
            site=site_dir if (site_dir / "index.html").is_file() else None,
            base_iri=opened.base_iri,
        )
        endpoint = Endpoint(info.path, options)
        forever = threading.Event()

        def terminate(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, terminate)
        try:
            with serving(info, os.getpid()):
                endpoint.start()
                limit = f"{query_timeout:g} s" if query_timeout else "no time limit"
                out.print(f"SPARQL endpoint: {endpoint.query_url}", markup=False)
                out.print(f"Graph Store (read-only): {endpoint.store_url}", markup=False)
                if options.site is not None:
                    out.print(f"site: {endpoint.base_url}/ ({options.site})", markup=False)
                out.print(
                    f"newsld pid {os.getpid()}; each query in a worker process ({limit}); "
                    "press Ctrl-C to stop",
                    markup=False,
                )
                sys.stdout.flush()
                while not forever.wait(1.0):
                    pass
        except KeyboardInterrupt:
            endpoint.stop()  # before the message: the endpoint is gone when we say so
            _say("stopped the SPARQL endpoint")
            return EXIT_OK
        finally:
            endpoint.stop()
            signal.signal(signal.SIGTERM, previous)
        return EXIT_OK  # pragma: no cover - the loop above ends by a signal only

    _run_data(action, debug)


class LoadContentType(StrEnum):
    ntriples = "ntriples"
    turtle = "turtle"


class LoadBulk(StrEnum):
    auto = "auto"
    off = "off"


def _render_load_summary(summary, graph_store: str) -> None:  # summary: load.LoadSummary
    if summary.error is not None:
        _say(f"newsld: {summary.error}")
    loaded = len(summary.loaded)
    if loaded or summary.skipped or summary.error is None:
        out.print(
            f"loaded {loaded} of {summary.graphs} graphs ({summary.triples} triples) into "
            f"{graph_store} in {summary.seconds:.2f} s "
            f"({summary.requests} requests, {summary.retries} retries)",
            markup=False,
        )
    if summary.bulk:
        out.print(
            f"{len(summary.bulk)} graphs absent from the store went in "
            f"{summary.bulk_requests} bulk N-Quads requests",
            markup=False,
        )
    if summary.skipped:
        out.print(f"skipped {len(summary.skipped)} unchanged graphs", markup=False)
    if summary.deleted:
        out.print(f"deleted {len(summary.deleted)} graphs the release no longer has:", markup=False)
        for name in summary.deleted:
            out.print(f"  <{name}>", markup=False)
    for name, message in summary.failed.items():
        _say(f"not loaded <{name}>: {message}")
    if summary.not_loaded:
        if len(summary.not_loaded) == summary.graphs:
            _say(f"nothing was loaded ({summary.graphs} graphs)")
        else:
            shown = ", ".join(f"<{n}>" for n in summary.not_loaded[:3])
            more = len(summary.not_loaded) - 3
            _say(
                f"not attempted ({len(summary.not_loaded)}): {shown}"
                + (f" and {more} more" if more > 0 else "")
            )
    for name, (want, got) in summary.mismatches.items():
        _say(f"mismatch <{name}>: the release has {want} triples, the store {got}")
    if summary.verified and (summary.failed or summary.skipped):
        out.print(  # (the unchanged ones were verified by the load that wrote them)
            f"verified: the {loaded} graphs written hold the release's triple count", markup=False
        )
    elif summary.verified:
        out.print("verified: every graph holds the release's triple count", markup=False)
    if summary.default_graph_ok:
        out.print(
            f"default graph: queries without GRAPH see all {summary.claims} claims"
            + (" of the graphs written" if summary.default_graph_scope == "written" else ""),
            markup=False,
        )
    elif summary.default_graph_ok is False and summary.named_graphs_only:
        _say(
            f"warning: queries without GRAPH see {summary.default_graph_claims} of "
            f"{summary.claims_counted}: the default graph excludes the named graphs (accepted "
            "with --named-graphs-only: query with GRAPH or FROM)"
        )
    elif summary.default_graph_ok is False:
        _say(f"newsld: {summary.default_graph_problem}")
    if not summary.complete:
        _say(
            "load incomplete: fix the problem and run the same command again; the store's "
            "load manifest lists every graph that may be there, so the load converges"
        )


@app.command("load")
def load_command(
    endpoint: Annotated[
        str | None,
        typer.Option(
            "--endpoint",
            "-e",
            help="SPARQL query endpoint, e.g. http://127.0.0.1:7878/query (Oxigraph), "
            "http://HOST:3030/DS/sparql (Fuseki), http://HOST:7200/repositories/REPO (GraphDB), "
            "http://HOST:8890/sparql (Virtuoso).",
        ),
    ] = None,
    offline: Annotated[
        Path | None,
        typer.Option(
            "--offline",
            help="Instead of an endpoint: make a new Oxigraph store folder with the bulk loader, "
            "for `oxigraph serve --location DIR --union-default-graph`.",
        ),
    ] = None,
    graph_store_url: Annotated[
        str | None,
        typer.Option(
            "--graph-store-url",
            help="Graph Store HTTP Protocol endpoint (default: derived from --endpoint for "
            "Oxigraph, Fuseki, GraphDB and Virtuoso).",
        ),
    ] = None,
    release: ReleaseOption = Path("dist"),
    user: UserOption = None,
    password: PasswordOption = None,
    netrc_file: NetrcOption = None,
    password_prompt: PasswordPromptOption = False,
    auth: AuthOption = AuthChoice.auto,
    timeout: TimeoutOption = 60.0,
    retries: RetriesOption = 3,
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", min=1, help="Triples per request for large graphs.")
    ] = 50_000,
    content_type: Annotated[
        LoadContentType,
        typer.Option("--content-type", help="What graphs are sent as (never N-Quads)."),
    ] = LoadContentType.ntriples,
    parallel: Annotated[
        int, typer.Option("--parallel", min=1, max=64, help="Graphs sent at the same time.")
    ] = 4,
    bulk: Annotated[
        LoadBulk,
        typer.Option(
            "--bulk",
            help="auto: graphs the store does not hold yet go in large N-Quads batches where the "
            "store has a bulk path (Oxigraph: POST /store?no_transaction); off: one PUT per graph.",
        ),
    ] = LoadBulk.auto,
    bulk_size: Annotated[
        int, typer.Option("--bulk-size", min=1, help="Triples per bulk request.")
    ] = 250_000,
    changed_only: Annotated[
        bool,
        typer.Option(
            "--changed-only",
            help="Skip graphs whose digest the store's load manifest already has.",
        ),
    ] = False,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify/--no-verify",
            help="Afterwards, count each graph's triples and the claims that queries "
            "without GRAPH see.",
        ),
    ] = True,
    named_graphs_only: Annotated[
        bool,
        typer.Option(
            "--named-graphs-only",
            help="Accept a store whose default graph excludes the named graphs (you query with "
            "GRAPH or FROM): a warning, not a failure.",
        ),
    ] = False,
    json_summary: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON on stdout.")
    ] = False,
    debug: DebugOption = False,
) -> None:
    """Load the release into a SPARQL 1.1 store (Graph Store HTTP Protocol).

    Every graph is replaced whole; graphs of articles removed since the last load are deleted;
    loading again changes nothing. Then queries without GRAPH (as in queries/*.rq) must see the
    release's claims: a store whose default graph is not the union of the named graphs fails.
    With --offline DIR, no server: a new Oxigraph store folder is bulk-loaded (the fastest
    first load), with the load manifest, so later `newsld load --changed-only` into the server
    on it rewrites only what changed.
    Exit 0: the store holds the release; 1: some graphs were rejected, counts differ, or the
    default graph misses the release (unless --named-graphs-only); 2: bad options, release or
    endpoint (unreachable, refused).
    """
    import json

    from newsld.endpoints.load import (
        BulkMode,
        ContentType,
        LoadOptions,
        Target,
        load_offline,
        load_release,
    )
    from newsld.endpoints.remote import SHAPES, Remote, check_url, graph_store_url_for
    from newsld.release.reader import open_release

    def offline_load(directory: Path) -> int:
        summary = load_offline(open_release(release), directory)
        if json_summary:
            data = {
                "ok": True,
                "offline": str(summary.directory),
                "graphs": summary.graphs,
                "triples": summary.triples,
                "quads": summary.quads,
                "seconds": round(summary.seconds, 3),
            }
            sys.stdout.write(json.dumps(data, indent=2) + "\n")
            return EXIT_OK
        rate = summary.triples / summary.seconds if summary.seconds else 0.0
        out.print(
            f"loaded {summary.graphs} graphs ({summary.triples} triples) into a new Oxigraph "
            f"store in {summary.directory} in {summary.seconds:.2f} s ({rate:,.0f} triples/s)",
            markup=False,
        )
        out.print(
            f"serve it: oxigraph serve --location {summary.directory} --union-default-graph",
            markup=False,
        )
        return EXIT_OK

    def action() -> int:
        if (endpoint is None) == (offline is None):
            _say("newsld: give either --endpoint URL (a running store) or --offline DIR")
            return EXIT_USAGE
        if offline is not None:
            return offline_load(offline)
        assert endpoint is not None
        try:
            check_url(endpoint, "--endpoint")
            if graph_store_url is not None:
                check_url(graph_store_url, "--graph-store-url")
        except ValueError as error:
            _say(f"newsld: {error}")
            return EXIT_USAGE
        settings = _remote_settings(
            endpoint, user, password, auth, timeout, retries, netrc_file, password_prompt
        )
        store_url = graph_store_url or graph_store_url_for(endpoint, settings.user is not None)
        if store_url is None:
            _say(
                f"newsld: cannot tell the Graph Store URL from {endpoint}; give "
                f"--graph-store-url. Known shapes:\n{SHAPES}"
            )
            return EXIT_USAGE
        opened = open_release(release)
        target = Target(endpoint=endpoint, graph_store=store_url)
        options = LoadOptions(
            chunk_size=chunk_size,
            content_type=ContentType(content_type.value),
            changed_only=changed_only,
            verify=verify,
            parallel=parallel,
            named_graphs_only=named_graphs_only,
            bulk=BulkMode(bulk.value),
            bulk_size=bulk_size,
        )
        try:
            with Remote(settings) as remote, _progress("loading") as progress:
                summary = load_release(opened, target, remote, options, progress)
        except KeyboardInterrupt:
            _say("interrupted: run the same command again; the load converges")
            return EXIT_INVALID
        if json_summary:
            data = {
                "ok": summary.ok,
                "endpoint": endpoint,
                "graph_store": store_url,
                "graphs": summary.graphs,
                "loaded": summary.loaded,
                "skipped": summary.skipped,
                "deleted": summary.deleted,
                "failed": summary.failed,
                "not_loaded": summary.not_loaded,
                "triples": summary.triples,
                "bulk": {"graphs": len(summary.bulk), "requests": summary.bulk_requests},
                "requests": summary.requests,
                "retries": summary.retries,
                "seconds": round(summary.seconds, 3),
                "verified": summary.verified,
                "mismatches": {k: list(v) for k, v in summary.mismatches.items()},
                "complete": summary.complete,
                "default_graph": {
                    "ok": summary.default_graph_ok,
                    "claims": summary.claims,
                    "seen": summary.default_graph_claims,
                    "scope": summary.default_graph_scope,
                    "named_graphs_only": summary.named_graphs_only,
                    "problem": summary.default_graph_problem,
                },
                "error": str(summary.error) if summary.error else None,
            }
            sys.stdout.write(json.dumps(data, indent=2) + "\n")
            if summary.error is not None:
                _say(f"newsld: {summary.error}")
            if summary.default_graph_problem is not None and not summary.named_graphs_only:
                _say(f"newsld: {summary.default_graph_problem}")
        else:
            _render_load_summary(summary, store_url)
        if summary.ok:
            return EXIT_OK
        if summary.error is not None and not summary.loaded:
            return EXIT_USAGE
        return EXIT_INVALID

    _run_data(action, debug)
