class Seq:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(range(self.n))[i]
        if i >= self.n:
            raise IndexError(i)
        return i * i
    def __contains__(self, v):
        print("contains", v)
        return v == 4

s = Seq(5)
print(len(s), s[2], s[1:4], list(s), 4 in s, 5 in s, 3 not in s)
for x in s:
    print(x, end=" ")
print()

class Store:
    def __init__(self):
        self.d = {}
    def __setitem__(self, k, v):
        print("set", k, v)
        self.d[k] = v
    def __getitem__(self, k):
        return self.d[k]
    def __delitem__(self, k):
        print("del", k)
        del self.d[k]
    def __iter__(self):
        return iter(sorted(self.d))
st = Store()
st["a"] = 1
st["b"] = "second"
st["a"] += 5
print(st["a"], list(st))
del st["a"]
print(list(st))

class It:
    def __init__(self):
        self.i = 0
    def __iter__(self):
        return self
    def __next__(self):
        self.i += 1
        if self.i > 3:
            raise StopIteration
        return self.i
print(list(It()), sum(It()), [*It()], dict.fromkeys(It()))
class Rev:
    def __reversed__(self):
        return iter("cba")
print(list(reversed(Rev())))
