"""The layout rule, checked on the source: layers, no import circles, no suffix files, modules a sitting long."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["core", "users", "culture", "scim", "incentives", "hiring", "reports", "demo"]
# Each app may import from the apps listed for it (and from itself); core uses none.
MAY_IMPORT = {
    "core": set(),
    "users": {"core"},
    "culture": {"core", "users"},
    "scim": {"core", "users", "culture"},
    "incentives": {"core", "users", "culture"},
    "hiring": {"core", "users", "culture"},
    "reports": {"core", "users", "culture", "incentives", "hiring"},
    "demo": {"core", "users", "culture", "incentives", "hiring", "reports"},
}
LAYER_NAMES = {"views", "forms", "tables", "filtersets", "api", "admin", "demo", "services", "tasks", "models"}
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path], *, top_level_only: bool) -> set[str]:
    """The project modules this module imports (relative imports resolved)."""
    tree = ast.parse(path.read_text())
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    if top_level_only:  # imports guarded by TYPE_CHECKING never run
        nodes = [n for n in nodes if not (isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test))]
    targets: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    return {target for target in targets if target in modules}


def test_no_app_imports_an_app_to_its_right():
    modules = _modules()
    offences = []
    for name, path in modules.items():
        app = name.split(".")[0]
        for target in _imports(name, path, modules, top_level_only=False):
            other = target.split(".")[0]
            if other != app and other not in MAY_IMPORT[app]:
                offences.append(f"{name} -> {target}")

    assert offences == []


def test_no_import_circles_between_modules():
    modules = _modules()
    graph = {name: _imports(name, path, modules, top_level_only=True) - {name} for name, path in modules.items()}
    # A package's __init__ re-exporting its own modules is how a contract is published, not a circle.
    graph = {
        name: {t for t in targets if not (t.startswith(name + ".") and modules[name].name == "__init__.py")}
        for name, targets in graph.items()
    }
    circles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])

    assert circles == []


def test_no_suffix_files_and_no_module_over_500_lines():
    suffixed = re.compile(rf"^({'|'.join(sorted(LAYER_NAMES))})_\w+\.py$")
    offences = []
    for path in _modules().values():
        if suffixed.match(path.name):
            offences.append(f"{path.relative_to(ROOT)}: a suffix file")
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES:
            offences.append(f"{path.relative_to(ROOT)}: {lines} lines")

    assert offences == []


def test_the_checks_see_a_circle_and_a_layer_breach(tmp_path, monkeypatch):
    """The checks above would pass on an empty tree; prove they read imports as intended."""
    modules = {"culture.a": tmp_path / "a.py", "culture.b": tmp_path / "b.py", "reports.x": tmp_path / "x.py"}
    modules["culture.a"].write_text("from culture.b import thing\n")
    modules["culture.b"].write_text("from .a import other\nfrom reports.x import y\n")
    modules["reports.x"].write_text("")

    assert _imports("culture.a", modules["culture.a"], modules, top_level_only=True) == {"culture.b"}
    assert _imports("culture.b", modules["culture.b"], modules, top_level_only=True) == {"culture.a", "reports.x"}
