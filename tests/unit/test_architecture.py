"""The house rules that keep the code readable: layers, imports, no eval, no work at import."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PKG = ROOT / "playground"
BELOW_UI = ["lessons", "viz", "models", "data", "train", "zoo.py", "i18n.py", "errors.py", "limits.py",
            "runtime.py", "locale"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add(("." * node.level) + (node.module or ""))
    return names


def _files(*parts: str) -> list[Path]:
    files = []
    for part in parts:
        target = PKG / part
        files += [target] if target.is_file() else sorted(target.rglob("*.py")) if target.exists() else []
    return files


@pytest.mark.parametrize("path", _files(*BELOW_UI), ids=lambda p: str(p.relative_to(PKG)))
def test_nothing_below_ui_imports_gradio(path):
    assert not {n for n in _imports(path) if n.split(".")[0] == "gradio"}, path


@pytest.mark.parametrize("path", _files("models"), ids=lambda p: str(p.relative_to(PKG)))
def test_models_stand_alone(path):
    ours = {n for n in _imports(path) if n.startswith(("playground", ".."))}
    assert not ours, f"{path} imports project code: {ours}"


@pytest.mark.parametrize("path", _files("lessons", "viz"), ids=lambda p: str(p.relative_to(PKG)))
def test_lessons_and_viz_do_not_import_ui(path):
    assert not {n for n in _imports(path) if n.startswith("playground.ui")}, path


# The floors of the house, lowest first. A module may import from its own floor or below, never above:
# the edges that would go back up are exactly the ones that make a lower layer unusable on its own.
FLOORS = {"models": 1, "limits": 1, "locale": 1, "i18n": 2, "errors": 2, "inputs": 3, "data": 3, "runtime": 3,
          "zoo": 4, "train": 5, "lessons": 6, "viz": 7, "ui": 8}


def _part_of(path: Path) -> str:
    return path.relative_to(PKG).parts[0].removesuffix(".py")


def _imported_parts(path: Path) -> set[str]:
    """The top-level parts of playground/ that `path` imports (absolute or relative imports)."""
    parts = set()
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]  # e.g. ("playground", "lessons")
    for name in _imports(path):
        if name.startswith("."):
            level = len(name) - len(name.lstrip("."))
            base = package[: len(package) - level + 1]
            name = ".".join([*base, name.lstrip(".")]).rstrip(".")
        pieces = name.split(".")
        if pieces[0] == "playground" and len(pieces) > 1:
            parts.add(pieces[1])
    return parts


def test_every_part_has_a_floor():
    parts = {_part_of(p) for p in PKG.rglob("*.py") if p.parent != PKG or p.name != "__init__.py"}
    assert parts <= set(FLOORS), f"give these a floor in FLOORS: {sorted(parts - set(FLOORS))}"


@pytest.mark.parametrize("path", [p for p in sorted(PKG.rglob("*.py")) if p != PKG / "__init__.py"],
                         ids=lambda p: str(p.relative_to(PKG)))
def test_imports_only_go_down_the_floors(path):
    floor = FLOORS[_part_of(path)]
    upward = {part for part in _imported_parts(path) if FLOORS.get(part, 0) > floor}
    assert not upward, f"{path.relative_to(ROOT)} (floor {floor}) imports from above: {sorted(upward)}"


def test_lessons_do_not_import_plotly():
    for path in _files("lessons"):
        assert not {n for n in _imports(path) if n.split(".")[0] == "plotly"}, path


def test_no_eval_or_exec_anywhere():
    for path in [ROOT / "app.py", *PKG.rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"eval", "exec"}, f"{path}:{node.lineno}"


# One child interpreter for both import checks (each child pays for importing torch): first every lesson and
# figure builder, then the app. Nothing heavy is loaded before the app is imported, so what is loaded after it,
# the app loaded.
IMPORT_CHECK = """
import importlib, json, pkgutil, sys
import playground.lessons, playground.viz
for pkg in (playground.lessons, playground.viz):
    for info in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"{pkg.__name__}.{info.name}")
lessons = [m for m in ("gradio", "captum", "torchvision.models") if m in sys.modules]
import app
print(json.dumps({"lessons": lessons, "app": [m for m in ("captum", "torchvision.models") if m in sys.modules]}))
"""


@pytest.fixture(scope="module")
def loaded_by_import() -> dict[str, list[str]]:
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
    done = subprocess.run([sys.executable, "-c", IMPORT_CHECK], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_lessons_work_without_gradio_loaded(loaded_by_import):
    # Every lesson and figure builder imports in a plain interpreter without pulling in the UI stack.
    assert loaded_by_import["lessons"] == []


def test_importing_the_app_loads_no_heavy_extras(loaded_by_import):
    # Cold start: importing app.py builds the Blocks but imports no captum or torchvision model zoo.
    assert loaded_by_import["app"] == []
