import sys
sys.setrecursionlimit(100_000)
def gen_depth(n):
    if n:
        yield from gen_depth(n - 1)
    else:
        yield "bottom"
print(next(gen_depth(3000)))
def deep_exc(n):
    if n == 0:
        raise ValueError("deep")
    try:
        deep_exc(n - 1)
    finally:
        pass
try:
    deep_exc(20000)
except ValueError as e:
    print("caught", e)
import functools
@functools.lru_cache(maxsize=None)
def count(n):
    return 0 if n == 0 else 1 + count(n - 1)
print(count(500))
