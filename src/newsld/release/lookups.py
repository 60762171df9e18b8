"""The registry as extraction sees it (:func:`_watched` notes every look-up) and what a noted
look-up finds now (:func:`_lookup_state`): a cached outcome is reused only when the registry
answers each of its look-ups as before.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from newsld.corpus.dates import PartialDate
from newsld.corpus.reader import Registry
from newsld.extraction import Extraction


class _Watch(Mapping[str, Any]):
    """A read-only view of a registry table that notes every key extraction asks about."""

    def __init__(self, data: Mapping[str, Any], prefix: str, log: set[str]) -> None:
        self.data, self.prefix, self.log = data, prefix, log

    def __getitem__(self, key: str) -> Any:
        self.log.add(self.prefix + key)
        return self.data[key]

    def __contains__(self, key: object) -> bool:
        self.log.add(self.prefix + str(key))
        return key in self.data

    def get(self, key: str, default: Any = None) -> Any:
        self.log.add(self.prefix + key)
        return self.data.get(key, default)

    def __iter__(self) -> Iterator[str]:
        self.log.add("*")  # read it all: depends on the whole registry
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


def _extract(text: str, published: PartialDate | None, registry: Registry) -> Extraction:
    """:func:`newsld.extraction.extract`, imported when first needed (it takes 0.3 s to import,
    and a build that reuses every record needs none of it)."""
    from newsld.extraction import extract

    return extract(text, published, registry)


def _watched(registry: Registry, log: set[str]) -> Registry:
    """The registry as extraction sees it, noting its look-ups so the cache can re-check them."""
    return Registry(
        entities=_Watch(registry.entities, "entity:", log),  # type: ignore[arg-type]
        aliases=_Watch(registry.aliases, "alias:", log),  # type: ignore[arg-type]
        source=registry.source,
    )


def _registry_sha(registry: Registry) -> str:
    return registry.source.sha256 if registry.source else ""


def _lookup_state(registry: Registry, key: str) -> str:
    """What one noted look-up would find now (a cache hit needs every one unchanged)."""
    if key == "*":
        return _registry_sha(registry)
    kind, _, name = key.partition(":")
    if kind == "entity":
        return registry.fingerprint(name) if name in registry.entities else ""
    return registry.aliases.get(name, "")
