"""Guest functions and classes pickle by value under cloudpickle, as CPython's do.

cloudpickle (which Dask uses to ship tasks) rebuilds a function of ``__main__`` from
its code's ``co_*`` fields with ``types.CodeType(...)``, ``types.FunctionType`` and
``types.CellType``; classes with ``_make_skeleton_class``.  Under pvm those are pvm's
code objects and functions.  Each program runs under python3 and pvm and must print the
same; across processes the payload is made in the parent and run in a child, which must
be a pvm child running pvm's bytecode (4-byte instructions; CPython 3.11's are 2 bytes).
pvm and python3 each unpickle only their own payloads: pvm's ``co_code`` is pvm's
bytecode.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import helpers
import pytest

pytest.importorskip("cloudpickle")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "processes"))
from process_group import run_both_groups  # noqa: E402  (tests/processes holds it)

from pvm.bytecode.code import CodeObject, ExceptionTableEntry, Position  # noqa: E402
from pvm.compiler import compile_source  # noqa: E402

PROGRAMS = Path(__file__).resolve().parent / "programs"
# Each task says how wide its instructions were: CPython 3.11's are 2 bytes, pvm's 4.
ON_HOST = "ran on 2-byte instructions"
ON_PVM = "ran on 4-byte instructions"


def test_functions_and_classes_in_one_process(tmp_path: Path) -> None:
    """Lambdas, closures, globals, recursion, defaults, generators, classes, enums, CodeType."""
    argv = [str(PROGRAMS / "pickle_by_value.py")]
    expected, actual = helpers.run_both(argv, argv, tmp_path)
    helpers.compare(expected, actual, "pickle_by_value.py")


@pytest.mark.parametrize(
    "method",
    [
        "fork",
        pytest.param("forkserver", marks=pytest.mark.slow),
        pytest.param("spawn", marks=pytest.mark.slow),
    ],
)
def test_pickled_in_parent_run_in_child(method: str, tmp_path: Path) -> None:
    """A payload made under pvm is unpickled and run by a pvm child, by each start method."""
    expected, actual = run_both_groups(PROGRAMS / "pickle_by_value_mp.py", [method], tmp_path)
    out = actual.outcome
    assert ON_HOST not in out.stdout, f"a child ran guest code on the host:\n{out.stdout}"
    assert out.stdout.count(ON_PVM) == expected.outcome.stdout.count(ON_HOST) == 2
    helpers.compare(
        expected.outcome,
        helpers.Outcome(out.stdout.replace(ON_PVM, ON_HOST), out.stderr, out.returncode),
        f"pickle_by_value_mp.py {method}",
    )


def _cpython_arguments(code: CodeObject) -> tuple:
    """The 18 arguments CPython 3.11's code() takes, read from code as cloudpickle does."""
    return (
        code.co_argcount,
        code.co_posonlyargcount,
        code.co_kwonlyargcount,
        code.co_nlocals,
        code.co_stacksize,
        code.co_flags,
        code.co_code,
        code.co_consts,
        code.co_names,
        code.co_varnames,
        code.co_filename,
        code.co_name,
        code.co_qualname,
        code.co_firstlineno,
        code.co_linetable,
        code.co_exceptiontable,
        code.co_freevars,
        code.co_cellvars,
    )


def _function_code() -> CodeObject:
    module = compile_source(
        "def f(a, *, b=1):\n    try:\n        return a // b\n    except Exception:\n        return None\n",
        "m.py",
        "exec",
    )
    return next(c for c in module.co_consts if isinstance(c, CodeObject))


def test_code_from_cpython_positions_equals_the_original() -> None:
    """code(argcount, ..., freevars, cellvars) rebuilds the same pvm code object."""
    code = _function_code()
    assert code.co_exceptiontable, "the sample needs an exception table"
    assert CodeObject(*_cpython_arguments(code)) == code
    # The line and exception tables pickle as plain tuples and come back as pvm's rows.
    args = pickle.loads(pickle.dumps(_cpython_arguments(code)))
    assert type(args[14][0]) is tuple and type(args[15][0]) is tuple
    rebuilt = CodeObject(*args)
    assert rebuilt == code
    assert type(rebuilt.co_linetable[0]) is Position
    assert type(rebuilt.co_exceptiontable[0]) is ExceptionTableEntry


def test_code_positional_errors_are_cpythons() -> None:
    """Too few or too many arguments, keywords with positions, a bad codestring."""
    args = _cpython_arguments(_function_code())
    with pytest.raises(TypeError, match="^code expected at least 16 arguments, got 3$"):
        CodeObject(1, 2, 3)
    with pytest.raises(TypeError, match="^code expected at most 18 arguments, got 19$"):
        CodeObject(*args, ())
    with pytest.raises(TypeError, match="^code\\(\\) takes no keyword arguments$"):
        CodeObject(*args, co_name="x")
    with pytest.raises(TypeError, match="cannot be interpreted as an integer"):
        CodeObject("x", *args[1:])
    with pytest.raises(ValueError, match="4-byte instructions"):
        CodeObject(*args[:6], b"\x00\x01\x02", *args[7:])
    # 16 positions: freevars and cellvars default to ().
    assert CodeObject(*args[:16]).co_freevars == ()


def test_code_type_is_named_as_cpythons() -> None:
    """type(f.__code__) reads <class 'code'>, as in CPython."""
    assert repr(CodeObject) == "<class 'code'>"
