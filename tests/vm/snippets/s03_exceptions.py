def f():
    try:
        1 / 0
    except ZeroDivisionError as e:
        raise ValueError("bad") from e
try:
    f()
except ValueError as e:
    print(repr(e), repr(e.__cause__), e.__suppress_context__, repr(e.__context__))
def g():
    try:
        {}['k']
    except KeyError:
        raise TypeError("t")
try:
    g()
except TypeError as e:
    print(repr(e.__context__), e.__cause__)
def fin():
    try:
        return 1
    finally:
        print("finally")
print(fin())
def fin2():
    for i in range(3):
        try:
            if i == 1:
                break
        finally:
            print("f", i)
    return i
print(fin2())
def fin3():
    try:
        raise KeyError(1)
    finally:
        return "swallowed"
print(fin3())
import sys
try:
    raise IndexError
except IndexError:
    print(sys.exc_info()[0].__name__)
print(sys.exc_info())
class E(Exception):
    pass
try:
    try:
        raise E("x")
    except (KeyError, E) as e:
        print("got", e)
        raise
except E as e:
    print("again", e)
try:
    raise
except RuntimeError as e:
    print(e)
try:
    with open("/nonexistent") as fh:
        pass
except OSError as e:
    print(type(e).__name__, e.errno)
def gen_exc():
    try:
        yield 1
    except GeneratorExit:
        print("closing")
        raise
gg = gen_exc(); next(gg); gg.close()
try:
    assert 1 == 2, "msg"
except AssertionError as e:
    print("assert", e)
e = None
try:
    raise ExceptionGroup("eg", [ValueError(1), TypeError(2), ValueError(3)])
except* ValueError as eg:
    print("V", eg.exceptions)
except* TypeError as eg:
    print("T", eg.exceptions)
raise KeyError("final")
