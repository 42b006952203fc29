"""Generate the lifetime suite's programs: one per opcode family, each case an object's last reference dying at one construct.

A case is a snippet in which the variable ``v`` holds the tracked object (``OBJ`` is
replaced by the expression that makes it).  The snippet drops the object's last
reference at the construct under test, between ``print("b")`` and ``print("a")`` (or
inside the construct itself); the tracked object announces its death.  Each snippet is
generated in every scope it is valid in (module, function, closure cell, generator,
coroutine) and with both kinds of tracked object (one with ``__del__``, one without,
watched by a weakref callback), so that one family's program holds a few dozen cases.

The finalizer prints the line its caller frame stands at, so that the moment of each
``__del__`` is visible in the output, and tests/conformance/test_lifetimes.py checks
it against python3's and against the steps of ``pvm memory --refs``.
"""

from __future__ import annotations

import textwrap

PRELUDE = '''\
import asyncio, gc, sys, threading, weakref
gc.disable()
_refs = []


class Obj:
    """What a tracked object can do: every protocol a snippet uses it through."""

    def __init__(self, name):
        self.name = name

    def __contains__(self, x):
        return True

    def __eq__(self, o):
        return False

    def __lt__(self, o):
        return True

    def __gt__(self, o):
        return True

    def __le__(self, o):
        # A result that is itself tracked: it must die at the jump that tests it.
        name = self.name + ".result"
        return D(name) if isinstance(self, D) else weak(name)

    def __hash__(self):
        return 1

    def __add__(self, o):
        return 0

    def __radd__(self, o):
        return 0

    def __iter__(self):
        return iter((1, 2))

    def __getitem__(self, i):
        return i

    def __len__(self):
        return 2

    def __index__(self):
        return 1

    def __bool__(self):
        return True

    def __enter__(self):
        return 7

    def __exit__(self, *a):
        return False

    async def __aenter__(self):
        return 7

    async def __aexit__(self, *a):
        return False

    def __await__(self):
        return iter(())

    def __call__(self, *a, **k):
        return None

    def __format__(self, spec):
        return "D" + spec

    def __repr__(self):
        return "D()"

    def m(self, *a, **k):
        return None


class D(Obj):
    """A tracked object: says when it dies, and where its last reference was dropped."""

    def __del__(self):
        f = sys._getframe(1)
        print("  del", self.name, "@", f.f_lineno if f.f_code.co_filename == __file__ else "-")


def weak(name):
    """Return a tracked object without a finalizer: a weakref callback says when it dies."""
    o = Obj(name)
    _refs.append(weakref.ref(o, lambda r, n=name: print("  weakref", n)))
    return o


class Box:
    pass


class Err(Exception):
    pass


def take(*a, **k):
    return None


def run_coroutine(c):
    try:
        while True:
            c.send(None)
    except StopIteration:
        pass


'''

# Scopes a snippet can run in.  ANY: all; FUNC: not at module level (return, nonlocal
# state); GEN: a generator only (yield); ASYNC: a coroutine only (await, async with).
ANY, FUNC, GEN, ASYNC = "any", "func", "gen", "async"

B, A = 'print("b")', 'print("a")'

# family -> [(case name, scopes, snippet)]
FAMILIES: dict[str, list[tuple[str, str, str]]] = {
    "fast_global_name": [
        ("del_var", ANY, f"v = OBJ\n{B}\ndel v\n{A}"),
        ("rebind", ANY, f"v = OBJ\n{B}\nv = 1\n{A}\ndel v"),
        ("copy_then_del", ANY, f"v = OBJ\nx = v\ndel v\n{B}\ndel x\n{A}"),
        ("load_then_del", ANY, f"v = OBJ\nv\n{B}\ndel v\n{A}"),
        ("temporary", ANY, f"{B}\nOBJ\n{A}"),
        ("expr_statement_attr", ANY, f"v = OBJ\nv.name\n{B}\ndel v\n{A}"),
        ("walrus", ANY, f"(x := OBJ)\n{B}\ndel x\n{A}"),
        ("swap", ANY, f"v, x = OBJ, 1\nv, x = x, v\n{B}\ndel x\n{A}\ndel v"),
    ],
    "attr_subscr": [
        ("store_attr_rebind", ANY, f"o = Box()\no.a = OBJ\n{B}\no.a = 1\n{A}\ndel o"),
        ("del_attr", ANY, f"o = Box()\no.a = OBJ\n{B}\ndel o.a\n{A}\ndel o"),
        ("load_attr", ANY, f"v = OBJ\nx = v.name\n{B}\ndel v\n{A}"),
        ("method_load", ANY, f"v = OBJ\nv.m\n{B}\ndel v\n{A}"),
        ("store_subscr_rebind", ANY, f"l = [OBJ]\n{B}\nl[0] = 1\n{A}\ndel l"),
        ("del_subscr", ANY, f"l = [OBJ]\n{B}\ndel l[0]\n{A}\ndel l"),
        ("subscr_key", ANY, f"v = OBJ\nx = {{v: 1}}[v]\n{B}\ndel v\n{A}"),
        ("subscr_container", ANY, f"v = OBJ\nx = v[0]\n{B}\ndel v\n{A}"),
        ("subscr_load_dies", ANY, f"l = [OBJ]\n{B}\nx = l.pop()[0]\n{A}\ndel l"),
        ("del_dict_item", ANY, f"d = {{'k': OBJ}}\n{B}\ndel d['k']\n{A}\ndel d"),
        ("slice_bounds", ANY, f"v = OBJ\nx = [1, 2, 3][v:v]\n{B}\ndel v\n{A}"),
        ("store_slice", ANY, f"l = [OBJ, 2]\n{B}\nl[:1] = []\n{A}\ndel l"),
    ],
    "binary_compare": [
        ("binary_right", ANY, f"v = OBJ\nx = 1 + v\n{B}\ndel v\n{A}"),
        ("binary_left", ANY, f"v = OBJ\nx = v + 1\n{B}\ndel v\n{A}"),
        ("binary_temporaries", ANY, f"{B}\nx = OBJ + OBJ\n{A}"),
        ("compare_right", ANY, f"v = OBJ\nx = 1 == v\n{B}\ndel v\n{A}"),
        ("compare_left", ANY, f"v = OBJ\nx = v == 1\n{B}\ndel v\n{A}"),
        ("compare_temporaries", ANY, f"{B}\nx = OBJ < OBJ\n{A}"),
        ("compare_jump", ANY, f"v = OBJ\nif 2 == v:\n    pass\n{B}\ndel v\n{A}"),
        ("compare_jump_left", ANY, f"v = OBJ\nif v < 2:\n    pass\n{B}\ndel v\n{A}"),
        ("compare_jump_true", ANY, f"v = OBJ\nwhile not 2 < v:\n    pass\n{B}\ndel v\n{A}"),
        ("compare_result_at_jump", ANY, f"v = OBJ\nif v <= 1:\n    print('in')\n{B}\ndel v\n{A}"),
        ("compare_result_while", ANY, f"v = OBJ\nwhile not v <= 1:\n    pass\n{B}\ndel v\n{A}"),
        ("compare_result_kept", ANY, f"v = OBJ\nx = v <= 1\n{B}\ndel x\n{A}\ndel v"),
        ("is", ANY, f"v = OBJ\nv is v\n{B}\ndel v\n{A}"),
        ("is_not", ANY, f"v = OBJ\nx = None is not v\n{B}\ndel v\n{A}"),
        ("is_jump", ANY, f"v = OBJ\nif v is None:\n    pass\n{B}\ndel v\n{A}"),
        ("in", ANY, f"v = OBJ\nif 'a' in v:\n    pass\n{B}\ndel v\n{A}"),
        ("in_left", ANY, f"v = OBJ\nx = v in [1]\n{B}\ndel v\n{A}"),
        ("not_in", ANY, f"v = OBJ\nx = 'a' not in v\n{B}\ndel v\n{A}"),
        ("chained", ANY, f"v = OBJ\nx = 1 < v < 3\n{B}\ndel v\n{A}"),
        ("chained_middle_dies", ANY, f"l = [OBJ]\n{B}\nx = 1 < l.pop() < 3\n{A}\ndel l"),
        ("unary_not", ANY, f"v = OBJ\nx = not v\n{B}\ndel v\n{A}"),
        ("bool_and", ANY, f"v = OBJ\nx = v and 0\n{B}\ndel v\n{A}"),
        ("bool_or", ANY, f"v = OBJ\nx = 0 or v\n{B}\ndel x\n{A}\ndel v"),
        ("ternary", ANY, f"v = OBJ\nx = v if v else 0\ndel x\n{B}\ndel v\n{A}"),
        ("aug_assign", ANY, f"v = OBJ\nv += 1\n{B}\ndel v\n{A}"),
        ("aug_assign_right", ANY, f"v = OBJ\nx = 1\nx += v\n{B}\ndel v\n{A}"),
        ("aug_subscr", ANY, f"l = [OBJ]\n{B}\nl[0] += 1\n{A}\ndel l"),
        ("aug_attr", ANY, f"o = Box()\no.a = OBJ\n{B}\no.a += 1\n{A}\ndel o"),
        ("assert", ANY, f"v = OBJ\nassert v\n{B}\ndel v\n{A}"),
    ],
    "calls": [
        ("positional", ANY, f"v = OBJ\ntake(v)\n{B}\ndel v\n{A}"),
        ("keyword", ANY, f"v = OBJ\ntake(k=v)\n{B}\ndel v\n{A}"),
        ("star", ANY, f"v = OBJ\ntake(*[v])\n{B}\ndel v\n{A}"),
        ("star_star", ANY, f"v = OBJ\ntake(**{{'k': v}})\n{B}\ndel v\n{A}"),
        ("argument_temporary", ANY, f"{B}\ntake(OBJ)\n{A}"),
        ("arguments_order", ANY, f"{B}\ntake(OBJ, OBJ, k=OBJ)\n{A}"),
        ("star_order", ANY, f"{B}\ntake(*[OBJ], **{{'k': OBJ}})\n{A}"),
        ("builtin_call", ANY, f"v = OBJ\nx = len(v)\n{B}\ndel v\n{A}"),
        ("builtin_temporary", ANY, f"{B}\nx = len(OBJ)\n{A}"),
        ("method_call", ANY, f"v = OBJ\nv.m()\n{B}\ndel v\n{A}"),
        ("method_call_kw", ANY, f"v = OBJ\nv.m(1, k=2)\n{B}\ndel v\n{A}"),
        ("method_on_temporary", ANY, f"{B}\nOBJ.m()\n{A}"),
        ("bound_method", ANY, f"v = OBJ\nm = v.m\ndel v\n{B}\ndel m\n{A}"),
        ("call_object", ANY, f"v = OBJ\nv()\n{B}\ndel v\n{A}"),
        ("guest_function_locals", ANY, f"def fn(a, b):\n    c = a\n{B}\nfn(OBJ, OBJ)\n{A}"),
        (
            "guest_function_local_order",
            ANY,
            f"def fn():\n    a = OBJ\n    b = OBJ\n    c = OBJ\n{B}\nfn()\n{A}",
        ),
        ("returned_value_dropped", ANY, f"def fn():\n    return OBJ\n{B}\nfn()\n{A}"),
        ("kwargs_binding", ANY, f"def fn(**kw):\n    pass\n{B}\nfn(a=OBJ, b=OBJ)\n{A}"),
        ("varargs_binding", ANY, f"def fn(*a):\n    pass\n{B}\nfn(OBJ, OBJ)\n{A}"),
        ("defaults", ANY, f"def fn(a=OBJ):\n    pass\nfn()\n{B}\ndel fn\n{A}"),
        (
            "class_init",
            ANY,
            f"class K:\n    def __init__(self, a):\n        self.a = a\n{B}\nK(OBJ)\n{A}",
        ),
        ("lambda_argument", ANY, f"{B}\n(lambda x: None)(OBJ)\n{A}"),
        ("isinstance", ANY, f"v = OBJ\nisinstance(v, Obj)\n{B}\ndel v\n{A}"),
    ],
    "unpack_build": [
        ("unpack_tuple", ANY, f"a, b = OBJ, 1\n{B}\ndel a\n{A}"),
        ("unpack_list", ANY, f"a, b = [OBJ, 1]\n{B}\ndel a\n{A}"),
        ("unpack_star", ANY, f"a, *b = [OBJ, OBJ, 1]\n{B}\ndel a\n{A}\ndel b\nprint('c')"),
        ("unpack_iter", ANY, f"v = OBJ\na, b = v\n{B}\ndel v\n{A}"),
        ("unpack_temporary", ANY, f"{B}\na, b = OBJ\n{A}"),
        ("build_list", ANY, f"x = [OBJ, OBJ]\n{B}\ndel x\n{A}"),
        ("build_tuple", ANY, f"x = (OBJ, OBJ)\n{B}\ndel x\n{A}"),
        ("build_set", ANY, f"x = {{OBJ, 2}}\n{B}\ndel x\n{A}"),
        ("build_dict", ANY, f"x = {{1: OBJ, 2: OBJ}}\n{B}\ndel x\n{A}"),
        ("build_dict_key", ANY, f"x = {{OBJ: 1}}\n{B}\ndel x\n{A}"),
        ("build_list_unpack", ANY, f"v = OBJ\nx = [*[v], 1]\n{B}\ndel v\n{A}\ndel x"),
        ("build_dict_unpack", ANY, f"v = OBJ\nx = {{**{{1: v}}}}\ndel x\n{B}\ndel v\n{A}"),
        ("build_slice", ANY, f"x = slice(OBJ)\n{B}\ndel x\n{A}"),
        ("build_string", ANY, f"v = OBJ\nx = f'{{v}}{{v!r}}{{v:>3}}'\n{B}\ndel v\n{A}"),
        ("format_temporary", ANY, f"{B}\nx = f'{{OBJ}}'\n{A}"),
        ("percent_format", ANY, f"{B}\nx = '%r' % (OBJ,)\n{A}"),
        ("tuple_temporary", ANY, f"{B}\n(OBJ, OBJ)\n{A}"),
        ("list_temporary", ANY, f"{B}\n[OBJ, OBJ]\n{A}"),
        ("dict_temporary", ANY, f"{B}\n{{1: OBJ, 2: OBJ}}\n{A}"),
    ],
    "for_with": [
        ("for_target", ANY, f"for x in [OBJ]:\n    pass\n{B}\ndel x\n{A}"),
        ("for_iterable", ANY, f"v = OBJ\nfor x in v:\n    pass\n{B}\ndel v\n{A}"),
        ("for_iterable_temporary", ANY, f"{B}\nfor x in OBJ:\n    pass\n{A}"),
        ("for_break", ANY, f"for x in [OBJ, 1]:\n    break\n{B}\ndel x\n{A}"),
        ("for_break_iterable", ANY, f"{B}\nfor x in OBJ:\n    break\n{A}"),
        ("for_rebinds", ANY, f"{B}\nfor x in [OBJ, OBJ, 1]:\n    print('it')\n{A}"),
        (
            "for_generator",
            ANY,
            f"def gen():\n    yield OBJ\n{B}\nfor x in gen():\n    pass\nprint('m')\ndel x\n{A}",
        ),
        (
            "for_generator_break",
            ANY,
            f"def gen():\n    t = OBJ\n    yield 1\n    yield 2\n{B}\nfor x in gen():\n    break\n{A}",
        ),
        ("while_loop", ANY, f"l = [OBJ, OBJ]\n{B}\nwhile l:\n    l.pop()\n    print('it')\n{A}"),
        ("with", ANY, f"v = OBJ\nwith v:\n    pass\n{B}\ndel v\n{A}"),
        ("with_temporary", ANY, f"{B}\nwith OBJ as x:\n    print('in')\n{A}"),
        (
            "with_exception",
            ANY,
            f"try:\n    with OBJ:\n        raise Err\nexcept Err:\n    {B}\n{A}",
        ),
        ("with_as", ANY, f"v = OBJ\nwith v as x:\n    pass\n{B}\ndel v\n{A}"),
        ("async_with", ASYNC, f"v = OBJ\nasync with v:\n    pass\n{B}\ndel v\n{A}"),
        ("async_with_temporary", ASYNC, f"{B}\nasync with OBJ:\n    print('in')\n{A}"),
    ],
    "exceptions": [
        ("handled", ANY, f"try:\n    raise Err(OBJ)\nexcept Err:\n    {B}\n{A}"),
        ("handled_as", ANY, f"try:\n    raise Err(OBJ)\nexcept Err as e:\n    {B}\n{A}"),
        (
            "exception_kept",
            ANY,
            f"try:\n    raise Err(OBJ)\nexcept Err as e:\n    k = e\n{B}\ndel k\n{A}",
        ),
        ("finally", ANY, f"v = OBJ\ntry:\n    pass\nfinally:\n    {B}\n    del v\n    {A}"),
        (
            "finally_exception",
            ANY,
            f"try:\n    try:\n        raise Err(OBJ)\n    finally:\n        {B}\nexcept Err:\n    pass\n{A}",
        ),
        (
            "reraise",
            ANY,
            f"try:\n    try:\n        raise Err(OBJ)\n    except Err:\n        raise\nexcept Err:\n    {B}\n{A}",
        ),
        ("raise_from", ANY, f"try:\n    raise Err(1) from Err(OBJ)\nexcept Err:\n    {B}\n{A}"),
        (
            "local_in_raising_frame",
            ANY,
            f"def fn():\n    t = OBJ\n    raise Err\ntry:\n    fn()\nexcept Err:\n    {B}\n{A}",
        ),
        (
            "exc_info",
            ANY,
            f"v = OBJ\ntry:\n    raise Err\nexcept Err:\n    x = sys.exc_info()[0]\n{B}\ndel v\n{A}",
        ),
        (
            "nested_handlers",
            ANY,
            f"try:\n    raise Err(OBJ)\nexcept Err:\n    try:\n        raise KeyError\n    except KeyError:\n        pass\n    {B}\n{A}",
        ),
        (
            "except_star",
            ANY,
            f"try:\n    raise ExceptionGroup('g', [Err(OBJ)])\nexcept* Err:\n    {B}\n{A}",
        ),
        (
            "except_star_rest",
            ANY,
            f"try:\n    try:\n        raise ExceptionGroup('g', [Err(OBJ), KeyError(OBJ)])\n    except* Err:\n        print('star')\nexcept ExceptionGroup:\n    {B}\n{A}",
        ),
        (
            "raise_in_function_exception_kept",
            ANY,
            f"def fn():\n    t = OBJ\n    raise Err\ntry:\n    fn()\nexcept Err as e:\n    k = e\n{B}\ndel k\ngc.collect()\n{A}",
        ),
        (
            "return_in_finally",
            FUNC,
            f"def fn():\n    try:\n        t = OBJ\n        return 1\n    finally:\n        print('fin')\n{B}\nfn()\n{A}",
        ),
    ],
    "return_yield_await": [
        ("return_value", FUNC, f"{B}\nreturn_it = (lambda: OBJ)()\ndel return_it\n{A}"),
        ("yield_value", GEN, f"yield OBJ\n{B}\nprint('m')\n{A}"),
        ("yield_from", GEN, f"yield from [OBJ]\n{B}\n{A}"),
        (
            "generator_local_finish",
            ANY,
            f"def gen():\n    t = OBJ\n    yield 1\n{B}\nfor x in gen():\n    print('m')\n{A}",
        ),
        (
            "generator_dropped",
            ANY,
            f"def gen():\n    t = OBJ\n    yield 1\n    yield 2\ng = gen()\nnext(g)\n{B}\ndel g\n{A}",
        ),
        (
            "generator_closed",
            ANY,
            f"def gen():\n    t = OBJ\n    yield 1\ng = gen()\nnext(g)\n{B}\ng.close()\n{A}\ndel g",
        ),
        (
            "generator_exhausted",
            ANY,
            f"def gen():\n    t = OBJ\n    yield 1\ng = gen()\nnext(g)\n{B}\nnext(g, None)\n{A}\ndel g",
        ),
        (
            "generator_send",
            ANY,
            f"def gen():\n    x = yield 1\n    print('got')\n    yield 2\ng = gen()\nnext(g)\n{B}\ng.send(OBJ)\n{A}\ndel g",
        ),
        (
            "generator_throw",
            ANY,
            f"def gen():\n    t = OBJ\n    yield 1\ng = gen()\nnext(g)\n{B}\ntry:\n    g.throw(Err)\nexcept Err:\n    pass\n{A}\ndel g",
        ),
        (
            "generator_never_started",
            ANY,
            f"def gen(a):\n    yield a\ng = gen(OBJ)\n{B}\ndel g\n{A}",
        ),
        ("await", ASYNC, f"v = OBJ\nawait v\n{B}\ndel v\n{A}"),
        ("await_temporary", ASYNC, f"{B}\nawait OBJ\n{A}"),
        ("coroutine_local", ANY, f"async def co():\n    t = OBJ\n{B}\nrun_coroutine(co())\n{A}"),
        (
            "coroutine_never_awaited",
            ANY,
            f"async def co(a):\n    pass\nc = co(OBJ)\n{B}\nc.close()\ndel c\n{A}",
        ),
        (
            "async_for",
            ASYNC,
            f"async def agen():\n    yield OBJ\n{B}\nasync for x in agen():\n    pass\nprint('m')\ndel x\n{A}",
        ),
    ],
    "comprehensions": [
        ("list_comp", ANY, f"x = [OBJ for i in range(2)]\n{B}\ndel x\n{A}"),
        ("list_comp_dropped", ANY, f"{B}\n[OBJ for i in range(2)]\n{A}"),
        ("list_comp_iterable", ANY, f"v = OBJ\nx = [i for i in v]\n{B}\ndel v\n{A}"),
        ("list_comp_variable", ANY, f"{B}\nx = [0 for i in [OBJ, OBJ]]\n{A}"),
        ("set_comp", ANY, f"x = {{OBJ for i in range(1)}}\n{B}\ndel x\n{A}"),
        ("dict_comp", ANY, f"x = {{i: OBJ for i in range(2)}}\n{B}\ndel x\n{A}"),
        ("genexp", ANY, f"{B}\nx = sum(1 for i in [OBJ, OBJ])\n{A}"),
        ("genexp_unfinished", ANY, f"g = (i for i in [OBJ, 1])\nnext(g)\n{B}\ndel g\n{A}"),
        ("nested_comp", ANY, f"{B}\nx = [[j for j in [OBJ]] for i in range(2)]\ndel x\n{A}"),
        ("comp_condition", ANY, f"{B}\nx = [i for i in range(2) if OBJ]\n{A}"),
    ],
    "definitions": [
        ("closure", ANY, f"def mk(a):\n    return lambda: a\nfn = mk(OBJ)\n{B}\ndel fn\n{A}"),
        ("lambda_default", ANY, f"fn = lambda a=OBJ: a\n{B}\ndel fn\n{A}"),
        (
            "decorator",
            ANY,
            f"def deco(f):\n    return OBJ\n@deco\ndef fn():\n    pass\n{B}\ndel fn\n{A}",
        ),
        ("class_attribute", ANY, f"class K:\n    a = OBJ\n{B}\ndel K\ngc.collect()\n{A}"),
        ("class_body_temporary", ANY, f"{B}\nclass K:\n    OBJ\n{A}\ndel K\ngc.collect()"),
        (
            "class_body_deleted",
            ANY,
            "class K:\n    a = OBJ\n    print('b')\n    del a\n    print('a')\ndel K\ngc.collect()",
        ),
        ("instance_attribute", ANY, f"o = Box()\no.a = OBJ\n{B}\ndel o\n{A}"),
        (
            "cycle_collected",
            ANY,
            f"o = Box()\no.a = OBJ\no.self = o\ndel o\n{B}\ngc.collect()\n{A}",
        ),
        ("cell_rebound", FUNC, f"c = OBJ\ndef inner():\n    return c\n{B}\nc = 1\n{A}\ndel inner"),
        ("cell_deleted", FUNC, f"c = OBJ\ndef inner():\n    return c\n{B}\ndel c\n{A}\ndel inner"),
        (
            "nonlocal_rebound",
            FUNC,
            f"c = OBJ\ndef inner():\n    nonlocal c\n    c = 1\n{B}\ninner()\n{A}\ndel inner",
        ),
        (
            "global_rebound",
            ANY,
            f"def inner():\n    global G\n    G = 1\nglobals()['G'] = OBJ\n{B}\ninner()\n{A}\ndel inner",
        ),
    ],
    # The first case starts a thread: the GIL is on for the rest (host calls go
    # through its native-call path).
    "threads_gil": [
        (
            "thread_result",
            ANY,
            f"l = [OBJ]\nt = threading.Thread(target=lambda: l.pop())\n{B}\nt.start()\nt.join()\n{A}\ndel t, l",
        ),
        (
            "thread_args",
            ANY,
            f"t = threading.Thread(target=take, args=(OBJ,))\n{B}\nt.start()\nt.join()\n{A}\ndel t",
        ),
        (
            "thread_local_frame",
            ANY,
            f"def run():\n    a = OBJ\n    b = OBJ\nt = threading.Thread(target=run)\n{B}\nt.start()\nt.join()\n{A}\ndel t",
        ),
        ("gil_builtin_call", ANY, f"v = OBJ\nx = len(v)\n{B}\ndel v\n{A}"),
        ("gil_temporary_argument", ANY, f"{B}\ntake(OBJ)\n{A}"),
        ("gil_builtin_temporary", ANY, f"{B}\nx = len(OBJ)\n{A}"),
        ("gil_method_call", ANY, f"v = OBJ\nv.m()\n{B}\ndel v\n{A}"),
        (
            "gil_sorted_key",
            ANY,
            f"v = OBJ\nx = sorted([2, 1], key=lambda i, w=v: i)\n{B}\ndel v\n{A}",
        ),
    ],
    "match_import": [
        (
            "match_class",
            ANY,
            f"v = OBJ\nmatch v:\n    case Obj(name=n):\n        pass\n{B}\ndel v\n{A}",
        ),
        (
            "match_sequence",
            ANY,
            f"l = [OBJ]\nmatch l:\n    case [x]:\n        del x\n{B}\ndel l\n{A}",
        ),
        (
            "match_mapping",
            ANY,
            f"d = {{'k': OBJ}}\nmatch d:\n    case {{'k': x}}:\n        del x\n{B}\ndel d\n{A}",
        ),
        ("match_capture", ANY, f"match OBJ:\n    case x:\n        pass\n{B}\ndel x\n{A}"),
        ("match_subject_temporary", ANY, f"{B}\nmatch OBJ:\n    case 1:\n        pass\n{A}"),
        (
            "match_value_no_match",
            ANY,
            f"v = OBJ\nmatch v:\n    case 1:\n        pass\n    case _:\n        pass\n{B}\ndel v\n{A}",
        ),
        ("import_rebinds", ANY, f"v = OBJ\n{B}\nimport json as v\n{A}\ndel v"),
        ("from_import_rebinds", ANY, f"v = OBJ\n{B}\nfrom json import dumps as v\n{A}\ndel v"),
    ],
}

WRAPPERS = ("module", "function", "closure", "generator", "coroutine")
VALID = {
    ANY: WRAPPERS,
    FUNC: ("function", "closure", "generator", "coroutine"),
    GEN: ("generator",),
    # (and as an asyncio task: the event loop's own references, for these only)
    ASYNC: ("coroutine", "task"),
}
TRACKERS = {"del": "D", "weakref": "weak"}


def _objects(snippet: str, label: str, tracker: str) -> str:
    """Replace each OBJ of snippet with a tracked object named after the case and its place."""
    parts = snippet.split("OBJ")
    out = [parts[0]]
    for i, part in enumerate(parts[1:]):
        suffix = f"{i}" if len(parts) > 2 else ""
        out.append(f'{tracker}("{label}{suffix}")')
        out.append(part)
    return "".join(out)


def _wrap(body: str, wrapper: str, fn: str) -> str:
    """Return body as it runs in the given wrapper (scope), calling it."""
    if wrapper == "module":
        return body + "\n"
    inner = textwrap.indent(body, "    ")
    if wrapper == "function":
        return f"def {fn}():\n{inner}\n{fn}()\ndel {fn}\n"
    if wrapper == "closure":
        # v (and c) become cell variables: loads, stores and deletes go through cells.
        keep = "    def _keep():\n        return v, c\n" + inner
        return f"def {fn}():\n    v = c = None\n{keep}\n{fn}()\ndel {fn}\n"
    if wrapper == "generator":
        return f"def {fn}():\n{inner}\n    yield 'end'\nfor _ in {fn}():\n    pass\ndel {fn}, _\n"
    if wrapper == "task":
        return f"async def {fn}():\n{inner}\nasyncio.run({fn}())\ndel {fn}\n"
    # coroutine
    return f"async def {fn}():\n{inner}\nrun_coroutine({fn}())\ndel {fn}\n"


def cases(
    family: str,
    wrappers: tuple[str, ...] | None = None,
    trackers: tuple[str, ...] = tuple(TRACKERS),
) -> list[tuple[str, str]]:
    """Return (case id, program text) for each generated case of family (in those wrappers,
    default all, with those trackers)."""
    out = []
    for name, scope, snippet in FAMILIES[family]:
        valid = VALID[scope]
        # A snippet valid in none of the wrappers chosen still runs, in its first.
        chosen = valid if wrappers is None else [w for w in valid if w in wrappers] or valid[:1]
        for wrapper in chosen:
            for kind in trackers:
                tracker = TRACKERS[kind]
                label = f"{name}.{wrapper}.{kind}"
                body = _objects(snippet, label, tracker)
                fn = f"case_{name}_{wrapper}_{kind}"
                out.append((label, _wrap(body, wrapper, fn)))
    return out


def program(families: str | list[str], **selection: tuple[str, ...]) -> str:
    """Return one program that runs every case of the families, each announced by its id.

    selection: ``wrappers`` and ``trackers`` to keep (default: all), as for cases().
    """
    parts = [PRELUDE]
    for family in [families] if isinstance(families, str) else families:
        for label, text in cases(family, **selection):
            parts.append(f"print('-- {label}')\n{text}")
    parts.append("gc.collect()\nprint('-- end')\n")
    return "".join(parts)


def main() -> None:
    """Write each family's program to the directory named on the command line (for debugging)."""
    import sys
    from pathlib import Path

    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for family in FAMILIES:
        (out / f"lifetime_{family}.py").write_text(program(family))


if __name__ == "__main__":
    main()
