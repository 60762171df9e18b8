"""newsld: turn news articles into a validated linked-data dataset.

The public API (:mod:`newsld.api`), loaded when first used so that ``import newsld`` stays
light::

    import newsld

    newsld.validate("corpus")            # a Report
    newsld.build("corpus", "dist")       # a BuildResult
    newsld.query("SELECT ...", "dist")   # a QueryResult
    newsld.extraction(text, published="2018-06-10", corpus="corpus")
    newsld.open_release("dist")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# The one place the version is written: pyproject.toml reads it from here ([tool.hatch.version]).
# A constant rather than importlib.metadata, which takes ~45 ms at every `newsld` start.
__version__ = "0.2.0"

__all__ = [
    "__version__",
    "build",
    "build_options",
    "extract",
    "open_release",
    "query",
    "validate",
]
API = frozenset(__all__[1:])

if TYPE_CHECKING:
    from newsld.api import build, build_options, extract, open_release, query, validate


def __getattr__(name: str) -> Any:
    if name in API:
        from newsld import api

        return getattr(api, name)
    raise AttributeError(f"module 'newsld' has no attribute {name!r}")
