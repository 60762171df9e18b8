"""Safe YAML loading that remembers where every value came from.

Records are edited by people, so every error has to point at a line. PyYAML's node tree carries
marks; we walk it once to record the position of every key and item, reject anything but plain
YAML data (tags such as ``!!python/object`` are refused before anything is constructed) and catch
duplicate keys, which PyYAML would otherwise silently collapse.

Nesting is bounded by our own limit, :data:`MAX_DEPTH`, not by whatever the parser or Python's
stack happens to allow: PyYAML's pure-Python composer runs out of stack at a few hundred levels,
libyaml composed thousands until 6.0.4 and now stops at 1,000. Whichever gives way first, a record
nested too deeply is the same ``yaml/too-deep`` finding.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}


MAX_DEPTH = 32  # records nest four or five levels; this leaves room and stays far from any stack

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 3x faster


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader that keeps timestamps as text: dates are validated (and reported) by us."""


_Loader.add_constructor(_CORE + "timestamp", lambda loader, node: loader.construct_scalar(node))


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class YamlProblem(Exception):
    """A document that is not acceptable YAML data; ``code`` is a finding code."""

    code: str
    message: str
    position: Position | None = None


@dataclass
class YamlDocument:
    data: Any
    positions: dict[Path_, Position] = field(default_factory=dict)

    def position(self, path: Path_) -> Position | None:
        """The position of ``path``, or of its nearest ancestor that has one."""
        for cut in range(len(path), -1, -1):
            found = self.positions.get(tuple(path[:cut]))
            if found is not None:
                return found
        return None


def _mark(node: yaml.Node) -> Position:
    mark = node.start_mark
    return _position(mark.line + 1, mark.column + 1)


@functools.lru_cache(maxsize=8192)
def _position(line: int, column: int) -> Position:
    """Positions are immutable and records alike: the same few hundred serve every record."""
    return Position(line, column)


def _too_deep(position: Position | None) -> YamlProblem:
    return YamlProblem(
        "yaml/too-deep",
        f"the YAML is nested more than {MAX_DEPTH} levels deep; records hold a few levels",
        position,
    )


def _repeated(node: yaml.Node, path: Path_, positions: dict[Path_, Position]) -> YamlProblem:
    """The finding for a collection met a second time, through an alias: located at the
    collection holding the alias (the node itself only knows where its anchor is)."""
    return YamlProblem(
        "yaml/alias",
        "an alias (*name) repeats a list or mapping: records spell out their data, so a few "
        "bytes cannot stand for millions of values",
        positions.get(path[:-1]) or _mark(node),
    )


def _walk(
    node: yaml.Node,
    path: Path_,
    positions: dict[Path_, Position],
    seen: set[int] | None = None,
) -> None:
    if len(path) > MAX_DEPTH:
        raise _too_deep(_mark(node))
    if seen is None:
        seen = set()
    if not isinstance(node, yaml.ScalarNode):
        if id(node) in seen:  # checked before descending: the walk never expands an alias
            raise _repeated(node, path, positions)
        seen.add(id(node))
    if node.tag not in _ALLOWED_TAGS:
        raise YamlProblem(
            "yaml/forbidden-tag",
            f"YAML tag {node.tag!r} is not allowed: records hold plain data only",
            _mark(node),
        )
    positions.setdefault(path, _mark(node))
    if isinstance(node, yaml.MappingNode):
        keys: dict[str, Position] = {}
        for key_node, value_node in node.value:
            key = _checked_key(key_node, keys)
            positions[(*path, key)] = keys[key]
            _walk(value_node, (*path, key), positions, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), positions, seen)


def _checked_key(key_node: yaml.Node, seen: dict[str, Position]) -> str:
    """A mapping key: plain text, once per mapping (``seen`` notes where each key was)."""
    if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
        raise YamlProblem("yaml/bad-key", "mapping keys must be plain text", _mark(key_node))
    key: str = key_node.value
    if key in seen:
        raise YamlProblem(
            "yaml/duplicate-key",
            f"key {key!r} appears twice (first on line {seen[key].line})",
            _mark(key_node),
        )
    seen[key] = _mark(key_node)
    return key


class _Unusual(Exception):
    """The document needs the general path: an explicit tag on the wrong kind of node, a
    scalar its constructor rejects."""


_STR_TAGS = {_CORE + "str", _CORE + "timestamp"}  # constructed as the scalar's own text
_MAP_TAG = _CORE + "map"
_SEQ_TAG = _CORE + "seq"


class _FastBuilder:
    """Walks the node tree once, checking it and recording positions exactly as :func:`_walk`
    does, and constructing the data as the loader would (PyYAML's constructor costs as much as
    the walk again). Anything out of the ordinary raises :class:`_Unusual`: the tree is then
    checked by :func:`_walk` and constructed by the loader, so problems surface as before."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.positions: dict[Path_, Position] = {}
        self.collections: set[int] = set()  # ids of collection nodes seen: an alias repeats one

    def scalar(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag in _STR_TAGS:
            return node.value
        if tag in (_MAP_TAG, _SEQ_TAG):
            raise _Unusual
        try:
            return self.loader.yaml_constructors[tag](self.loader, node)
        except Exception:  # reported by the general path, in its order
            raise _Unusual from None

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if len(path) > MAX_DEPTH:
            raise _too_deep(_mark(node))
        tag = node.tag
        if tag not in _ALLOWED_TAGS:
            raise YamlProblem(
                "yaml/forbidden-tag",
                f"YAML tag {tag!r} is not allowed: records hold plain data only",
                _mark(node),
            )
        positions = self.positions
        if path not in positions:
            positions[path] = _mark(node)
        kind = type(node)
        if kind is yaml.ScalarNode:
            return node.value if tag in _STR_TAGS else self.scalar(node)
        if id(node) in self.collections:
            raise _repeated(node, path, positions)
        self.collections.add(id(node))
        if kind is yaml.MappingNode:
            if tag != _MAP_TAG:
                raise _Unusual
            data: dict[Any, Any] = {}
            seen: dict[str, Position] = {}
            for key_node, value_node in node.value:
                key = _checked_key(key_node, seen)
                positions[(*path, key)] = seen[key]
                value = self.build(value_node, (*path, key))
                data[key if key_node.tag in _STR_TAGS else self.scalar(key_node)] = value
            return data
        if kind is yaml.SequenceNode:
            if tag != _SEQ_TAG:
                raise _Unusual
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        raise _Unusual


def _reader_problem(error: yaml.reader.ReaderError, text: str) -> YamlProblem:
    """A located finding for a character YAML does not allow (NUL, most control characters)."""
    position = min(error.position, len(text))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    character = error.character if isinstance(error.character, int) else ord(error.character)
    message = f"character U+{character:04X} is not allowed in YAML"
    return YamlProblem("yaml/syntax", message, Position(line, column))


def load_yaml(text: str) -> YamlDocument:
    """Parse one YAML document from ``text``; raise :class:`YamlProblem` on anything unsafe."""
    try:
        loader = _Loader(text)  # the Python reader rejects non-printable characters right here
    except yaml.reader.ReaderError as error:
        raise _reader_problem(error, text) from None
    try:
        try:
            node = loader.get_single_node()
        except yaml.reader.ReaderError as error:  # libyaml's reader reports them while parsing
            raise _reader_problem(error, text) from None
        except RecursionError:  # the pure-Python composer recurses once per level
            raise _too_deep(None) from None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            position = Position(mark.line + 1, mark.column + 1) if mark else None
            problem = error.problem or str(error)
            if "nesting depth" in problem:  # libyaml >= 6.0.4 stops at 1,000 levels
                raise _too_deep(position) from None
            raise YamlProblem("yaml/syntax", f"not valid YAML: {problem}", position) from None
        except yaml.YAMLError as error:
            raise YamlProblem("yaml/syntax", f"not valid YAML: {error}") from None
        if node is None:
            raise YamlProblem("file/empty", "the file holds no YAML document")
        builder = _FastBuilder(loader)
        try:
            return YamlDocument(builder.build(node, ()), builder.positions)
        except _Unusual:
            pass  # the fast walk calls no constructor that keeps state: the loader is as it was
        positions: dict[Path_, Position] = {}
        _walk(node, (), positions)
        try:
            data = loader.construct_document(node)
        except yaml.YAMLError as error:  # e.g. a malformed number the resolver accepted
            raise YamlProblem("yaml/syntax", f"not valid YAML data: {error}", _mark(node)) from None
        return YamlDocument(data, positions)
    finally:
        loader.dispose()
