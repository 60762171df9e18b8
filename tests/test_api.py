"""The public API: light to import, and the documented notebook example runs as written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CORPUS

ROOT = Path(__file__).resolve().parent.parent


def test_importing_newsld_loads_none_of_the_library() -> None:
    prefixes = "('newsld', 'rdflib', 'pydantic')"
    code = f"import newsld, sys; print(sorted(m for m in sys.modules if m.startswith({prefixes})))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['newsld']"


def test_the_api_names_are_documented_functions() -> None:
    import newsld

    for name in ("build", "build_options", "extract", "open_release", "query", "validate"):
        function = getattr(newsld, name)
        assert callable(function) and function.__doc__, name
    with pytest.raises(AttributeError):
        newsld.no_such_function  # noqa: B018


def test_the_notebook_example_in_the_docs_runs(tmp_path: Path, monkeypatch) -> None:
    page = (ROOT / "docs" / "reference" / "api.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```python\n(.*?)```", page, re.S)
    shutil.copytree(CORPUS, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", example], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "True 0 0"
    assert lines[1] == "5 articles, 50 claims"
    assert lines[-1] == "We will not stand by idly — Danny Danon on 2018-06-09"
