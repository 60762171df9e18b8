"""newsld: turn news articles into a validated linked-data dataset."""

# The one place the version is written: pyproject.toml reads it from here ([tool.hatch.version]).
# A constant rather than importlib.metadata, which takes ~45 ms at every `newsld` start.
__version__ = "0.2.0"

__all__ = ["__version__"]
