import pickle, copy, abc, dataclasses, functools, itertools, operator, collections, enum, json, contextlib, weakref
class Pt:
    def __init__(self, x, y): self.x, self.y = x, y
    def __eq__(self, o): return (self.x, self.y) == (o.x, o.y)
    def __repr__(self): return f"Pt({self.x}, {self.y})"
p = Pt(1, [2])
print(pickle.loads(pickle.dumps(p)), copy.deepcopy(p) == p, copy.copy(p).y is p.y)
def top(): return "top"
print(pickle.loads(pickle.dumps(top))())
class Base(abc.ABC):
    @abc.abstractmethod
    def run(self): ...
try:
    Base()
except TypeError as e:
    print(e)
class Impl(Base):
    def run(self): return "ran"
print(Impl().run(), Base.run.__isabstractmethod__)
@dataclasses.dataclass(order=True, frozen=True)
class DC:
    a: int
    b: list = dataclasses.field(default_factory=lambda: [1], compare=False)
print(DC(1), DC(1) < DC(2), dataclasses.asdict(DC(3)))
try:
    DC(1).a = 2
except dataclasses.FrozenInstanceError as e:
    print("frozen")
class Cached:
    @functools.cached_property
    def val(self):
        print("computing")
        return 42
c = Cached(); print(c.val, c.val)
class LM:
    @functools.lru_cache
    def sq(self, n): return n * n
print(LM().sq(4))
print(list(itertools.accumulate([1, 2, 3], lambda a, b: a * b)), sorted([(1, 'b'), (1, 'a')], key=operator.itemgetter(1)))
dd = collections.defaultdict(lambda: "missing"); print(dd["x"])
class Shape(enum.Enum):
    SQ = enum.auto()
    CI = enum.auto()
    def describe(self): return self.name.lower()
print(Shape.SQ.describe(), Shape["CI"].value)
class Flag(enum.IntFlag):
    A = 1
    B = 2
print(Flag.A | Flag.B)
print(json.dumps({"p": Pt(1, 2)}, default=lambda o: o.__dict__), json.loads('{"a": 1}', object_hook=lambda d: sorted(d)))
@contextlib.contextmanager
def cm(): yield "v"
with cm() as v: print(v)
class WR: pass
o = WR(); r = weakref.ref(o); del o; print(r())
fs = functools.partial(pow, 2); print(fs(10))
@functools.wraps(top)
def wrapper(): return top()
print(wrapper.__name__, wrapper.__wrapped__ is top)
print(functools.reduce(operator.add, map(lambda x: x * 2, filter(lambda x: x % 2, range(10)))))
class Cmp:
    def __init__(self, v): self.v = v
    def __lt__(self, o): return self.v < o.v
print([c.v for c in sorted([Cmp(3), Cmp(1), Cmp(2)])], max(Cmp(5), Cmp(9)).v)
import heapq
h = []; [heapq.heappush(h, (v, Cmp(v))) for v in (3, 1, 2)]; print(heapq.heappop(h)[0])
class It:
    def __init__(self): self.i = 0
    def __iter__(self): return self
    def __next__(self):
        self.i += 1
        if self.i > 3: raise StopIteration
        return self.i
print(list(It()), sum(It()), [x for x in It()])
class Ctx:
    def __enter__(self): return self
    def __exit__(self, *a): return True
with Ctx():
    raise ValueError
print("suppressed")
class Num:
    def __init__(self, v): self.v = v
    def __add__(self, o): return Num(self.v + o)
    def __radd__(self, o): return Num(self.v + o)
    def __iadd__(self, o): self.v += o * 10; return self
    def __bool__(self): return self.v > 0
    def __len__(self): return 3
    def __getitem__(self, i): return i * 2
    def __contains__(self, x): return x == 7
n = Num(1); n += 1; print((n + 1).v, (1 + n).v, bool(Num(0)), len(n), n[4], 7 in n, 8 in n)
