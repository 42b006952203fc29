"""Self-hosting: pvm's compiler, run on pvm, produces the same code as when the host runs it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pvm
from pvm.bytecode import serialize
from pvm.compiler import compile_source

GUEST = """
import sys
sys.path.insert(0, sys.argv[1])
from gpvm.compiler import compile_source
from gpvm.bytecode import serialize
path = sys.argv[2]
with open(path, "rb") as f:
    code = compile_source(f.read(), path, "exec")
sys.stdout.buffer.write(serialize.dumps(code))
"""

SAMPLE = Path(__file__).resolve().parent / "programs" / "semantics.py"


def _guest_copy(root: Path) -> None:
    # A renamed copy, so the guest's imports of the compiler run on pvm rather than
    # finding the host's already-imported pvm package.
    src = Path(pvm.__file__).resolve().parent
    dst = root / "gpvm"
    for sub in ("compiler", "bytecode"):
        shutil.copytree(src / sub, dst / sub, ignore=shutil.ignore_patterns("__pycache__"))
    (dst / "__init__.py").write_text("")
    for path in dst.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\bpvm\.(compiler|bytecode)", r"gpvm.\1", text)
        path.write_text(text, encoding="utf-8")


def test_compiler_on_pvm_matches_host(tmp_path: Path) -> None:
    _guest_copy(tmp_path)
    script = tmp_path / "selfhost.py"
    script.write_text(GUEST)
    proc = subprocess.run(
        [sys.executable, "-m", "pvm", "run", str(script), str(tmp_path), str(SAMPLE)],
        capture_output=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    host = compile_source(SAMPLE.read_bytes(), str(SAMPLE), "exec")
    assert proc.stdout == serialize.dumps(host)
    assert serialize.loads(proc.stdout) == host
