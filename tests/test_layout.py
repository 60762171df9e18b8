"""The source tree shows the flow, and imports follow it.

``findings → corpus → extraction → rdf → gate → render → release → site → endpoints → cli``: a
module may import its own stage and the ones before it, never a later one, and no module imports
itself back through others (imports inside functions count; ``if TYPE_CHECKING:`` blocks do not).
"""

from __future__ import annotations

import ast
from pathlib import Path

import newsld

PACKAGE = Path(newsld.__file__).resolve().parent
STAGES = [
    "findings",
    "corpus",
    "extraction",
    "rdf",
    "gate",
    "render",
    "release",
    "site",
    "endpoints",
    "cli",
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> int | None:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else None


def _runtime_imports(path: Path, module: str) -> set[str]:
    """newsld modules ``path`` imports when it runs (skipping ``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("newsld"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            if base == "newsld" and all(a.name == "__version__" for a in node.names):
                pass  # a constant: newsld/__init__ imports nothing when it is loaded
            elif base.startswith("newsld"):
                for alias in node.names:  # `from pkg import module` imports the module
                    candidate = f"{base}.{alias.name}"
                    found.add(candidate if candidate in MODULES else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {name for name in found if name in MODULES and name != module}


PATHS = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
MODULES = set(PATHS)
GRAPH = {name: _runtime_imports(path, name) for name, path in PATHS.items()}


def test_every_stage_is_a_package_saying_what_it_owns_and_may_import() -> None:
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert docstring, f"newsld.{stage} has no docstring"
        if stage not in ("cli", "extraction"):
            assert "May import" in docstring, f"newsld.{stage} does not say what it may import"


def test_no_module_imports_a_later_stage() -> None:
    wrong = [
        f"{module} imports {imported}"
        for module, imports in GRAPH.items()
        for imported in imports
        if (mine := _stage(module)) is not None
        and (theirs := _stage(imported)) is not None
        and theirs > mine
    ]
    assert not wrong, "\n".join(sorted(wrong))


def test_there_is_no_import_cycle() -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def walk(module: str, path: list[str]) -> None:
        state[module] = 1
        for imported in sorted(GRAPH[module]):
            if state.get(imported) == 1:
                cycles.append([*path[path.index(imported) :], imported])
            elif imported not in state:
                walk(imported, [*path, imported])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            walk(module, [module])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)
