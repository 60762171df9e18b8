"""The documentation site's generated reference pages cover the code they are generated from.

CI builds the whole site with ``mkdocs build --strict`` (broken links, anchors and pages fail it);
these tests call the generators of ``docs/hooks/generate.py`` directly, which is quick, and check
that nothing the code defines is missing from the pages: every command and option of the CLI,
every finding code, every term of the vocabulary.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("mkdocs", reason="the docs extra is not installed: pip install -e '.[docs]'")

ROOT = Path(__file__).resolve().parent.parent
HOOK = ROOT / "docs" / "hooks" / "generate.py"


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("newsld_docs_generate", HOOK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sections(page: str) -> dict[str, str]:
    """The page's ``## `newsld …` `` sections, by command name."""
    found = {}
    for chunk in page.split("\n## ")[1:]:
        heading = re.match(r"`([^`]+)`", chunk)
        if heading:
            found[heading[1]] = chunk
    return found


def _commands(command, ctx, name: str):
    """Every visible command of the CLI, walked here independently of the generator."""
    yield name, command, ctx
    if hasattr(command, "list_commands"):
        for sub_name in command.list_commands(ctx):
            sub = command.get_command(ctx, sub_name)
            if sub is not None and not sub.hidden:
                sub_ctx = sub.context_class(sub, info_name=sub_name, parent=ctx)
                yield from _commands(sub, sub_ctx, f"{name} {sub_name}")


def test_the_cli_reference_lists_every_command_and_option(generate: ModuleType) -> None:
    import typer

    from newsld.cli import app

    page = generate.cli_reference()
    sections = _sections(page)
    root = typer.main.get_command(app)
    commands = list(_commands(root, root.context_class(root, info_name="newsld"), "newsld"))
    assert len(commands) > 5
    for name, command, ctx in commands:
        assert name in sections, f"{name} is not in the CLI reference"
        section = sections[name]
        for param in command.get_params(ctx):
            if getattr(param, "hidden", False):
                continue
            for option in [*param.opts, *param.secondary_opts]:
                assert re.search(rf"`[^`]*(?<![\w-]){re.escape(option)}(?![\w-])", section), (
                    f"{name}: {option} is not in the CLI reference"
                )
            if param.help:
                first_words = " ".join(param.help.split()[:3])
                assert generate.md_text(first_words, in_table=True) in section, (
                    f"{name}: the help of {param.opts} is not in the CLI reference"
                )


def test_the_cli_reference_gives_defaults(generate: ModuleType) -> None:
    sections = _sections(generate.cli_reference())
    assert re.search(r"`-o, --out <path>` \| .* \| `dist` \|", sections["newsld build"])
    assert re.search(
        r"`--query-timeout <float range>` \| .* \| `30.0` \|", sections["newsld serve"]
    )


def test_the_codes_page_lists_every_finding_code(generate: ModuleType) -> None:
    from newsld.findings.report import CATALOGUE

    page = generate.codes_reference()
    for code, rule in CATALOGUE.items():
        assert f"### `{code}` {{ #{generate.anchor(code)} }}" in page
        assert generate.md_code(rule.template) in page
        if rule.hint:
            assert generate.md_text(rule.hint) in page
    anchors = [generate.anchor(code) for code in CATALOGUE]
    assert len(set(anchors)) == len(anchors), "two codes share an anchor"


def test_the_vocabulary_page_lists_every_term(generate: ModuleType) -> None:
    from rdflib import Graph, URIRef

    graph = Graph().parse(ROOT / "vocab" / "newsld.ttl", format="turtle")
    namespace = "https://w3id.org/newsld/vocab#"
    terms = {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(namespace)}
    page = generate.vocabulary_reference()
    assert len(terms) > 30
    for term in terms:
        local = term.removeprefix(namespace)
        assert f"### `nld:{local}` {{ #{local} }}" in page, f"nld:{local} is not on the page"


def test_links_out_of_docs_point_at_site_pages(generate: ModuleType) -> None:
    site_links = generate.site_links
    assert (
        site_links("[c](../CHANGELOG.md)", "install.md", "docs/install.md") == "[c](changelog.md)"
    )
    assert (
        site_links("[s](docs/security.md#build-cache)", "changelog.md", "CHANGELOG.md")
        == "[s](security.md#build-cache)"
    )
    assert (
        site_links("[r](../README.md#finding-codes)", "security.md", "docs/security.md")
        == "[r](reference/codes.md)"
    )
    assert site_links("[r](../records.md#x)", "howto/a.md", "docs/howto/a.md") == (
        "[r](../records.md#x)"
    )
    # anything else is left for mkdocs build --strict to report
    assert site_links("[x](../src/x.py)", "a.md", "docs/a.md") == "[x](../src/x.py)"


def test_getting_started_gives_the_readme_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    page = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")

    def commands(text: str) -> list[str]:
        section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
        blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
        return [line for block in blocks for line in block.splitlines() if line.strip()]

    assert commands(page) == commands(readme)
