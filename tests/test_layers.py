"""The layers import one way: index <- rag <- evals <- ui <- bench. Read every module's imports and check."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.samples import ROOT

LAYERS = ("index", "rag", "evals", "ui", "bench")
ALLOWED = {layer: set(LAYERS[: i + 1]) for i, layer in enumerate(LAYERS)}


def _project_imports(path: Path) -> list[tuple[int, str]]:
    """(line, top-level project package) for every import in a module, lazy ones inside functions too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(node.lineno, name.split(".")[0]) for name in names if name.split(".")[0] in LAYERS]
    return found


def _modules(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_imports_only_itself_and_the_layers_below(layer: str) -> None:
    modules = _modules(layer)
    assert modules, f"no modules found under {layer}/"
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path in modules
        for line, target in _project_imports(path)
        if target not in ALLOWED[layer]
    ]
    assert not wrong, "imports up the layers:\n" + "\n".join(wrong)


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom rag.config import Config\n\ndef f():\n    from ui import cli\n")
    assert _project_imports(module) == [(2, "rag"), (5, "ui")]


def test_importing_index_pulls_in_no_other_layer() -> None:
    code = "import sys, index; print(sorted({m.split('.')[0] for m in sys.modules} & {'rag', 'evals', 'ui', 'bench'}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_public_api_imports() -> None:
    code = "from rag import Answer, Assistant, Config; from index import Index; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "ok"
