ns = {}
exec("x = 1\ndef f(y):\n    return x + y\n", ns)
print(ns["x"], ns["f"](10), sorted(k for k in ns if k != "__builtins__"))
print(eval("x * 2 + 1", ns), eval("[i for i in range(3)]"))
print(eval("a + b", {"a": 1}, {"b": 2}))
code = compile("z = 5\nprint('compiled ran', z)", "<mycode>", "exec")
exec(code)
print(z)
expr = compile("3 ** 4", "<expr>", "eval")
print(eval(expr), type(code).__name__ == type(expr).__name__)
single = compile("1 + 1", "<single>", "single")
exec(single)
def scope():
    local_v = 3
    return eval("local_v + 1")
print(scope())
g = {"__builtins__": {"len": len}}
print(eval("len('abc')", g))
try:
    eval("print('x')", g)
except NameError as e:
    print(e)
try:
    eval("1 +")
except SyntaxError as e:
    print(type(e).__name__, e.msg, e.filename, e.lineno)
try:
    exec("return 5")
except SyntaxError as e:
    print(e.msg, e.lineno, e.offset)
exec("class K:\n    v = 9\n")
print(K.v, K.__module__)
print(eval("__name__"), eval("lambda q: q * 2")(21))
