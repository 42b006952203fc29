"""Argument binding of guest functions: CPython's results and exact TypeError messages."""

from __future__ import annotations

import pytest

from pvm.bytecode.code import CO_NEWLOCALS, CO_OPTIMIZED, CO_VARARGS, CO_VARKEYWORDS
from pvm.vm.function import Function
from pvm.vm.interpreter import builtins_for

from .asm import assemble

# Host functions whose signatures the guest twins copy (named f in messages).


def f0():
    return dict(locals())


def f1(a):
    return dict(locals())


def f2(a, b):
    return dict(locals())


def f3(a, b=2):
    return dict(locals())


def f4(a, b=2, c=3):
    return dict(locals())


def f5(a, /, b):
    return dict(locals())


def f6(a, b, /):
    return dict(locals())


def f7(a, /, b, *, c):
    return dict(locals())


def f8(*, c):
    return dict(locals())


def f9(*, c, d=4):
    return dict(locals())


def f10(a, *args):
    return dict(locals())


def f11(a, **kw):
    return dict(locals())


def f12(a, /, **kw):
    return dict(locals())


def f13(a, b=2, *args, c, d=4, **kw):
    return dict(locals())


def f14(x, y, z, w):
    return dict(locals())


SIGNATURES = [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14]
for _f in SIGNATURES:
    _f.__qualname__ = _f.__name__ = "f"

CALLS = [
    ((), {}),
    ((1,), {}),
    ((1, 2), {}),
    ((1, 2, 3), {}),
    ((1, 2, 3, 4, 5), {}),
    ((), {"a": 1}),
    ((1,), {"a": 1}),
    ((1,), {"b": 2}),
    ((), {"a": 1, "b": 2}),
    ((1,), {"c": 3}),
    ((1, 2), {"c": 3}),
    ((1, 2, 3), {"c": 3}),
    ((), {"c": 3}),
    ((1,), {"z": 9}),
    ((1, 2), {"c": 3, "d": 5, "e": 6}),
]


def _guest_twin(host):
    """Make a guest Function with host's signature whose body returns its locals as a dict."""
    hc = host.__code__
    nargs = hc.co_argcount + hc.co_kwonlyargcount
    nargs += bool(hc.co_flags & CO_VARARGS) + bool(hc.co_flags & CO_VARKEYWORDS)
    names = hc.co_varnames[:nargs]
    instrs = []
    for i in range(nargs):
        instrs.append(("LOAD_FAST", i))
    instrs += [("LOAD_CONST", 1), ("BUILD_CONST_KEY_MAP", nargs), ("RETURN_VALUE", 0)]
    code = assemble(
        instrs,
        consts=(None, tuple(names)),
        varnames=names,
        argcount=hc.co_argcount,
        posonlyargcount=hc.co_posonlyargcount,
        kwonlyargcount=hc.co_kwonlyargcount,
        flags=CO_OPTIMIZED | CO_NEWLOCALS | (hc.co_flags & (CO_VARARGS | CO_VARKEYWORDS)),
        name="f",
    )
    g = {"__name__": "m"}
    return Function(code, g, builtins_for(g), host.__defaults__, host.__kwdefaults__)


def _outcome(fn, args, kwargs):
    try:
        return ("ok", fn(*args, **kwargs))
    except TypeError as e:
        return ("TypeError", str(e))


@pytest.mark.parametrize("host", SIGNATURES)
def test_binding_matches_cpython(host):
    guest = _guest_twin(host)
    for args, kwargs in CALLS:
        assert _outcome(guest, args, kwargs) == _outcome(host, args, kwargs), (args, kwargs)
