def attempt(label, src):
    try:
        exec(src, {})
        print(label, "ok")
    except Exception as e:
        print(label, type(e).__name__, e)

attempt("mro", "class A: pass\nclass B(A): pass\nclass C(A, B): pass")
attempt("duplicate base", "class A: pass\nclass B(A, A): pass")
attempt("non-class base", "class B(1): pass")
attempt("slots conflict", "class A:\n    __slots__ = ('x',)\n    x = 1")
attempt("bad slots", "class A:\n    __slots__ = (1,)")
attempt("final bool", "class B(bool): pass")
attempt("init returns", "class A:\n    def __init__(self):\n        return 1\nA()")
attempt("abstract", "import abc\nclass A(abc.ABC):\n    @abc.abstractmethod\n    def f(self): ...\nA()")
attempt("super no args in lambda", "class A:\n    f = lambda self: super()\nA().f()")
attempt("metaclass not callable", "class A(metaclass=5): pass")
attempt("init_subclass kw", "class A: pass\nclass B(A, flag=1): pass")
attempt("layout conflict", "class B(int, str): pass")
attempt("new returns other", "class A:\n    def __new__(cls): return 5\nprint(A())")
attempt("class getitem missing", "class A: pass\nA[int]")
attempt("call instance", "class A: pass\nA()()")
attempt("nested qualname", "def f():\n    class L: pass\n    return L\nprint(f().__qualname__)")
