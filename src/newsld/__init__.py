"""newsld: turn news articles into a validated linked-data dataset."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsld")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
