class CM:
    def __init__(self, name, suppress=False):
        self.name, self.suppress = name, suppress
    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()
    def __exit__(self, et, ev, tb):
        print("exit", self.name, et.__name__ if et else None, ev)
        return self.suppress

with CM("a") as a, CM("b") as b:
    print("body", a, b)

with CM("outer", suppress=True), CM("inner"):
    raise ValueError("boom")
print("after suppression")

with (CM("p1") as x,
      CM("p2") as y):
    print("parenthesized", x, y)

try:
    with CM("c"), CM("d", suppress=True), CM("e"):
        raise KeyError("k")
    print("d suppressed")
except KeyError:
    print("not reached")

def ret():
    with CM("r"):
        return "returned"
print(ret())
for i in range(3):
    with CM(f"loop{i}"):
        if i == 1:
            continue
        if i == 2:
            break
class BadEnter:
    def __enter__(self):
        raise RuntimeError("enter failed")
    def __exit__(self, *a):
        print("never")
try:
    with CM("ok"), BadEnter():
        pass
except RuntimeError as e:
    print(e)
try:
    with 5:
        pass
except TypeError as e:
    print(e)
