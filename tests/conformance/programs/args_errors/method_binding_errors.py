class C:
    def m(self, a):
        return a

    @classmethod
    def cm(cls, a):
        return a

    @staticmethod
    def sm(a):
        return a

def attempt(label, fn, *args, **kwargs):
    try:
        print(label, fn(*args, **kwargs))
    except TypeError as exc:
        print(label, "->", exc)

c = C()
attempt("method missing", c.m)
attempt("method too many", c.m, 1, 2)
attempt("unbound missing self", C.m)
attempt("classmethod", C.cm)
attempt("staticmethod", C.sm, 1, 2)
attempt("init args", C, 1)
class D:
    def __init__(self, x, *, y):
        self.x = x
attempt("init missing", D, 1)
attempt("init unexpected", D, 1, y=2, z=3)
attempt("call non-callable", 5)
attempt("star non-iterable", lambda *a: a, *[1])
try:
    print(*5)
except TypeError as exc:
    print(exc)
try:
    print(**[1])
except TypeError as exc:
    print(exc)
try:
    f = lambda **k: k
    f(**{"a": 1}, **{"a": 2})
except TypeError as exc:
    print(exc)
try:
    f = lambda **k: k
    f(**{1: 2})
except TypeError as exc:
    print(exc)
