"""Differential tests of the runtime services: tracebacks, exits, imports, exec/eval, sys."""

from __future__ import annotations

import textwrap

import helpers
import pytest


def prog(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


SCRIPTS = {
    "traceback_nested": prog(
        """
        def inner(d):
            return d["a"]["b"] + 1

        def outer():
            x = inner({"a": {}})
            return x

        outer()
        """
    ),
    "traceback_binop": prog(
        """
        a = 1
        b = 0
        print(a +
              a / b)
        """
    ),
    "chain_cause": prog(
        """
        try:
            1 / 0
        except ZeroDivisionError as e:
            raise KeyError("k") from e
        """
    ),
    "chain_context": prog(
        """
        def f():
            try:
                {}["x"]
            except KeyError:
                None.attr
        f()
        """
    ),
    "suppressed_context": prog(
        """
        try:
            1 / 0
        except ZeroDivisionError:
            raise ValueError("clean") from None
        """
    ),
    "exception_group": prog(
        """
        def f():
            raise ExceptionGroup("many", [ValueError(1), TypeError("t")])
        f()
        """
    ),
    "notes": prog(
        """
        e = RuntimeError("boom")
        e.add_note("more detail")
        raise e
        """
    ),
    "suggest_name": prog(
        """
        def f():
            xyzzy = 1
            return xyzzz
        f()
        """
    ),
    "suggest_global_and_attr": prog(
        """
        counter = 0
        class A:
            blech = 1
        try:
            A().blach
        except AttributeError as e:
            print("caught", e)
        def g():
            return countr
        try:
            g()
        except NameError as e:
            raise RuntimeError("wrapped") from e
        """
    ),
    "exit_int": "import sys\nprint('out')\nsys.exit(3)\n",
    "exit_msg": "import sys\nsys.exit('bye now')\n",
    "exit_none": "raise SystemExit\n",
    "exit_true": "raise SystemExit(True)\n",
    "recursion_default": prog(
        """
        def f(n):
            return f(n + 1)
        f(0)
        """
    ),
    "recursion_deep": prog(
        """
        import sys
        sys.setrecursionlimit(100_000)
        def depth(n):
            return 0 if n == 0 else 1 + depth(n - 1)
        print(depth(50_000))
        print(sys.getrecursionlimit())
        """
    ),
    "recursionlimit_errors": prog(
        """
        import sys
        for bad in (0, -5):
            try:
                sys.setrecursionlimit(bad)
            except ValueError as e:
                print(e)
        def f(n):
            if n:
                return f(n - 1)
            try:
                sys.setrecursionlimit(5)
            except RecursionError as e:
                print(e)
        f(10)
        """
    ),
    "main_globals": prog(
        """
        import sys
        print(__name__, __file__ == sys.argv[0] or __file__.endswith(sys.argv[0]))
        print(__cached__, __spec__, __package__, __doc__)
        print(sorted(globals()))
        print(type(__builtins__).__name__, __builtins__.__name__)
        print(sys.argv[1:])
        """
    ),
    "frames": prog(
        """
        import sys
        def f():
            fr = sys._getframe()
            print(fr.f_code.co_name, fr.f_back.f_code.co_name, fr.f_back.f_lineno)
            print(sys._getframe(1).f_globals is globals())
            x = 5
            print(sys._getframe().f_locals["x"])
        f()
        try:
            sys._getframe(50)
        except ValueError as e:
            print(e)
        """
    ),
    "exc_state": prog(
        """
        import sys
        print(sys.exc_info(), sys.exception())
        try:
            raise KeyError("k")
        except KeyError:
            t, v, tb = sys.exc_info()
            print(t.__name__, repr(v), sys.exception() is v)
        print(sys.exc_info(), sys.exception())
        """
    ),
    "traceback_module": prog(
        """
        import traceback, logging, sys
        def bad():
            return 1 / 0
        try:
            bad()
        except ZeroDivisionError:
            traceback.print_exc(file=sys.stdout)
            print(traceback.format_exc().splitlines()[-1])
        logging.basicConfig(stream=sys.stdout, format="%(levelname)s %(message)s")
        try:
            bad()
        except ZeroDivisionError:
            logging.exception("failed")
        """
    ),
    "caller_frames_in_host_code": prog(
        """
        from collections import namedtuple
        import logging, sys, traceback, typing, enum, warnings
        P = namedtuple("P", "x y")
        print(P.__module__, P(1, 2))
        class NT(typing.NamedTuple):
            a: int
        print(NT.__module__)
        E = enum.Enum("E", "A B")
        print(E.__module__, list(E))
        logging.basicConfig(stream=sys.stdout, format="%(filename)s:%(lineno)d %(funcName)s %(message)s")
        def f():
            logging.warning("hi")
            traceback.print_stack(file=sys.stdout)
            warnings.warn("careful")
            warnings.warn("deprecated", DeprecationWarning, stacklevel=2)
        f()
        """
    ),
    "thread_exception": prog(
        """
        import threading
        def work():
            raise ValueError("in thread")
        t = threading.Thread(target=work, name="W1")
        t.start()
        t.join()
        print("joined")
        """
    ),
    "excepthook": prog(
        """
        import sys
        def hook(t, v, tb):
            print("hook:", t.__name__, v)
        sys.excepthook = hook
        [x for x in (1, 2, 0) if 1 / x]
        """
    ),
    "traceback_tb_functions": prog(
        """
        import traceback, sys
        def bad():
            return 1 / 0
        try:
            bad()
        except ZeroDivisionError as e:
            print("".join(traceback.format_tb(e.__traceback__)))
            print(traceback.extract_tb(sys.exc_info()[2])[-1].name)
            traceback.print_tb(e.__traceback__, file=sys.stdout)
            print(len(traceback.extract_tb(e.__traceback__, limit=1)))
            print(traceback.format_exception(e, limit=-1)[1].strip())
        """
    ),
    "future_result_traceback": prog(
        """
        from concurrent.futures import ThreadPoolExecutor
        def work(x):
            return 1 / x
        with ThreadPoolExecutor(2) as ex:
            fut = ex.submit(work, 0)
            print(list(ex.map(work, [1, 2])))
            fut.result()
        """
    ),
    "asyncio_tracebacks": prog(
        """
        import asyncio
        async def worker(n):
            await asyncio.sleep(0)
            if n == 2:
                raise KeyError(n)
            return n
        async def main():
            results = await asyncio.gather(worker(1), worker(2), return_exceptions=True)
            print(results)
            task = asyncio.create_task(worker(2))
            try:
                await task
            except KeyError:
                import traceback; traceback.print_exc()
            async with asyncio.TaskGroup() as tg:
                tg.create_task(worker(2))
        asyncio.run(main())
        """
    ),
    "deprecation_at_import": "import imp\nimport asyncore\nprint('ok')\n",
    "nested_exception_groups": prog(
        """
        def fail(n):
            if n % 2:
                raise ValueError(f"odd {n}")
            raise TypeError(f"even {n}")
        def collect():
            errs = []
            for i in range(3):
                try:
                    fail(i)
                except Exception as e:
                    errs.append(e)
            try:
                raise ExceptionGroup("inner", errs[:2])
            except ExceptionGroup as g:
                raise ExceptionGroup("outer", [g, errs[2]]) from KeyError("cause")
        collect()
        """
    ),
    "excepthook_exits": prog(
        """
        import sys
        def hook(t, v, tb):
            print("in hook", t.__name__, file=sys.stderr)
            sys.exit(7)
        sys.excepthook = hook
        1 / 0
        """
    ),
    "excepthook_fails": prog(
        """
        import sys
        def hook(t, v, tb):
            raise RuntimeError("hook broke")
        sys.excepthook = hook
        1 / 0
        """
    ),
    "builtin_argument_errors": prog(
        """
        for src in ['globals(1)', 'locals(1)', 'vars(1,2)', 'dir(1,2)', 'globals(a=1)',
                    'exec()', 'eval()', 'exec("x", {}, {}, 1)', 'eval("1", {}, {}, 1)',
                    'vars(a=1)', 'exec("1", globals={})', 'dir(a=1)', 'eval("1", globals={})']:
            try:
                eval(src)
            except Exception as e:
                print(src, '->', type(e).__name__, e)
        print(exec("x = 1", {}), eval("1+1"), sorted(vars())[:3], dir()[:2])
        """
    ),
    "exec_eval_compile": prog(
        """
        g = {}
        exec("x = 2\\ny = x * 3", g)
        print(g["x"], g["y"], "__builtins__" in g)
        print(eval("  x + y", g))
        code = compile("a + 1", "<expr>", "eval")
        print(eval(code, {"a": 41}))
        exec(compile("print('single', 1 + 1)", "<s>", "exec"))
        import ast
        tree = compile("z = 1", "<ast>", "exec", ast.PyCF_ONLY_AST)
        print(type(tree).__name__)
        ns = {}
        exec(compile(tree, "<ast>", "exec"), ns)
        print(ns["z"])
        def f():
            local = 7
            return eval("local + 1")
        print(f())
        for bad in (1, None):
            try:
                exec(bad)
            except TypeError as e:
                print(e)
        try:
            exec("x", [])
        except TypeError as e:
            print(e)
        try:
            compile("x", "f", "bad")
        except ValueError as e:
            print(e)
        try:
            eval("1 +")
        except SyntaxError as e:
            print(e.msg, e.lineno)
        """
    ),
    "exec_inherits_future": prog(
        """
        from __future__ import annotations
        exec("def f(x: undefined): pass\\nprint(f.__annotations__)")
        c = compile("def g(y: nope): pass", "s", "exec")
        exec(c)
        print(g.__annotations__)
        exec(compile("def h(y: int): pass", "s", "exec", dont_inherit=True))
        print(h.__annotations__)
        """
    ),
    "scope_builtins": prog(
        """
        top = 1
        def f(a, b=2):
            c = 3
            print(sorted(locals().items()))
            print(dir())
            print(sorted(vars()))
            print("top" in globals())
        f(1)
        class C:
            x = 1
            print(sorted(k for k in locals() if not k.startswith("__")))
        print(vars(C)["x"], "top" in dir())
        """
    ),
    "exec_uncaught": prog(
        """
        def run():
            exec("def g():\\n    return 1 / 0\\ng()")
        run()
        """
    ),
    "json_default": prog(
        """
        import json
        def default(o):
            raise TypeError(f"cannot {o!r}")
        json.dumps({"a": object.__new__(type("Thing", (), {"__repr__": lambda s: "T"}))}, default=default)
        """
    ),
    "sorted_key": prog(
        """
        def key(v):
            return 10 // v
        print(sorted([3, 2, 1], key=key))
        sorted([1, 0], key=key)
        """
    ),
    "atexit_order": prog(
        """
        import atexit, sys
        atexit.register(print, "second")
        atexit.register(lambda: print("first"))
        class Broken:
            def __repr__(self):
                return "Broken()"
            def __call__(self):
                raise ValueError("in atexit")
        atexit.register(Broken())
        print("main done")
        sys.exit(4)
        """
    ),
    "keyboard_interrupt_text": prog(
        """
        def f():
            raise KeyboardInterrupt
        try:
            f()
        except KeyboardInterrupt:
            print("caught")
        raise SystemExit(0)
        """
    ),
    "import_stdlib_names": prog(
        """
        import sys, builtins, importlib
        print(type(sys).__name__, sys.__name__, builtins.__name__)
        builtins.shared_name = 42
        print(shared_name)
        from sys import argv
        print(argv == sys.argv)
        """
    ),
    "import_errors": prog(
        """
        try:
            import no_such_module_abc
        except ModuleNotFoundError as e:
            print(e, e.name)
        try:
            from json import no_such_name
        except ImportError as e:
            print(e)
        import no_such_module_xyz
        """
    ),
}

PACKAGE_FILES = {
    "pkg/__init__.py": (
        "from .a import A\nfrom . import b\nprint('pkg init', __name__, __package__)\n"
    ),
    "pkg/a.py": "A = 'a-value'\nprint('a', __name__, __package__, __spec__.name)\n",
    "pkg/b.py": "from .a import A as AA\nfrom pkg import a\nB = AA + '+b'\n",
    "pkg/sub/__init__.py": "",
    "pkg/sub/deep.py": "from .. import b\nfrom ..a import A\nDEEP = b.B + A\n",
    "pkg/__main__.py": (
        "import sys\nprint('pkg main', __name__, __package__, __spec__.name, sys.argv)\n"
    ),
    "circ_a.py": "import circ_b\nX = 1\ndef get():\n    return circ_b.Y\n",
    "circ_b.py": "import circ_a\nY = 2\n",
    "boom.py": "def f():\n    raise ValueError('from module')\nf()\n",
    "syntaxbad.py": "x = (\n",
    "reloadme.py": "COUNT = globals().get('COUNT', 0) + 1\n",
    "plugin.py": "print('plugin', __name__)\nVALUE = 7\n",
}

IMPORT_SCRIPTS = {
    "imports_package": prog(
        """
        import pkg
        from pkg.sub import deep
        from pkg import a, b
        print(pkg.A, b.B, deep.DEEP)
        print(pkg.__path__ == [pkg.__path__[0]], pkg.__file__.endswith("__init__.py"))
        print(a.__spec__.name, a.__spec__.origin.endswith("a.py"), a.__name__, a.__package__)
        import sys
        print("pkg.sub.deep" in sys.modules, sys.modules["pkg.a"] is a)
        """
    ),
    "imports_circular": prog(
        """
        import circ_a
        print(circ_a.X, circ_a.get())
        """
    ),
    "imports_importlib": prog(
        """
        import importlib
        m = importlib.import_module("pkg.sub.deep")
        print(m.DEEP)
        r = importlib.import_module("reloadme")
        print(r.COUNT)
        importlib.reload(r)
        print(r.COUNT)
        print(importlib.import_module(".a", "pkg").A)
        """
    ),
    "imports_error_in_module": "import boom\n",
    "imports_syntax_error": "print('before')\nimport syntaxbad\n",
    "imports_relative_no_parent": "from . import x\n",
    "runpy_and_spec_from_file": prog(
        """
        import runpy, importlib.util, sys
        g = runpy.run_path("plugin.py", run_name="plug")
        print(g["VALUE"], g["__name__"], g["__file__"])
        spec = importlib.util.spec_from_file_location("plugmod", "plugin.py")
        m = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(m)
        print(m.VALUE, m.__name__)
        print(runpy.run_module("plugin", run_name="again")["VALUE"])
        """
    ),
}


# Known differences in the guest world only (docs/guest-world.md, "Known differences").
GUEST_WORLD_DIFFERENCES = {
    "json_default": helpers.HIDDEN_JSON,
}


@pytest.mark.parametrize(
    "name", [helpers.world_param(name, GUEST_WORLD_DIFFERENCES) for name in sorted(SCRIPTS)]
)
def test_script(name, same_as_cpython):
    same_as_cpython(SCRIPTS[name], args=["arg1", "two words"])


@pytest.mark.parametrize("name", sorted(IMPORT_SCRIPTS))
def test_imports(name, same_as_cpython):
    same_as_cpython(IMPORT_SCRIPTS[name], files=PACKAGE_FILES)


def test_dash_m_package(tmp_path):
    helpers.assert_same_as_cpython_m("pkg", tmp_path, files=PACKAGE_FILES, args=["x", "y"])


def test_dash_m_module_traceback(tmp_path):
    helpers.assert_same_as_cpython_m("boom", tmp_path, files=PACKAGE_FILES)


@pytest.mark.parametrize("module", ["no_such_mod", "pkg.nope", ".rel", "pkg.__main__.x"])
def test_dash_m_errors(module, tmp_path):
    helpers.assert_same_as_cpython_m(module, tmp_path, files=PACKAGE_FILES)


def test_running_frame_lineno(same_as_cpython):
    same_as_cpython("import sys\ndef f():\n    fr = sys._getframe()\n    print(fr.f_lineno)\nf()\n")


def test_dash_c(tmp_path):
    helpers.assert_same_as_cpython_c(
        "import sys; print(sys.argv, sys.path[0] == '', __name__, sorted(globals())); 1/0",
        tmp_path,
        args=["a"],
    )


def test_stdin(tmp_path):
    helpers.assert_same_as_cpython_stdin(
        "import sys\nprint(__file__, __cached__, sys.argv)\nraise SystemExit('msg')\n",
        tmp_path,
        args=["b"],
    )


def test_keyboard_interrupt_report(tmp_path):
    """CPython prints the traceback and dies by SIGINT; pvm's report must match."""
    source = "def f():\n    raise KeyboardInterrupt\nf()\n"
    (tmp_path / "k.py").write_text(source)
    expected, actual = helpers.run_both(["k.py"], ["k.py"], tmp_path)
    assert actual.stderr == expected.stderr
    assert actual.returncode == expected.returncode  # killed by SIGINT: -2


# Code pvm compiled has 4-byte instructions (CPython 3.11's are 2 bytes): the width of a
# code object's instructions tells who compiled it, whatever its type is named.
WIDTH = (
    "import sys\ndef width(code):\n    return len(code.co_code) // len(list(code.co_positions()))\n"
)


def test_runpy_runs_program_files_on_pvm(tmp_path):
    """Files the program hands to runpy are compiled and run by pvm, not by the host."""
    (tmp_path / "plugin.py").write_text(WIDTH + "print(width(sys._getframe().f_code))\n")
    (tmp_path / "main.py").write_text(
        "import runpy, importlib.util\n"
        "runpy.run_path('plugin.py')\n"
        "spec = importlib.util.spec_from_file_location('p', 'plugin.py')\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
    )
    out = helpers.run([*helpers.PVM, "main.py"], tmp_path)
    assert out.stdout == "4\n4\n", out  # pvm's instructions, 4 bytes each (CPython's 2)


DOCTEST_TIMEIT = '''\
def add(a, b):
    """
    >>> add(1, 2)
    3
    >>> add(1, 'x')
    Traceback (most recent call last):
      ...
    TypeError: unsupported operand type(s) for +: 'int' and 'str'
    >>> print(add('a', 'b'))
    ab
    """
    return a + b
import doctest, timeit
print(doctest.testmod())
print(timeit.timeit("add(1, 2)", number=5, globals=globals()) > 0)
'''

RUNS_ON_PVM = '''\
import sys, timeit, doctest
seen = []
def width(code):
    return len(code.co_code) // len(list(code.co_positions()))
timeit.timeit("seen.append(width(sys._getframe().f_code))", number=1, globals=globals())
def f():
    """
    >>> seen.append(width(sys._getframe().f_code))
    """
doctest.run_docstring_examples(f, globals())
print(seen)
'''


def test_doctest_and_timeit(same_as_cpython):
    same_as_cpython(DOCTEST_TIMEIT)


def test_timeit_and_doctest_run_program_text_on_pvm(tmp_path):
    """Statements given to timeit and doctest examples are compiled and run by pvm."""
    (tmp_path / "main.py").write_text(RUNS_ON_PVM)
    out = helpers.run([*helpers.PVM, "main.py"], tmp_path)
    assert out.stdout == "[4, 4]\n", out  # pvm's 4-byte instructions (CPython's: 2)


SIGNALS = """\
import signal, os
def h(signum, frame):
    print("got", signal.Signals(signum).name, frame.f_code.co_name)
old = signal.signal(signal.SIGUSR1, h)
print(old, signal.getsignal(signal.SIGUSR1) is h)
def work():
    os.kill(os.getpid(), signal.SIGUSR1)
    return sum(range(10))
print(work())
print(signal.signal(signal.SIGUSR1, signal.SIG_DFL) is h)
class K:
    def m(self, s, f):
        print("method", f.f_code.co_name)
signal.signal(signal.SIGUSR2, K().m)
work2 = lambda: os.kill(os.getpid(), signal.SIGUSR2)
work2()
"""


def test_signal_handlers_get_guest_frames(same_as_cpython):
    same_as_cpython(SIGNALS)
