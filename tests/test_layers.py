"""The package's layers import only downward, and no import cycle exists.

load → validate → model → render → convert → write is the pipeline; `core`
sits under all of it, and the pipeline, commands and CLI on top. A module may
import from its own layer or a lower one, never a higher one; within a layer,
imports must not form a cycle. Imports inside functions (lazy ones) count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gcmreview"
LAYERS = ["core", "load", "validate", "model", "render", "convert", "write", "pipeline",
          "commands", "cli"]
TOP_LEVEL = {"__init__": "core", "__main__": "cli", "pipeline": "pipeline", "forms": "pipeline",
             "cli": "cli"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return LAYERS.index("core")  # the package itself: its version
    name = parts[1]
    return LAYERS.index(TOP_LEVEL.get(name, name))


def imports(path: Path) -> set[str]:
    """Modules of gcmreview that a file imports, wherever the import stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] == "gcmreview":
            found.add(node.module)
            for alias in node.names:  # `from gcmreview.model import matrix`
                candidate = f"{node.module}.{alias.name}"
                if (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py").is_file():
                    found.add(candidate)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "gcmreview"}
    return found


GRAPH = {module_name(p): imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_has_a_layer() -> None:
    for module in GRAPH:
        layer(module)  # raises ValueError for a folder outside LAYERS


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_down(module: str) -> None:
    upward = sorted(m for m in GRAPH[module] if layer(m) > layer(module))
    assert not upward, f"{module} (layer {LAYERS[layer(module)]}) imports upward: {upward}"


def test_no_import_cycle() -> None:
    state: dict[str, str] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(GRAPH.get(module, ())):
            if target not in GRAPH:
                continue  # a package's __init__ re-export, or an outside name
            if state.get(target) == "open":
                cycle = [*trail[trail.index(target):], target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
