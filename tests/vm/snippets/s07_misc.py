import sys
def rec(n):
    return rec(n + 1)
try:
    rec(0)
except RecursionError as e:
    print("RecursionError", e)
sys.setrecursionlimit(100000)
def deep(n):
    return 0 if n == 0 else deep(n - 1) + 1
print(deep(50000))
match [1, 2, 3]:
    case [1, *rest]:
        print("rest", rest)
match {'k': 1, 'z': 2}:
    case {'k': v, **others}:
        print(v, others)
class Pt:
    __match_args__ = ('x', 'y')
    def __init__(self, x, y): self.x, self.y = x, y
match Pt(1, 2):
    case Pt(1, y=yy):
        print("pt", yy)
match 5:
    case int(n) if n > 3:
        print("big", n)
    case _:
        print("other")
with open(__file__ if False else '/dev/null') as f:
    print(f.read())
import json
print(json.dumps({'a': object()}, default=lambda o: 'obj'))
import functools
@functools.lru_cache(maxsize=None)
def fib(n): return n if n < 2 else fib(n-1) + fib(n-2)
print(fib(80))
print(functools.reduce(lambda a, b: a * b, range(1, 6)))
p = functools.partial(lambda a, b: a - b, 10)
print(p(3))
print((x := 5), x)
print(globals()['x'], 'x' in dir())
def lo():
    q = 1
    return locals()
print(lo())
print(eval('1 + 2'), exec('zz = 3') or zz)
print(type(lambda: 0).__name__)
