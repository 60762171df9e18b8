"""Locate the files that ship with newsld: the vocabulary, the JSON-LD context and the shapes.

In a wheel they live under ``newsld/_data``; in a source checkout (editable install, tests) they
are the top-level ``vocab/`` and ``shapes/`` folders. Nothing is ever fetched from the network.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent.parent  # newsld/, above this rdf/ subpackage


def data_dir(name: str) -> Path:
    """Return the folder ``vocab`` or ``shapes`` shipped with this installation."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"newsld data folder {name!r} is missing from this installation")


def vocab_path() -> Path:
    return data_dir("vocab") / "newsld.ttl"


def context_path() -> Path:
    return data_dir("vocab") / "context.jsonld"


def shapes_path() -> Path:
    return data_dir("shapes") / "newsld-shapes.ttl"


@cache
def jsonld_context() -> dict[str, Any]:
    """The ``@context`` object of ``vocab/context.jsonld`` (a local file, never a URL)."""
    document = json.loads(context_path().read_text(encoding="utf-8"))
    context = document["@context"]
    if not isinstance(context, dict):
        raise ValueError("vocab/context.jsonld must hold one @context object")
    return context
