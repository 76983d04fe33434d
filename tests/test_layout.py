"""The layout shows the architecture, and this test keeps it true: every import of every module
of apilint points down the stages a description flows through, never up, and no package is
missing its statement of what it does and what it may import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "apilint"

# Lower layers first; a module may import its own layer and any lower one. Commands (lint,
# contract, traffic, diff, infer) may read lint's rule registry; infer builds on traffic.
LAYERS: dict[str, int] = {
    "core": 0,
    "http": 1,
    "documents": 2,
    "reports": 3,
    "settings": 4,
    "lint": 5,
    "contract": 6,
    "traffic": 6,
    "diff": 6,
    "infer": 7,
    "cli": 8,
    "api": 8,
    "__init__": 9,
    "__main__": 9,
}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
        if len(parts) == 1:
            return "apilint.__init__"
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every apilint module ``path`` imports (at the top, in functions, under TYPE_CHECKING)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "apilint":
                # ``from apilint import __version__`` reads the package's version only
                found += [
                    (node.lineno, f"apilint.{a.name}")
                    for a in node.names
                    if a.name != "__version__"
                ]
            elif node.module.startswith("apilint."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("apilint.")]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_stage() -> None:
    strays = [str(p.relative_to(ROOT)) for p in MODULES if _stage(_module_name(p)) not in LAYERS]
    assert strays == [], (
        "modules outside the layout's stages (add them to a package): " + ", ".join(strays)
    )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_the_stages(path: Path) -> None:
    mine = _stage(_module_name(path))
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {target} ({_stage(target)} is above {mine})"
        for line, target in _imports(path)
        if LAYERS.get(_stage(target), 99) > LAYERS[mine]
    ]
    assert upward == []


def test_each_package_says_what_it_does_and_may_import() -> None:
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "May import" in doc, f"{init.relative_to(ROOT)}: say what the package may import"


def test_the_test_sees_an_upward_import(tmp_path: Path) -> None:
    # The checker itself: an import from core into lint is caught.
    bad = tmp_path / "bad.py"
    bad.write_text("from apilint.lint.engine import Linter\n", encoding="utf-8")
    assert _imports(bad) == [(1, "apilint.lint.engine")]
    assert LAYERS[_stage("apilint.lint.engine")] > LAYERS[_stage("apilint.core.errors")]
