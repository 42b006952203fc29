"""pvm's layers only point down: no module imports a higher layer, at module level or in a function.

The order (docs/internals.md, "Layers"):

    base (pvm, pvm.fileutil, pvm.config) < bytecode < compiler < vm < runtime < concurrency < observe < cli

A lower layer that needs something from a higher one offers a seam instead
(pvm.vm.hooks: services, eval-breaker bits, GIL hooks; pvm.vm.events: publish/subscribe).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ORDER = ("base", "bytecode", "compiler", "vm", "runtime", "concurrency", "observe", "cli")
RANK = {layer: rank for rank, layer in enumerate(ORDER)}

# Upward imports that are allowed: (importing module, imported module) -> why.  At most
# 10 entries, and each must still be needed (the test fails on a stale one).  Empty: every
# former upward edge now goes through pvm.vm.hooks or pvm.vm.events.
ALLOWED: dict[tuple[str, str], str] = {}


def layer_of(module: str) -> str:
    """Return the layer a pvm module belongs to."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("fileutil", "config", "__init__"):
        return "base"
    if parts[1] in RANK:
        return parts[1]
    # pvm.compare is the tool behind `pvm compare`: it runs pvm in child processes and
    # reads their JSON, at the command line's level.
    if parts[1].startswith("cli") or parts[1] in ("__main__", "compare"):
        return "cli"
    raise ValueError(f"{module}: not in any layer; add it to tests/test_layering.py ORDER")


def module_name(path: Path, root: Path) -> str:
    """Return the dotted module name of a source file under root."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, is_package: bool) -> list[tuple[str, int]]:
    """Return (imported pvm module, line) for every import in the source, nested ones too."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from pvm.x import y` may name a submodule y: judge each name as target.y
            # when that is a pvm module, else target itself.
            found += [(f"{target}.{alias.name}", node.lineno) for alias in node.names]
    return [(name, line) for name, line in found if name == "pvm" or name.startswith("pvm.")]


def upward_imports(root: Path, allowed: dict | None = None) -> list[str]:
    """Return a line per import under root/pvm that points up the layer order."""
    allowed = ALLOWED if allowed is None else allowed
    known = {module_name(p, root) for p in (root / "pvm").rglob("*.py")}
    problems = []
    for path in sorted((root / "pvm").rglob("*.py")):
        module = module_name(path, root)
        mine = RANK[layer_of(module)]
        for target, line in imports_of(path.read_text(), module, path.name == "__init__.py"):
            while target not in known and "." in target:
                target = target.rpartition(".")[0]  # a name imported from a module
            if RANK[layer_of(target)] > mine and (module, target) not in allowed:
                problems.append(
                    f"{path.relative_to(root)}:{line}: {module} ({layer_of(module)}) "
                    f"imports {target} ({layer_of(target)})"
                )
    return problems


def test_no_module_imports_a_higher_layer() -> None:
    assert upward_imports(SRC) == []


def test_every_allowed_import_is_still_needed() -> None:
    """Without the allow-list, exactly its entries are reported: none is stale."""
    flagged = {
        tuple(problem.split(" imports ")[0].split(": ", 1)[1].split(" (")[0:1])
        + (problem.split(" imports ")[1].split(" (")[0],)
        for problem in upward_imports(SRC, allowed={})
    }
    assert flagged == set(ALLOWED)


def test_allow_list_is_short_and_explained() -> None:
    assert len(ALLOWED) <= 10
    assert all(reason.strip() for reason in ALLOWED.values())


@pytest.mark.parametrize(
    ("where", "source"),
    [
        ("module level", "from pvm.runtime.importer import guest_import\n"),
        ("in a function", "def f():\n    from pvm.observe import memory\n"),
        ("relative", "from ..concurrency import gil\n"),
        ("plain import", "import pvm.cli\n"),
    ],
)
def test_checker_catches_an_upward_import(tmp_path: Path, where: str, source: str) -> None:
    pkg = tmp_path / "pvm"
    for sub in ("vm", "runtime", "observe", "concurrency"):
        (pkg / sub).mkdir(parents=True)
        (pkg / sub / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "cli.py").write_text("")
    (pkg / "runtime" / "importer.py").write_text("def guest_import(): pass\n")
    (pkg / "observe" / "memory.py").write_text("")
    (pkg / "concurrency" / "gil.py").write_text("")
    (pkg / "vm" / "bad.py").write_text(source)
    problems = upward_imports(tmp_path)
    assert len(problems) == 1, (where, problems)
    assert problems[0].startswith("pvm/vm/bad.py:")


def test_checker_accepts_downward_imports(tmp_path: Path) -> None:
    pkg = tmp_path / "pvm"
    (pkg / "vm").mkdir(parents=True)
    (pkg / "runtime").mkdir()
    for init in (pkg, pkg / "vm", pkg / "runtime"):
        (init / "__init__.py").write_text("")
    (pkg / "vm" / "frame.py").write_text("X = 1\n")
    (pkg / "runtime" / "ok.py").write_text(
        "from pvm.vm.frame import X\ndef f():\n    from ..vm import frame\n"
    )
    assert upward_imports(tmp_path) == []
