import ast
tree = ast.parse("print('from ast', 6 * 7)")
exec(compile(tree, "<ast>", "exec"))
e = ast.parse("40 + 2", mode="eval")
print(eval(compile(e, "<ast-eval>", "eval")))
for bad in ["def f(:", "x = = 1", "return 1", "yield 2", "break", "nonlocal q", "f(**a, *b)"]:
    try:
        compile(bad, "<bad>", "exec")
        print("compiled", bad)
    except SyntaxError as err:
        print(repr(bad), "->", err.msg, err.lineno, err.offset)
c = compile("a = 1", "<f>", "exec", dont_inherit=True)
print(c.co_name, c.co_filename)
print(eval(compile("x", "<x>", "eval"), {"x": "value"}))
try:
    compile("1", "<f>", "bogus")
except ValueError as err:
    print(err)
print(compile("pass", "f", "exec", ast.PyCF_ONLY_AST).__class__.__name__)
