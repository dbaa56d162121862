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
             "website": "pipeline",
             "translate": "pipeline",
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


# --- one name per language ----------------------------------------------------------------------

def _bindings_of_underscore(tree: ast.AST) -> list[int]:
    """Lines where `_` is bound (assigned, a loop or `with` target, a parameter, an
    `except … as _`) or `something._` is assigned; giving another module our `_` itself
    (typer's help titles) is fine."""
    lines = []
    for node in ast.walk(tree):
        targets: list[ast.AST] = []
        if isinstance(node, ast.Assign) and not (isinstance(node.value, ast.Name)
                                                 and node.value.id == "_"):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.For | ast.comprehension):
            targets = [node.target]
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            targets = [node.optional_vars]
        elif isinstance(node, ast.NamedExpr):
            targets = [node.target]
        elif (isinstance(node, ast.arg) and node.arg == "_") or (
                isinstance(node, ast.ExceptHandler) and node.name == "_"):
            lines.append(node.lineno)
        for target in targets:
            for name in ast.walk(target):
                if (isinstance(name, ast.Name) and name.id == "_") or (
                        isinstance(name, ast.Attribute) and name.attr == "_"):
                    lines.append(node.lineno if hasattr(node, "lineno") else name.lineno)
    return lines


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_underscore_only_ever_means_the_interface_language(path: Path) -> None:
    """`_` translates into the language of the person at the terminal
    (gcmreview.core.i18n); a report's or a form's language has a name of its own (`t`,
    `Formatter.gettext`). Rebinding `_` (`_ = fmt.gettext`, or a loop's `for _ in`) would
    make a line's language depend on the function it stands in."""
    found = _bindings_of_underscore(ast.parse(path.read_text(encoding="utf-8")))
    assert not found, f"{path.name} binds `_` on lines {found}: name it after what it is"
