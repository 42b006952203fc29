"""Fuzzed programs: pvm's compiler agrees with CPython's compile() (issue 15, item 6).

Agreement: both compile, with the same SyntaxWarnings, or both raise SyntaxError with
the same message and position; pvm never raises anything else.  The code pvm makes
also survives a round trip through its cache format.  The host's compile() only tells
the test CPython's answer; it never runs anything.
"""

from __future__ import annotations

import hypothesmith
import pytest
from fuzz_programs import CONTEXTS, in_context, scope_programs
from hypothesis import HealthCheck, given, seed, settings
from test_syntax_errors import _outcome

from pvm.bytecode.serialize import dumps, loads
from pvm.compiler import compile_source

# Default run: seeded, a few hundred programs.  Slow suite: 10,000 of each kind.
DEFAULT_HYPOTHESMITH, DEFAULT_SCOPES = 60, 400
SLOW_PROGRAMS, SLOW_CHUNK = 10_000, 500


def _pvm_compile(source: str) -> None:
    code = compile_source(source, "<fuzz>", "exec")
    data = dumps(code)
    assert dumps(loads(data)) == data, "the cache format does not round-trip"


def assert_compiles_as_cpython(source: str) -> bool:
    """Assert pvm compiles source as CPython does; return whether it compiled."""
    expected = _outcome(lambda s: compile(s, "<fuzz>", "exec", dont_inherit=True), source)
    # Anything but SyntaxError escapes _outcome: an internal error fails the test as is.
    actual = _outcome(_pvm_compile, source)
    assert actual == expected, f"program:\n{source}"
    return expected[0] is None


def _fuzz(strategy, examples: int, chunk_seed: int | None, contexts: list[str]) -> set[str]:
    """Check `examples` generated programs, each in each context; return the distinct ones."""
    seen: set[str] = set()

    @settings(
        max_examples=examples,
        derandomize=chunk_seed is None,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def check(source: str) -> None:
        seen.add(source)
        for context in contexts:
            assert_compiles_as_cpython(in_context(source, context))

    (check if chunk_seed is None else seed(chunk_seed)(check))()
    return seen


def test_hypothesmith_programs_compile_as_cpython() -> None:
    programs = _fuzz(hypothesmith.from_grammar(), DEFAULT_HYPOTHESMITH, None, CONTEXTS)
    assert len(programs) > DEFAULT_HYPOTHESMITH // 2  # not the same few programs


def test_scope_programs_compile_as_cpython() -> None:
    programs = _fuzz(scope_programs(), DEFAULT_SCOPES, None, ["{body}"])
    assert len(programs) > DEFAULT_SCOPES // 2


def _fuzz_distinct(strategy, contexts: list[str]) -> int:
    """Check chunks of programs, one seed each, until SLOW_PROGRAMS distinct ones agreed."""
    seen: set[str] = set()
    for chunk in range(4 * SLOW_PROGRAMS // SLOW_CHUNK):
        if len(seen) >= SLOW_PROGRAMS:
            break
        seen |= _fuzz(strategy, SLOW_CHUNK, chunk, contexts)
    print(f"{len(seen)} distinct programs agreed, each in {len(contexts)} context(s)")
    return len(seen)


@pytest.mark.slow
def test_10000_hypothesmith_programs_compile_as_cpython() -> None:
    assert _fuzz_distinct(hypothesmith.from_grammar(), CONTEXTS) >= SLOW_PROGRAMS


@pytest.mark.slow
def test_10000_scope_programs_compile_as_cpython() -> None:
    assert _fuzz_distinct(scope_programs(), ["{body}"]) >= SLOW_PROGRAMS
