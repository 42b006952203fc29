import sys

print(sys.exc_info())
try:
    raise ValueError("outer")
except ValueError:
    print(sys.exc_info()[0].__name__, sys.exception())
    try:
        raise KeyError("inner")
    except KeyError:
        print(sys.exc_info()[0].__name__, repr(sys.exception()))
    print(sys.exc_info()[0].__name__, sys.exception())
print(sys.exc_info(), sys.exception())

def in_func():
    return sys.exc_info()[1]
try:
    raise TypeError("t")
except TypeError:
    print(in_func())

def gen():
    try:
        raise IndexError("in gen")
    except IndexError:
        yield sys.exception()
        yield sys.exception()
g = gen()
print(repr(next(g)))
print(repr(sys.exception()))
print(repr(next(g)))
try:
    raise ValueError(1)
except ValueError as e:
    tb = e.__traceback__
    print(type(tb).__name__, tb.tb_lineno, tb.tb_frame.f_code.co_name)
