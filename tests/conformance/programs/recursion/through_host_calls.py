import sys
sys.setrecursionlimit(10_000)

class Chain:
    def __init__(self, n):
        self.rest = Chain(n - 1) if n else None

    def __len__(self):
        return 1 + (len(self.rest) if self.rest is not None else 0)

    def __repr__(self):
        return "C" if self.rest is None else "C>" + repr(self.rest)[:3]

class Caller:
    def __call__(self, n):
        return 0 if n == 0 else 1 + self(n - 1)

class Prop:
    def __init__(self, n):
        self.n = n
    @property
    def depth(self):
        return 0 if self.n == 0 else 1 + Prop(self.n - 1).depth

def via_map(n):
    return 0 if n == 0 else 1 + sum(map(via_map, [n - 1]))

def via_reduce(n):
    # Each level goes guest -> host functools.reduce() -> guest lambda -> guest.
    import functools
    return 0 if n == 0 else functools.reduce(lambda acc, v: acc + via_reduce(v), [n - 1], 1)

print(len(Chain(2000)), repr(Chain(5)))
print(Caller()(2000))
print(Prop(1500).depth)
print(via_map(1500))
print(via_reduce(1000))
