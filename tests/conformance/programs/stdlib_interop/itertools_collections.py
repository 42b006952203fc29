import itertools as it
import collections
import collections.abc  # not only reachable through collections: CPython loads it at start-up only if site needs it

print(list(it.chain([1, 2], "ab")), list(it.islice(it.count(5, 2), 4)))
print(list(it.accumulate([1, 2, 3, 4], lambda a, b: a * b)))
print([(k, list(g)) for k, g in it.groupby("aaabccd")])
print(list(it.permutations("abc", 2))[:4], len(list(it.combinations(range(5), 3))))
print(list(it.product([0, 1], repeat=2)), list(it.starmap(pow, [(2, 3), (3, 2)])))
print(list(it.takewhile(lambda x: x < 3, range(10))), list(it.dropwhile(lambda x: x < 8, range(10))))
print(list(it.filterfalse(lambda x: x % 2, range(6))), list(it.zip_longest("ab", "xyz", fillvalue="-")))
print(list(it.compress("abcdef", [1, 0, 1, 0, 1, 0])), list(it.pairwise([1, 2, 3])))
a, b = it.tee(iter([1, 2, 3]))
print(list(a), list(b))

c = collections.Counter("mississippi")
print(c.most_common(2), c["s"], sorted(c.elements())[:3])
dd = collections.defaultdict(list)
for k, v in [("a", 1), ("b", 2), ("a", 3)]:
    dd[k].append(v)
print(dict(dd))
dq = collections.deque(range(5), maxlen=4)
dq.rotate(1); dq.appendleft(-1)
print(dq)
Pt = collections.namedtuple("Pt", "x y", defaults=[0])
p = Pt(1)
print(p, p._replace(y=5), p._asdict(), Pt._fields)
od = collections.OrderedDict.fromkeys("cab")
od.move_to_end("c")
print(list(od))
cm = collections.ChainMap({"a": 1}, {"a": 2, "b": 3})
print(cm["a"], cm["b"], len(cm))
class MyDict(collections.UserDict):
    def __setitem__(self, k, v):
        super().__setitem__(k, v * 2)
md = MyDict(x=1)
print(md.data)
class MyMap(collections.abc.Mapping):
    def __getitem__(self, k): return k * 2
    def __iter__(self): return iter([1, 2])
    def __len__(self): return 2
print(dict(MyMap()), list(MyMap().items()))
