class Truthy:
    def __init__(self, v):
        self.v = v
    def __bool__(self):
        print("bool called", self.v)
        return self.v

print(Truthy(True) and "yes")
print(Truthy(False) or "fallback")
print(not Truthy(False))
if Truthy(True):
    print("if ok")
x = Truthy(False) if False else 3
print(x)
class LenOnly:
    def __len__(self):
        return 0
print(bool(LenOnly()), "empty" if not LenOnly() else "full")
class BadBool:
    def __bool__(self):
        return 1
try:
    bool(BadBool())
except TypeError as e:
    print(e)
print([] or {} or () or "" or 0 or 0.0 or None)
print(1 and 2 and 3, 1 and 0 and 3)
print(bool(0j), bool(" "), bool([0]))
while Truthy(False):
    pass
print(all([]), any([]), all([1, 0]), any([0, 2]))
