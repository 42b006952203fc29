import sys

def measure():
    depth = 0
    def go():
        nonlocal depth
        depth += 1
        go()
    try:
        go()
    except RecursionError:
        return depth
d1 = measure()
d2 = measure()
print(d1 == d2, d1 > 900)

class Loop:
    def __getattr__(self, name):
        return getattr(self, "x" + name)
try:
    Loop().a
except RecursionError as e:
    print("getattr loop:", e)

def gen_recurse(n):
    yield from gen_recurse(n + 1)
try:
    next(gen_recurse(0))
except RecursionError as e:
    print("generator recursion:", type(e).__name__)

import json
nested = []
cur = nested
for _ in range(5000):
    cur.append([])
    cur = cur[0]
try:
    json.dumps(nested)
except RecursionError as e:
    print("json:", e)
print("alive")
