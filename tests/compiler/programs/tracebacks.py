# ruff: noqa
def f(x):
    return x.foo + 1


def g(d):
    return d["a"]["b"] * 2


class C:
    def m(self):
        return [1 / 0 for _ in range(2)]


import sys

for fn, arg in [(f, 1), (g, {"a": {}}), (lambda _: C().m(), None), (lambda q: q(1, 2), len)]:
    try:
        fn(arg)
    except Exception:
        import traceback

        traceback.print_exc(file=sys.stdout)


def deep():
    with open("/nonexistent/x") as fh:
        pass


try:
    deep()
except OSError as e:
    print(type(e).__name__)


def r():
    try:
        raise ValueError("a")
    finally:
        print("in finally")


r()
