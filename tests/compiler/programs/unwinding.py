# ruff: noqa
import sys


class CM:
    def __init__(self, name, swallow=False):
        self.name, self.swallow = name, swallow

    def __enter__(self):
        print("enter", self.name)
        return self

    def __exit__(self, t, v, tb):
        print(
            "exit",
            self.name,
            t.__name__ if t else None,
            sys.exc_info()[0].__name__ if sys.exc_info()[0] else None,
        )
        return self.swallow


def a(n):
    for i in range(n):
        try:
            with CM(f"w{i}"):
                try:
                    if i == 0:
                        continue
                    if i == 1:
                        raise ValueError("v")
                    if i == 2:
                        break
                finally:
                    print("inner finally", i, sys.exc_info()[0])
        except ValueError as e:
            print("handled", e, sys.exc_info()[0].__name__)
            try:
                return "ret-from-except"
            finally:
                print("finally in except", sys.exc_info()[0])
        finally:
            print("outer finally", i)
    return "end"


print(a(3))
print(a(1))


def b():
    try:
        try:
            raise KeyError("k")
        except KeyError as e:
            raise TypeError("t") from e
    except TypeError as e:
        print(repr(e), repr(e.__cause__), repr(e.__context__), e.__suppress_context__)
    try:
        try:
            raise KeyError("k")
        finally:
            print("exc in finally:", sys.exc_info()[0].__name__)
    except KeyError:
        pass
    print("after", sys.exc_info())


b()


def c():
    for x in range(3):
        with CM(f"s{x}", swallow=True):
            if x == 1:
                raise RuntimeError("swallowed")
            if x == 2:
                return x


print(c())


def g():
    with CM("gen"):
        try:
            yield 1
            yield 2
        finally:
            print("gen finally")


it = g()
next(it)
it.close()
import gc

gc.collect()


def nested_except():
    try:
        raise ValueError(1)
    except ValueError as e1:
        try:
            raise TypeError(2)
        except TypeError as e2:
            print(sys.exc_info()[1], e2.__context__)
        print(sys.exc_info()[1])
    print(sys.exc_info()[1])
    try:
        e1
    except NameError as ne:
        print("NameError:", ne)
    except UnboundLocalError as ue:
        print("ULE:", ue)


nested_except()


def while_else(n):
    while n:
        n -= 1
        try:
            if n == 5:
                break
        finally:
            pass
    else:
        return "exhausted"
    return "broke"


print(while_else(3), while_else(10))


def finally_overrides():
    for i in range(2):
        try:
            raise ValueError
        finally:
            break
    return "swallowed by break"


print(finally_overrides())


def ret_in_finally_in_loop():
    for i in range(3):
        try:
            return i
        finally:
            if i < 2:
                continue
    return "never"


print(ret_in_finally_in_loop())
try:
    raise ExceptionGroup("eg", [ValueError(1), ValueError(2), TypeError(3)])
except* ValueError as e:
    print("V", e.exceptions)
    try:
        raise KeyError("inner")
    except KeyError:
        print("inner handled")
except* TypeError as e:
    print("T", e.exceptions)
