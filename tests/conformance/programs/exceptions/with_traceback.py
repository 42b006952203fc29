# with_traceback() and __traceback__ assignment with the tracebacks the guest sees.
import sys
import traceback


def f():
    raise ValueError("inner")


try:
    f()
except ValueError:
    tb = sys.exc_info()[2]
    print(type(tb).__name__, tb is sys.exception().__traceback__)
    try:
        raise KeyError("outer").with_traceback(tb)
    except KeyError as e:
        print(e.__traceback__.tb_next is tb, e.__traceback__ is tb)
        t, n = e.__traceback__, 0
        while t:
            n, t = n + 1, t.tb_next
        print("levels", n)
        traceback.print_exception(e)
        traceback.print_tb(e.__traceback__.tb_next)

e = IndexError()
print(e.with_traceback(None) is e, e.__traceback__)
try:
    e.with_traceback("no")
except TypeError as exc:
    print("TypeError:", exc)
try:
    f()
except ValueError as v:
    v.__traceback__ = None
    print(v.__traceback__)
    saved = v
try:
    raise saved
except ValueError as v:
    print([fs.lineno for fs in traceback.extract_tb(v.__traceback__)])


def g():
    try:
        f()
    except ValueError as err:
        raise RuntimeError("x").with_traceback(err.__traceback__)


g()
