print("before")
code = "x = (1,\n  2 +\n"
try:
    exec(code)
except SyntaxError as e:
    print(type(e).__name__, e.msg, e.lineno)
exec("def f(:\n  pass\n")
