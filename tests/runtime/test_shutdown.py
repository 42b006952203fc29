"""Interpreter shutdown: module globals are freed at exit as CPython's finalize_modules
frees them, so __del__ methods run, print and fail as under python3."""

from __future__ import annotations

import re
import textwrap

import pytest
from helpers import IN_GUEST_WORLD, Outcome, assert_same_as_cpython, compare, run_both

# With the library native (PVM_GUEST_WORLD=0) the program's modules live in the host's
# sys.modules and are freed by the host's own shutdown, after pvm's code is gone.
NATIVE = pytest.mark.xfail(
    not IN_GUEST_WORLD,
    strict=True,
    reason="--native-stdlib: the host's finalization frees the program's modules",
)

PROGRAMS = {
    "globals_freed_at_exit": """
        class Pair:
            def __init__(self, name): self.name = name
            def __del__(self): print('free', self.name)
        x = Pair('x'); y = Pair('y'); z = [x, y]
        del x
        print('x still held by z')
        z.pop(0)
        print('end')
        """,
    # CPython's test_builtin ShutdownTest: the module outlives sys.modules, held by sys
    # and builtins, and is wiped while builtins still work.
    "builtins_still_there": """
        import builtins
        import sys

        class C:
            def __del__(self):
                print("before")
                len(())
                print("after")

        c = C()
        builtins.here = sys.modules[__name__]
        sys.here = sys.modules[__name__]
        here = sys.modules[__name__]
        """,
    "after_an_uncaught_exception": """
        class D:
            def __init__(self, name): self.name = name
            def __del__(self): print("free", self.name, flush=True)
        a = D("a")
        _b = D("_b")
        def f():
            local = D("local")
            raise ValueError("boom")
        f()
        """,
    # Once a thread has started (pvm's GIL is on), a builtin method called on an instance
    # of a guest class must not keep the class, and so the module's globals, alive.
    "builtin_method_of_a_guest_class_after_threads": """
        import threading
        class L(list):
            def m(self): return 1
        class D:
            def __del__(self): print("free d")
        l = L(); d = D()
        t = threading.Thread(target=lambda: None); t.start(); t.join()
        l.append(1)
        print("end")
        """,
    "after_system_exit": """
        class D:
            def __del__(self): print("free D")
        d = D()
        raise SystemExit(3)
        """,
}

# CPython's test_module finalization fodder, as two modules that see each other's
# globals from __del__ while both are freed by one collection.
FINAL_MODULES = {
    "final_a.py": """
import shutil
import final_b
x = 'a'

class C:
    def __del__(self):
        print('x =', x)
        print('final_b.x =', final_b.x)
        print('shutil.rmtree =', getattr(shutil.rmtree, '__name__', None))
        print('len =', getattr(len, '__name__', None))

c = C()
_underscored = C()
""",
    "final_b.py": """
import shutil
import final_a
x = 'b'

class C:
    def __del__(self):
        print('x =', x)
        print('final_a.x =', final_a.x)
        print('shutil.rmtree =', getattr(shutil.rmtree, '__name__', None))
        print('len =', getattr(len, '__name__', None))

c = C()
_underscored = C()
""",
}


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=NATIVE) if n == "builtins_still_there" else n for n in PROGRAMS],
)
def test_shutdown_as_python3(name, tmp_path):
    assert_same_as_cpython(textwrap.dedent(PROGRAMS[name]), tmp_path)


# sys.argv and sys.path are None by then, sys.stdout is sys.__stdout__, and an exception
# in __del__ is reported without its source line (CPython cannot import io to read it).
FAILING_DEL = """\
import sys
class Bad:
    def __del__(self):
        raise RuntimeError("in __del__ at exit")
class Printer:
    def __del__(self):
        print("stdout", sys.stdout is sys.__stdout__, "argv", sys.argv,
              "path", sys.path, "modules", sys.modules, flush=True)
bad = Bad()
p = Printer()
sys.stdout = None
print("end", file=sys.__stdout__)
"""


def _without_addresses(outcome: Outcome) -> Outcome:
    return Outcome(
        outcome.stdout, re.sub(r" at 0x[0-9a-f]+", " at 0x?", outcome.stderr), outcome.returncode
    )


@NATIVE
def test_sys_at_shutdown_and_a_failing_del(tmp_path):
    (tmp_path / "prog.py").write_text(FAILING_DEL)
    expected, actual = run_both(["prog.py"], ["prog.py"], tmp_path)
    assert "in __del__ at exit" in expected.stderr
    compare(_without_addresses(expected), _without_addresses(actual), "prog.py")


@NATIVE
def test_modules_see_each_other_while_freed(tmp_path):
    assert_same_as_cpython("import final_a\n", tmp_path, files=FINAL_MODULES)
