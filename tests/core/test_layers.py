"""core is the lowest layer: it imports from no other Buurtnet app (see CONTRIBUTING.md)."""

import ast
from pathlib import Path

import buurtnet.core

CORE = Path(buurtnet.core.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_core_imports_nothing_from_the_apps_above_it():
    upward = {
        f"{path.relative_to(CORE)}: {name}"
        for path in CORE.rglob("*.py")
        if "migrations" not in path.parts
        for name in _imported_modules(path)
        if name.startswith("buurtnet.") and not name.startswith("buurtnet.core")
    }
    assert not upward
