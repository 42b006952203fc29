"""sys.getsizeof of functions, frames, generators, super, tracebacks and code, as CPython's."""

import sys


def func():
    return sys._getframe()


def gen():
    yield 1


def with_locals(a, b):
    c = a + b  # noqa: F841 - a local of the frame
    return sys._getframe()


try:
    raise ValueError
except ValueError:
    tb = sys.exc_info()[2]

print("function", sys.getsizeof(func))
print("frame", sys.getsizeof(func()), sys.getsizeof(with_locals(1, 2)))
print("generator", sys.getsizeof(gen()))
print("super", sys.getsizeof(super(int)))
print("traceback", sys.getsizeof(tb))
print("code", sys.getsizeof(func.__code__) >= 144)
print("no __dict__ on super:", hasattr(super(int), "__dict__"))
