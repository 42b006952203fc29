def show(*args, **kwargs):
    print(args, sorted(kwargs.items()))

show()
show(1, 2)
show(*(1, 2), *[3], 4)
show(a=1, **{"b": 2}, **{"c": 3})
show(1, *range(3), x=1, *[9], **{"y": 2})
d = {"sep": "-", "end": "!\n"}
print("a", "b", **d)
args = [1, 2, 3]
print(*args, sep=", ")
f = show
f(*"abc", **dict(k="v"))
print((lambda *a, **k: (a, k))(1, k=2))
class C:
    def __call__(self, *a):
        return sum(a)
print(C()(1, 2, 3))
print(int("10", base=2), int("ff", 16))
print(sorted([3, 1, 2], reverse=True))
