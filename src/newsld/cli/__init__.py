"""The ``newsld`` command: a thin typer layer over the library.

It parses options, calls :mod:`newsld.release.build`, renders the returned report and exits with a
documented code:

- 0: success (warnings allowed)
- 1: the data does not conform (error findings; for ``build``, nothing was written)
- 2: bad usage or unreadable input (e.g. no corpus folder)
- 3: internal error (a bug: please report it)

Only typer is imported here at start: each command imports the library modules it needs (rdflib,
pydantic, pyoxigraph, rich's progress bar...) when it runs, so ``newsld --help``, ``--version``
and a mistyped option answer at once. ``tests/test_cli.py`` keeps it that way.
"""

# isort: off
from newsld.cli.app import app

# each registers its commands on ``app``, in the order --help lists them
from newsld.cli import build  # noqa: F401
from newsld.cli import extract  # noqa: F401
from newsld.cli import endpoints  # noqa: F401

# isort: on

__all__ = ["app"]
