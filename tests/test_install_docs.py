"""The documented install paths name a release that exists and run no untrusted text in a shell.

``.ci/install-paths`` runs each command from a fresh clone; these checks keep the docs honest
between runs: every version they name is the current one and has a changelog section."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
VERSION = re.search(
    r'^__version__ = "(.+)"$', (ROOT / "src/newsld/__init__.py").read_text(encoding="utf-8"), re.M
)[1]
DOCUMENTS = [
    "README.md",
    "docs/install.md",
    "docs/examples/validate-records.yml",
    ".pre-commit-hooks.yaml",
    # the documentation site's pages repeat the install lines (how-to pages)
    *sorted(
        str(page.relative_to(ROOT))
        for page in (ROOT / "docs").rglob("*.md")
        if page.relative_to(ROOT).as_posix() != "docs/install.md"
    ),
]


def test_the_changelog_has_a_section_for_the_current_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## [{VERSION}]\n" in changelog


def test_every_release_tag_in_the_docs_is_the_current_version() -> None:
    for name in DOCUMENTS:
        tags = set(re.findall(r"\bv\d+\.\d+\.\d+\b", (ROOT / name).read_text(encoding="utf-8")))
        assert tags <= {f"v{VERSION}"}, f"{name} names {sorted(tags)}; the version is {VERSION}"


def test_no_doc_installs_newsld_from_pypi() -> None:
    """newsld is not published there: ``pip install newsld`` installs nothing, or a stranger's."""
    for name in DOCUMENTS:
        text = (ROOT / name).read_text(encoding="utf-8")
        pypi = re.search(r"pip install (-\S+ )*(['\"]?)newsld(\[\w+\])?\2(?=[\s`]|$)", text)
        assert pypi is None, f"{name}: {pypi[0] if pypi else ''}"


def test_the_actions_example_passes_no_expression_into_a_shell() -> None:
    """A pull request's file names reach `run:` only through files and variables: a
    `${{ }}` expression would paste them into the script (x$(touch${IFS}x).yaml runs)."""
    workflow = yaml.safe_load((ROOT / "docs/examples/validate-records.yml").read_text())
    runs = [
        step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step
    ]
    assert runs
    for script in runs:
        assert "${{" not in script, script
