def attempt(label, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except TypeError as exc:
        print(label, "->", exc)
    else:
        print(label, "-> ok")

def f(a, b):
    pass

def g(a, b=1, *, c):
    pass

def h(a, /, b):
    pass

def k(*, x, y):
    pass

def star(*args):
    pass

def kw(**kwargs):
    pass

def none():
    pass

attempt("missing one", f, 1)
attempt("missing two", f)
attempt("too many", f, 1, 2, 3)
attempt("too many with defaults", g, 1, 2, 3, c=1)
attempt("unexpected kw", f, 1, 2, z=3)
attempt("multiple values", f, 1, a=2)
attempt("missing kwonly", g, 1)
attempt("missing two kwonly", k)
attempt("posonly as kw", h, a=1, b=2)
attempt("posonly as kw 2", h, 1, a=1, b=2)
attempt("none given", none, 1)
attempt("none kw", none, x=1)
attempt("star kw", star, x=1)
attempt("kw positional", kw, 1)
attempt("ok", g, 1, c=2)
attempt("three missing", lambda a, b, c: 0)
attempt("kwonly given positionally", k, 1, 2)
