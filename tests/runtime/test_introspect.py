"""inspect, linecache, doctest, pydoc, typing and dis on guest objects, against python3."""

from __future__ import annotations

import dis as host_dis
import inspect as host_inspect
import re
import textwrap

import helpers
import pytest

from pvm.runtime import introspect


def prog(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


PROGRAMS = {
    "source_and_files": prog(
        '''
        import functools, inspect, sys

        def deco(fn):
            @functools.wraps(fn)
            def wrapper(*a, **k):
                return fn(*a, **k)
            return wrapper

        # A comment about f.
        @deco
        def f(a, b=2, *args, c, d=4, **kw):
            """Doc of f.

                Indented."""
            return a

        class C:
            """Class C."""
            def m(self, a):
                return a
            @staticmethod
            def s(): pass
            @classmethod
            def c(cls): pass

        lam = lambda q: q * 2

        def outer():
            def nested(x):
                return x
            return nested

        for obj in (f, inspect.unwrap(f), C, C.m, C().m, C.s, C.c, lam, outer(), outer):
            print(inspect.getsourcelines(obj))
            print(repr(inspect.getsource(obj)))
            print(inspect.getsourcefile(obj) == __file__, inspect.getfile(obj) == __file__)
            print(inspect.getmodule(obj).__name__, repr(inspect.getdoc(obj)))
            print(repr(inspect.getcomments(obj)))
        print(inspect.getsource(f.__code__) == inspect.getsource(inspect.unwrap(f)))
        print(inspect.getabsfile(lam) == __file__, inspect.getmodulename(__file__))
        print(inspect.getsource(sys.modules[__name__]).splitlines()[0])
        '''
    ),
    "predicates_and_signatures": prog(
        """
        import inspect, functools

        def f(a, /, b: int = 2, *args, c, d=4, **kw) -> str: pass
        def gen(): yield 1
        async def co(): pass
        async def ag(): yield 1
        class C:
            def __init__(self, x, *, y=1): pass
            def m(self, a): pass
            async def am(self): pass

        part = functools.partial(f, 1)
        for obj in (f, gen, co, ag, C, C.m, C().m, C().am, part, lambda x, *y: 0):
            print(inspect.signature(obj), inspect.isfunction(obj), inspect.ismethod(obj),
                  inspect.isroutine(obj), inspect.isgeneratorfunction(obj),
                  inspect.iscoroutinefunction(obj), inspect.isasyncgenfunction(obj),
                  inspect.isbuiltin(obj), inspect.ismethoddescriptor(obj))
        print(inspect.getfullargspec(f))
        print(inspect.iscode(f.__code__), inspect.iscode(f), inspect.isframe(f.__code__))
        print(inspect.getargs(f.__code__))
        g, c, a = gen(), co(), ag()
        print(inspect.isgenerator(g), inspect.iscoroutine(c), inspect.isasyncgen(a))
        print(inspect.isawaitable(c), inspect.isawaitable(g), inspect.isawaitable(a.asend(None)))
        c.close()
        print(inspect.getattr_static(C, "m") is C.__dict__["m"])
        print(inspect.getattr_static(C(), "m") is C.__dict__["m"])
        print(inspect.getmembers(C, inspect.isfunction) == [("__init__", C.__init__),
              ("am", C.am), ("m", C.m)])
        print(inspect.unwrap(functools.wraps(f)(lambda: 0)) is f)
        """
    ),
    "annotations": prog(
        """
        from __future__ import annotations
        import inspect

        class Box:
            pass

        def f(a: Box, b: list[int] = None, *args: "Box", **kw: int | None) -> dict[str, Box]:
            pass

        print(inspect.get_annotations(f))
        print(inspect.get_annotations(f, eval_str=True))
        print(inspect.signature(f))
        print(inspect.signature(f, eval_str=True))
        def bad(x: undefined_name): pass
        try:
            inspect.get_annotations(bad, eval_str=True)
        except NameError as e:
            print("NameError", e)
        """
    ),
    "closure_vars": prog(
        """
        import inspect, sys

        x = 10
        def uses():
            return x + len("a") + sys.maxsize + undefined_thing.attr

        def outer():
            z = 5
            def inner():
                return z + x
            return inner

        cv = inspect.getclosurevars(uses)
        print(cv.nonlocals, cv.globals, cv.builtins, sorted(cv.unbound))
        print(inspect.getclosurevars(outer()))
        """
    ),
    "frames_and_stack": prog(
        """
        import inspect, sys

        def show(fi):
            print(fi.filename == __file__, fi.lineno, fi.function, fi.code_context, fi.index,
                  fi.positions)

        def h(depth):
            if depth:
                return h(depth - 1)
            return inspect.stack()

        for fi in h(2):
            show(fi)
        for fi in h(0)[:1]:
            print(fi.frame.f_code.co_name, fi[0] is fi.frame, inspect.isframe(fi.frame))

        def with_context(a, b=3):
            frame = inspect.currentframe()
            print(frame is sys._getframe(), frame.f_back.f_code.co_name)
            print(inspect.getframeinfo(frame, context=3)[1:])
            print(inspect.getargvalues(frame).args, inspect.getargvalues(frame).locals["a"])
            print(inspect.formatargvalues(*inspect.getargvalues(frame)).split(",")[0])
            for fi in inspect.getouterframes(frame, 2):
                show(fi)

        with_context(1)
        fr = inspect.currentframe()
        print(inspect.getframeinfo(fr))
        print(inspect.getsourcelines(fr)[1], inspect.getmodule(fr).__name__)
        print(inspect.getsource(fr).count("\\n") > 10)
        """
    ),
    "tracebacks": prog(
        """
        import inspect

        def raiser(n):
            if n:
                raiser(n - 1)
            raise ValueError(n)

        try:
            raiser(2)
        except ValueError as e:
            for fi in inspect.trace():
                print(fi.lineno, fi.function, fi.code_context, fi.positions)
            for fi in inspect.getinnerframes(e.__traceback__, 3):
                print(fi.lineno, fi.function, fi.code_context, fi.index)
            tb = e.__traceback__
            print(inspect.istraceback(tb), inspect.getframeinfo(tb))
            while tb.tb_next:
                tb = tb.tb_next
            print(inspect.getsource(tb))
            print(inspect.getsourcelines(tb)[1])

        try:
            int("x")
        except ValueError:
            print([(fi.function, fi.lineno) for fi in inspect.trace()])
        """
    ),
    "generator_states": prog(
        """
        import asyncio, inspect

        def gen(n):
            total = 0
            for i in range(n):
                total += i
                yield total

        g = gen(3)
        print(inspect.getgeneratorstate(g), inspect.getgeneratorlocals(g))
        print(g.gi_frame.f_lasti, g.gi_frame.f_lineno, inspect.getframeinfo(g.gi_frame)[1:])
        next(g); next(g)
        print(inspect.getgeneratorstate(g), inspect.getgeneratorlocals(g))
        print(g.gi_frame.f_lineno, g.gi_frame.f_code.co_name, g.gi_frame.f_back)
        print(inspect.isframe(g.gi_frame), inspect.getframeinfo(g.gi_frame).code_context)
        list(g)
        print(inspect.getgeneratorstate(g), inspect.getgeneratorlocals(g), g.gi_frame)

        async def inner(x):
            await asyncio.sleep(0)
            return x

        async def main():
            c = inner(5)
            print(inspect.getcoroutinestate(c), inspect.getcoroutinelocals(c))
            await c
            print(inspect.getcoroutinestate(c), inspect.getcoroutinelocals(c))
            me = asyncio.current_task().get_coro()
            print(inspect.getcoroutinestate(me), sorted(inspect.getcoroutinelocals(me)))
            print(me.cr_frame.f_code.co_name, me.cr_frame.f_lineno)

        asyncio.run(main())
        """
    ),
    "asyncio_task_stacks": prog(
        """
        import asyncio, sys

        async def sleeper():
            await asyncio.sleep(0.01)

        async def main():
            t = asyncio.create_task(sleeper(), name="T")
            await asyncio.sleep(0)
            print(repr(t).split(" at 0x")[0], repr(t).split(">")[-2][-40:])
            t.print_stack(file=sys.stdout)
            print(len(t.get_stack()))
            await t
            print(repr(t).split(" at 0x")[0])
            asyncio.current_task().print_stack(file=sys.stdout)

        asyncio.run(main())
        """
    ),
    "classes_and_binding": prog(
        """
        import inspect, functools
        class Base:
            __slots__ = ("a",)
            x: int = 1
            def m(self, p, *, q=2): "M doc"
            @classmethod
            def c(cls): pass
            @staticmethod
            def s(): pass
            @property
            def pr(self): return 1
            @functools.cached_property
            def cp(self): return 2
        class D(Base):
            __slots__ = ()
            def m(self, p, *, q=3): pass
        for a in inspect.classify_class_attrs(D):
            if not a.name.startswith("__"):
                print(a.name, a.kind, a.defining_class.__name__, type(a.object).__name__)
        print(sorted(inspect.getcallargs(D.m, D(), 1, q=5)))
        sig = inspect.signature(D.m)
        print(list(sig.bind(D(), 1, q=4).arguments), sig.parameters["q"].default)
        print(inspect.ismemberdescriptor(Base.a), inspect.isdatadescriptor(Base.pr), inspect.ismethoddescriptor(Base.__dict__["c"]))
        print(inspect.getdoc(D.m), inspect.getdoc(D().m))
        print(inspect.getmro(D), inspect.getsource(D.m))
        def gen(a):
            b = a + 1
            yield inspect.getargvalues(inspect.currentframe())
        print(next(gen(1)))
        print(inspect.getsource(Base.cp.func))
        """
    ),
    "linecache_and_doctest": prog(
        '''
        import doctest, linecache, sys

        def add(a, b):
            """Add.

            >>> add(2, 3)
            5
            >>> [add(i, i) for i in range(3)]
            [0, 2, 4]
            >>> add(1, "x")
            Traceback (most recent call last):
            ...
            TypeError: unsupported operand type(s) for +: 'int' and 'str'
            """
            return a + b

        class K:
            """A class.

            >>> K().twice(4)
            8
            """
            def twice(self, v):
                """
                >>> K().twice(1)
                3
                """
                return 2 * v

        print(linecache.getline(__file__, 3), end="")
        print(len(linecache.getlines(__file__)))
        print(doctest.testmod())
        finder = doctest.DocTestFinder()
        for t in sorted(finder.find(sys.modules[__name__]), key=lambda t: t.name):
            print(t.name, t.lineno, len(t.examples))
        '''
    ),
    "pydoc_and_help": prog(
        '''
        import pydoc

        def greet(name: str, punct="!") -> str:
            """Greet someone.

            Politely."""
            return name + punct

        async def later(x, *, y=1):
            """Not now."""

        class Point:
            """A point."""
            def __init__(self, x, y):
                self.x, self.y = x, y
            def norm(self):
                """Length."""
                return (self.x ** 2 + self.y ** 2) ** 0.5
            @property
            def twice(self):
                """Doubled."""
                return 2 * self.x

        print(pydoc.render_doc(greet, renderer=pydoc.plaintext))
        print(pydoc.render_doc(later, renderer=pydoc.plaintext))
        print(pydoc.render_doc(Point, renderer=pydoc.plaintext))
        print(pydoc.render_doc(Point(1, 2).norm, renderer=pydoc.plaintext))
        help(greet)
        help(Point)
        '''
    ),
    "stack_through_host_code": prog(
        """
        import asyncio, functools, inspect, json, threading, traceback

        def show(tag):
            print(tag, [(f.function, f.lineno, f.code_context) for f in inspect.stack()])

        async def inner():
            show("async")
            await asyncio.sleep(0)

        async def main():
            await inner()
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, show, "executor")

        asyncio.run(main())

        def cb():
            show("thread")
            traceback.print_stack()
        t = threading.Thread(target=cb)
        t.start()
        t.join()
        json.loads('{"a": 1}', object_hook=lambda d: show("hook"))
        print(sorted([3, 1, 2], key=functools.cmp_to_key(lambda a, b: (show("cmp"), a - b)[1])))
        frame = inspect.currentframe()
        print(frame.f_back, inspect.getouterframes(frame)[-1].function)
        """
    ),
    "getattr_static_and_exec_code": prog(
        """
        import dis, inspect

        def f(a):
            return a

        f.custom = 1
        for name in ("__name__", "__code__", "__doc__", "__dict__", "custom", "__call__",
                     "__get__", "__globals__"):
            print(name, inspect.getattr_static(f, name))
        print(inspect.getattr_static(f, "nope", "default"))
        try:
            inspect.getattr_static(f, "nope")
        except AttributeError as e:
            print("AttributeError", e)
        g = (i for i in ())
        print(inspect.getattr_static(g, "send"), inspect.getattr_static(g, "gi_frame"))

        class C:
            x = 1
            def __init__(self):
                self.y = 2
        print(inspect.getattr_static(C(), "y"), inspect.getattr_static(C, "x"))

        ns = {}
        exec("def g():\n    pass\n", ns)
        try:
            inspect.getsource(ns["g"])
        except OSError as e:
            print("OSError", e)
        print(inspect.getfile(ns["g"]), inspect.getsourcefile(ns["g"]), inspect.getmodule(ns["g"]))
        print(dis.code_info(f).splitlines()[:2])
        print(dis.code_info("a + 1").splitlines()[:2])
        """
    ),
    "callers_mid_instruction": prog(
        """
        import inspect, contextlib, functools

        def where(tag):
            print(tag, [(f.function, f.lineno, f.positions) for f in inspect.stack()[1:]])
            return 0

        @contextlib.contextmanager
        def cm():
            where("enter")
            yield
            where("exit")

        with cm():
            pass

        class K:
            where("classbody")
            def __init__(self):
                where("init")
            @property
            def p(self):
                return where("prop")
            def __eq__(self, other):
                return where("eq") == 0
            def __hash__(self):
                return where("hash")

        K().p
        K() == K()
        {K(): 1}
        [where("listcomp") for _ in range(1)]
        list(where("genexp") for _ in range(1))
        (lambda: where("lambda"))()
        def deco(fn):
            where("deco")
            return fn
        @deco
        def decorated(): pass
        functools.reduce(lambda a, b: where("reduce"), [1, 2])
        print(list(map(lambda x: where("map"), [1])))
        def gen():
            yield where("gen")
        for _ in gen(): pass
        import sys
        print(sys._getframe(0).f_back)
        """
    ),
    "generators_and_errors": prog(
        """
        import inspect, sys

        def gen(): yield 1
        async def co(): pass
        async def ag(): yield
        functions = (inspect.getsource, inspect.getfile, inspect.signature, inspect.getmodule,
                     inspect.getdoc, inspect.getsourcefile, inspect.getcomments)
        for obj in (gen(), co(), ag(), 1, len, sys._getframe()):
            for fn in functions:
                try:
                    r = fn(obj)
                    text = repr(r).split(" at 0x")[0]
                    print(fn.__name__, type(r).__name__, text[:60])
                except Exception as e:
                    print(fn.__name__, type(e).__name__, str(e).split(" at 0x")[0])
        print(inspect.getgeneratorstate(gen()), inspect.getcoroutinestate(co()))
        c = co()
        try:
            c.send(None)
        except StopIteration:
            pass
        print(inspect.getcoroutinestate(c), inspect.getcoroutinelocals(c))
        for bad in (1, co, gen):
            for fn in (inspect.getgeneratorstate, inspect.getgeneratorlocals):
                try:
                    fn(bad)
                except Exception as e:
                    print(type(e).__name__, str(e).split(" at 0x")[0])
        """
    ),
    "pvm_builtins_look_built_in": prog(
        """
        import builtins, inspect, pickle, pydoc, types

        names = ("exec", "eval", "compile", "globals", "locals", "vars", "dir", "__import__",
                 "breakpoint", "print")
        for name in names:
            obj = getattr(builtins, name)
            try:
                sig = inspect.signature(obj)
            except ValueError as e:
                sig = f"ValueError: {e}"
            print(name, sig, inspect.isbuiltin(obj), inspect.isfunction(obj),
                  inspect.isroutine(obj), type(obj).__name__, obj, obj.__module__,
                  isinstance(obj, types.BuiltinFunctionType))
            print(pydoc.render_doc(obj, renderer=pydoc.plaintext).splitlines()[:3])
            print(pickle.loads(pickle.dumps(obj)) is obj)
        print(eval("1 + 1"), exec("x = 3") or x, sorted(vars())[:2], len(globals()) > 3)
        """
    ),
    "getattr_static_on_instances": prog(
        """
        import inspect, functools, typing, contextlib, io, dis

        class Meta(type):
            meta_attr = "meta"
            @property
            def meta_prop(cls):
                return "mp"

        class Base(metaclass=Meta):
            inherited = "base"
            def method(self):
                return 1

        class Slotted:
            __slots__ = ("a", "b")
            def __init__(self):
                self.a = 1

        class Desc:
            def __get__(self, obj, owner=None):
                return "got"
            def __set__(self, obj, value):
                pass

        class C(Base):
            x = 1
            d = Desc()
            @property
            def p(self):
                return 2
            @functools.cached_property
            def cp(self):
                return 3
            @classmethod
            def cm(cls):
                pass
            @staticmethod
            def sm():
                pass
            def __getattr__(self, name):
                return "dynamic"

        c = C()
        c.x = "shadow"
        c.__dict__["d"] = "instance d"
        c.__dict__["p"] = "instance p"
        c.cp
        for name in ("x", "d", "p", "cp", "cm", "sm", "method", "inherited", "__dict__", "__class__",
                     "__weakref__", "__getattr__", "meta_attr", "__init__"):
            r = inspect.getattr_static(c, name, "MISSING")
            print(name, type(r).__name__, repr(r).split(" at 0x")[0])
        for name in ("meta_attr", "meta_prop", "x", "__name__", "__mro__"):
            r = inspect.getattr_static(C, name, "MISSING")
            print(name, type(r).__name__, repr(r).split(" at 0x")[0])
        s = Slotted()
        for name in ("a", "b", "__slots__"):
            r = inspect.getattr_static(s, name, "MISSING")
            print(name, type(r).__name__, repr(r).split(" at 0x")[0])
        try:
            inspect.getattr_static(c, "nope")
        except AttributeError as e:
            print("AttributeError", e)
        """
    ),
    "type_hints_from_strings": prog(
        """
        import inspect, sys, typing
        from typing import Annotated, Optional

        class Tree:
            def children(self, depth: "int", *rest: "Tree", **kw: "Optional[Tree]") -> "list[Tree]":
                return []

        def uses_local():
            class Local:
                pass
            def f(x: "Local", y: "Annotated[int, 'meta']" = 0) -> "Optional[Local]":
                pass
            print(typing.get_type_hints(f, localns=locals()))
            print(typing.get_type_hints(f, localns=locals(), include_extras=True)["y"])
            print(inspect.signature(f, eval_str=True, locals=locals()))
            try:
                typing.get_type_hints(f)
            except NameError as e:
                print("NameError", e)

        class Holder:
            attr: "Tree"
            other: "dict[str, Holder]" = {}

        module_level: "Holder"

        print(typing.get_type_hints(Tree.children))
        print(typing.get_type_hints(Holder))
        print(typing.get_type_hints(sys.modules[__name__]))
        print(inspect.signature(Tree.children, eval_str=True))
        print(inspect.signature(Tree.children))
        uses_local()
        ref = typing.ForwardRef("Tree | None")
        print(ref, ref._evaluate(globals(), None, frozenset()))
        def bad(a: "1 +"): pass
        try:
            inspect.signature(bad, eval_str=True)
        except SyntaxError as e:
            print("SyntaxError", e.msg, e.text)
        """
    ),
    "dis_module_on_guest_code": prog(
        """
        import contextlib, dis, io

        def f(xs):
            return [x + 1 for x in xs]

        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            dis.dis(f)
        text = buf.getvalue()
        print("RETURN_VALUE" in text, "Disassembly of <code object <listcomp>" in text)
        for depth in (0, 1, None):
            buf = io.StringIO()
            dis.dis(f, file=buf, depth=depth)
            print(depth, buf.getvalue().count("Disassembly of"))
        ins = list(dis.get_instructions(f, first_line=10))
        print(type(ins[0]).__name__, isinstance(ins[0], dis.Instruction), max(i.starts_line or 0 for i in ins))
        print(type(ins[-1].positions).__name__, ins[-1].opname, ins[-1].positions.lineno)
        b = dis.Bytecode(f, first_line=20)
        print(b.first_line, max(i.starts_line or 0 for i in b), " 21 " in b.dis(), repr(b)[:19])
        try:
            f(None)
        except TypeError as e:
            tb = e.__traceback__.tb_next
            buf = io.StringIO()
            dis.distb(tb, file=buf)
            marked = [line for line in buf.getvalue().splitlines() if "-->" in line]
            print(len(marked), marked[0].index("-->"), marked[0].split()[-1])
            marked = [line for line in dis.Bytecode.from_traceback(tb).dis().splitlines() if "-->" in line]
            print(len(marked), marked[0].split()[-1])

        def g():
            try:
                return 1
            except KeyError:
                return 2

        print(dis.Bytecode(f).exception_entries, type(dis.Bytecode(g).exception_entries[0]).__name__)
        buf = io.StringIO()
        dis.disco(g.__code__, file=buf)
        print("ExceptionTable:" in buf.getvalue())
        print(dis.code_info(g).splitlines()[:3])
        """
    ),
}


# Known differences in the guest world only (docs/guest-world.md, "Known differences").
GUEST_WORLD_DIFFERENCES = {
    "stack_through_host_code": helpers.HIDDEN_JSON,
}


@pytest.mark.parametrize(
    "name", [helpers.world_param(name, GUEST_WORLD_DIFFERENCES) for name in sorted(PROGRAMS)]
)
def test_program_matches_cpython(name, tmp_path):
    helpers.assert_same_as_cpython(PROGRAMS[name], tmp_path)


def test_imported_module_source_doctest_and_help(tmp_path):
    mod = prog(
        '''
        """Module doc.

        >>> add(1, 2)
        3
        """

        def add(a, b):
            """Add.

            >>> add(2, 3)
            6
            """
            return a + b

        class K:
            """K."""
            def twice(self, v):
                return 2 * v
        '''
    )
    main = prog(
        """
        import doctest, inspect, pydoc, mod
        print(doctest.testmod(mod))
        print(inspect.getsource(mod.K.twice), inspect.getsourcelines(mod.add)[1])
        print(inspect.getmodule(mod.K.twice) is mod, inspect.getsourcefile(mod.add) == mod.__file__)
        print(pydoc.render_doc(mod, renderer=pydoc.plaintext).replace(mod.__file__, "FILE"))
        """
    )
    helpers.assert_same_as_cpython(main, tmp_path, files={"mod.py": mod})


def test_stack_while_importing_or_running_a_guest_module(tmp_path):
    mod = prog(
        """
        import inspect, sys, traceback
        traceback.print_stack()
        f = sys._getframe(1)
        print(f.f_code.co_name, f.f_lasti, f.f_lineno, sorted(f.f_locals), f.f_back.f_lasti)
        print(inspect.getframeinfo(f.f_back))
        for fi in inspect.stack():
            print(fi.function, fi.filename.rsplit("/", 1)[-1], fi.lineno, fi.positions)
        """
    )
    if helpers.IN_GUEST_WORLD:
        # Library frames are pvm frames there: f_lasti is an offset in pvm's bytecode,
        # not CPython's (docs/guest-world.md, "Known differences").
        mod = mod.replace("f.f_back.f_lasti", "f.f_back.f_lasti >= 0")
        mod = mod.replace("f.f_lasti", "f.f_lasti >= 0")
    main = (
        "import mod\nimport importlib\nimportlib.import_module('pkg.sub')\n"
        "import runpy\nrunpy.run_path('mod.py', run_name='again')\n"
    )
    files = {"mod.py": mod, "pkg/__init__.py": "", "pkg/sub.py": mod}
    helpers.assert_same_as_cpython(main, tmp_path, files=files)


def test_dis_prints_pvm_disassembly(tmp_path):
    from pvm.bytecode import dis as pvm_dis
    from pvm.compiler import compile_source

    source = prog(
        """
        import dis, io

        def f(x):
            return [y + 1 for y in x]

        def g():
            yield 1

        class C:
            def m(self):
                return self

        dis.dis(f)
        print("--")
        dis.dis(g())
        print("--")
        out = io.StringIO()
        dis.dis(C.m, file=out)
        print("ok" if "RETURN_VALUE" in out.getvalue() else "empty", end="")
        print([i.opname for i in dis.get_instructions(C().m)][-1])
        print("--")
        dis.dis(C)
        """
    )
    path = tmp_path / "prog.py"
    path.write_text(source, encoding="utf-8")
    outcome = helpers.run([*helpers.PVM, str(path)], tmp_path)
    assert outcome.returncode == 0, outcome.stderr
    assert outcome.stderr == ""
    module = compile_source(source, str(path), "exec")
    codes = {c.co_name: c for c in module.co_consts if hasattr(c, "co_code")}
    classbody = codes["C"]
    m = next(c for c in classbody.co_consts if getattr(c, "co_name", None) == "m")
    parts = _no_addresses(outcome.stdout).split("--\n")
    assert parts[0] == _no_addresses(pvm_dis.format_code(codes["f"]))
    assert parts[1] == _no_addresses(pvm_dis.format_code(codes["g"]))
    assert parts[2] == "okRETURN_VALUE\n"
    assert parts[3] == _no_addresses(f"Disassembly of m:\n{pvm_dis.format_code(m)}\n")


def _no_addresses(text: str) -> str:
    return re.sub(r" at 0x[0-9a-f]+", " at 0x?", text)


def test_dis_of_source_text_compiles_on_pvm(tmp_path):
    from pvm.bytecode import dis as pvm_dis
    from pvm.compiler import compile_source

    source = 'import dis\ndis.dis("a + 1")\nprint("--")\ndis.dis("x = 1")\n'
    path = tmp_path / "prog.py"
    path.write_text(source, encoding="utf-8")
    outcome = helpers.run([*helpers.PVM, str(path)], tmp_path)
    assert outcome.returncode == 0, outcome.stderr
    expr = pvm_dis.format_code(compile_source("a + 1", "<dis>", "eval"))
    stmt = pvm_dis.format_code(compile_source("x = 1", "<dis>", "exec"))
    assert outcome.stdout == expr + "--\n" + stmt


def test_install_and_uninstall_restore_the_host_modules():
    from pvm.compiler import compile_source

    saved_iscode, saved_dis = host_inspect.iscode, host_dis.dis
    guest_code = compile_source("x = 1", "<test>", "exec")
    introspect.install_host_patch()
    try:
        assert host_dis.dis is introspect.dis
        assert host_inspect.iscode(guest_code)
        assert host_inspect.iscode((lambda: 0).__code__)
        assert not host_inspect.iscode(1)
        assert host_inspect.__dict__["eval"] is not eval  # annotation strings run on pvm
    finally:
        introspect.uninstall_host_patch()
    assert host_inspect.iscode is saved_iscode and host_dis.dis is saved_dis
    assert not host_inspect.iscode(guest_code)
    assert "eval" not in host_inspect.__dict__


def test_dis_bytecode_disassemble_and_distb_use_pvm_code(tmp_path):
    from pvm.bytecode import dis as pvm_dis
    from pvm.compiler import compile_source

    source = prog(
        """
        import dis, io

        def f(x):
            return x + 1

        b = dis.Bytecode(f)
        print(b.first_line, [i.opname for i in b])
        print(b.info().splitlines()[0])
        print(b.dis(), end="")
        print("--")
        dis.disassemble(f.__code__)
        print("--")
        try:
            f(None)
        except TypeError as e:
            out = io.StringIO()
            dis.distb(e.__traceback__, file=out)
            print("RETURN_VALUE" in out.getvalue())
        print(dis.Bytecode("a + b").codeobj.co_names)
        """
    )
    path = tmp_path / "prog.py"
    path.write_text(source, encoding="utf-8")
    outcome = helpers.run([*helpers.PVM, str(path)], tmp_path)
    assert outcome.returncode == 0, outcome.stderr
    module = compile_source(source, str(path), "exec")
    f = next(c for c in module.co_consts if getattr(c, "co_name", None) == "f")
    listing = "\n".join(pvm_dis.format_disassembly(f)) + "\n"
    names = [i.opname for i in pvm_dis.get_instructions(f)]
    expected = f"3 {names}\nName:              f\n{listing}--\n{listing}--\nTrue\n('a', 'b')\n"
    assert outcome.stdout == expected
