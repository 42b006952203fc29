print(len("abc"))
def len(x):
    return 99
print(len("abc"))
del len
print(len("abc"))
import builtins
print(builtins.len is len)
def f():
    return max([1, 2])
max = lambda l: "shadowed"
print(f())
del max
print(f())
try:
    undefined_name_xyz
except NameError as e:
    print(e)
def g():
    return undefined_global
try:
    g()
except NameError as e:
    print(e)
print(__name__)
