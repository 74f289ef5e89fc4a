"""Imports follow the data: ingest → extract → store → link / claims → analyze → present, with
the command line, the pipeline, scale and eval on top. Every import counts, those inside
functions too: a part may import only parts at its own level or below."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "claimgraph"

# level of each top-level part; modules not listed (errors, words) are shared by all
LEVELS = {
    "ingest": 1,
    "embedding": 1,  # sentence encoders, read by extract (propaganda) and claims
    "extract": 2,
    "store": 3,
    "link": 4,
    "claims": 5,
    "analyze": 6,
    "present": 7,
    "scale": 8,
    "pipeline": 9,
    "eval": 10,
    "cli": 11,
    "clidoc": 12,
    "__main__": 12,
}


def _module(root: Path, path: Path) -> tuple[str, str]:
    """(dotted module, dotted package that its relative imports start from)."""
    parts = path.relative_to(root.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        mod = ".".join(parts[:-1])
        return mod, mod
    return ".".join(parts), ".".join(parts[:-1])


def _targets(root: Path, path: Path) -> list[tuple[str, int]]:
    _, base = _module(root, path)
    pkg = root.name
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                up = base.split(".")[: len(base.split(".")) - (node.level - 1)]
                target = ".".join(up + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == pkg:
                out += [(f"{pkg}.{a.name}", node.lineno) for a in node.names]
            else:
                out.append((target, node.lineno))
        elif isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
    return [(t, line) for t, line in out if t.startswith(pkg + ".")]


def _part(dotted: str) -> str:
    return dotted.split(".")[1]


def upward_imports(root: Path) -> list[str]:
    """Every import, at any depth of a module, of a part above the importing one."""
    upward = []
    for path in sorted(root.rglob("*.py")):
        mod, _ = _module(root, path)
        if "." not in mod:
            continue
        src = _part(mod)
        for target, line in _targets(root, path):
            dst = _part(target)
            if src in LEVELS and dst in LEVELS and LEVELS[dst] > LEVELS[src]:
                upward.append(f"{path.relative_to(root)}:{line} imports {target}")
    return upward


def test_no_part_imports_a_part_above_it():
    upward = upward_imports(PACKAGE)
    assert not upward, "imports against the data order:\n" + "\n".join(upward)


def test_the_levels_name_every_part():
    parts = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    parts |= {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "errors", "words"}
    assert parts <= set(LEVELS), sorted(parts - set(LEVELS))


def test_an_import_inside_a_function_is_found(tmp_path):
    root = tmp_path / "claimgraph"
    (root / "extract").mkdir(parents=True)
    (root / "claims").mkdir()
    for d in (root, root / "extract", root / "claims"):
        (d / "__init__.py").write_text("", encoding="utf-8")
    (root / "claims" / "stance.py").write_text("from ..extract import quotes\n", encoding="utf-8")
    (root / "extract" / "quotes.py").write_text(
        "def f():\n    from ..claims.stance import stance\n", encoding="utf-8"
    )
    assert upward_imports(root) == ["extract/quotes.py:2 imports claimgraph.claims.stance"]
