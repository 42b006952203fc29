class CM:
    def __init__(self, name, suppress=False):
        self.name, self.suppress = name, suppress
    def __enter__(self):
        print("enter", self.name)
        return self.name
    def __exit__(self, t, v, tb):
        print("exit", self.name, t.__name__ if t else None, v)
        return self.suppress
with CM("a") as a, CM("b") as b:
    print("body", a, b)
with CM("s", True):
    raise KeyError("x")
print("after suppress")
try:
    with CM("n"):
        raise ValueError("v")
except ValueError as e:
    print("caught", e)
def f():
    with CM("r"):
        return "ret"
print(f())
def g():
    for i in range(3):
        with CM(str(i)):
            if i == 1:
                continue
            if i == 2:
                break
g()
import contextlib
@contextlib.contextmanager
def cm():
    print("setup")
    try:
        yield 5
    except ZeroDivisionError:
        print("handled in cm")
    finally:
        print("teardown")
with cm() as v:
    print(v)
    1 / 0
print("ok")
with contextlib.suppress(KeyError):
    {}['x']
with contextlib.ExitStack() as st:
    st.callback(print, "callback")
try:
    with 5:
        pass
except TypeError as e:
    print(e)
def h():
    try:
        return 1
    finally:
        try:
            print("inner")
        finally:
            print("outer")
print(h())
def k():
    for i in range(5):
        try:
            continue
        finally:
            if i == 3:
                return i
print(k())
