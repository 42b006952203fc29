import sys
class A:
    def __init__(self):
        A()
try:
    A()
except RecursionError as e:
    print("init", e)
class B:
    def __getattr__(self, name):
        return getattr(self, name + "x")
try:
    B().y
except RecursionError as e:
    print("getattr", e)
def viasorted(n):
    return sorted([1, 2], key=lambda v: viasorted(n + 1))
try:
    viasorted(0)
except RecursionError as e:
    print("sorted", e)
sys.setrecursionlimit(100000)
def deep(n):
    return 0 if n == 0 else deep(n - 1) + 1
print(deep(50000))
def gen(n):
    if n:
        yield from gen(n - 1)
    yield n
print(sum(gen(400)))
class C:
    def __init__(self, n):
        self.c = C(n - 1) if n else None
C(1200)
print("deep init ok")
