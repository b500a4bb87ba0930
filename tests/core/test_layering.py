"""The core stays Qt-free and layered (nn below modelfile below trainer and personal):
import-linter contracts in pyproject.toml, checked here, and no import cycles in the core."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold() -> None:
    contracts = re.findall(
        r'^\[\[tool\.importlinter\.contracts\]\]\nname = "([^"]+)"\ntype = "([^"]+)"',
        (ROOT / "pyproject.toml").read_text(),
        re.MULTILINE,
    )
    assert {kind for _, kind in contracts} == {"forbidden", "layers"}
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(contracts)} kept, 0 broken" in result.stdout
    for name, _ in contracts:
        assert f"{name} KEPT" in result.stdout


def test_the_core_has_no_import_cycles() -> None:
    """No module of the core imports, directly or through others, a module that imports it
    (imports for type checking and inside functions count too)."""
    graph = grimp.build_graph("handwrite", cache_dir=None)
    core = sorted(m for m in graph.modules if not m.startswith("handwrite.gui"))
    cycles = []
    for module in core:
        for imported in graph.find_modules_directly_imported_by(module):
            if imported in core and graph.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} <-> {imported}")
    assert not cycles, cycles


def test_importing_the_core_loads_no_qt() -> None:
    code = (
        "import sys, handwrite, handwrite.nn, handwrite.modelfile; "
        "print([m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
