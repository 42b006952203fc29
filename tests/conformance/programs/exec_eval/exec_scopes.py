def f():
    exec("inner = 5")
    return locals().get("inner")
print(f())
g = {}
l = {}
exec("a = 1\nb = a + 1", g, l)
print(sorted(l), "a" in g)
exec("def h():\n    return 'h'", g, l)
print(l["h"]())
src = """
def outer():
    v = 1
    def inner():
        return v + 1
    return inner()
result = outer()
"""
ns = {}
exec(src, ns)
print(ns["result"])
class C:
    exec("attr = 'from exec'")
print(C.attr)
print(eval("(lambda: __name__)()", {"__name__": "custom"}))
print(exec("1+1"))
co = compile("yield_expr = [n for n in range(3)]", "s", "exec")
exec(co, ns)
print(ns["yield_expr"], co.co_filename)
import sys
exec("import sys as s2\nprint(s2 is sys)", {"sys": sys})
try:
    exec("raise ValueError('from exec')")
except ValueError as e:
    print("caught", e)
