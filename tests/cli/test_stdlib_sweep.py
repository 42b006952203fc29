"""Acceptance 4: `pvm compile --no-write` over the whole stdlib agrees with CPython."""

from __future__ import annotations

import pytest
import stdlib_sweep

import pvm.compiler


@pytest.mark.slow
@pytest.mark.skipif(
    not hasattr(pvm.compiler, "compile_source"), reason="the compiler has not landed yet"
)
def test_stdlib_compiles_like_cpython(request):
    # Over a minute of compiling: only when asked for with `-m slow`.
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("run with -m slow")
    count, problems, elapsed = stdlib_sweep.sweep(jobs=2)
    print(f"{count} files in {elapsed:.1f} s")
    assert not problems, "\n".join(problems[:50])
