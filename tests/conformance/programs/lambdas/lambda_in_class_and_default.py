class Sorter:
    key = staticmethod(lambda s: s[::-1])
    def sort(self, items):
        return sorted(items, key=self.key)

print(Sorter().sort(["abc", "zza", "bcd"]))
cond = lambda x: "neg" if x < 0 else ("zero" if x == 0 else "pos")
print([cond(v) for v in (-2, 0, 3)])
nested_default = lambda x, f=lambda y: y * 3: f(x)
print(nested_default(4))
print((lambda: (yield))) if False else print("no gen lambda")
gl = lambda: (yield 1)
g = gl()
print(next(g), type(g).__name__)
try:
    (lambda x: x)()
except TypeError as e:
    print(e)
