import dataclasses
from dataclasses import dataclass, field
import enum

@dataclass(order=True, frozen=True)
class Item:
    priority: int
    name: str = field(compare=False)
    tags: tuple = ()

@dataclass
class Inventory:
    items: list = field(default_factory=list)
    def add(self, item):
        self.items.append(item)
    def __post_init__(self):
        print("post init")

a, b = Item(2, "b"), Item(1, "a", ("x",))
print(a, sorted([a, b]), a == Item(2, "zzz"))
try:
    a.priority = 5
except dataclasses.FrozenInstanceError as e:
    print("frozen:", e)
inv = Inventory()
inv.add(a)
print(inv, dataclasses.asdict(inv), dataclasses.astuple(b))
print(dataclasses.replace(a, priority=9))
print([f.name for f in dataclasses.fields(Item)])

class Color(enum.Enum):
    RED = 1
    GREEN = 2
    BLUE = enum.auto()
    def describe(self):
        return f"{self.name}={self.value}"
class Perm(enum.IntFlag):
    R = 4
    W = 2
    X = 1
print(Color.RED, repr(Color.GREEN), Color(3), Color["BLUE"].describe(), list(Color))
print(Perm.R | Perm.W, int(Perm.R | Perm.X), Perm.W in (Perm.R | Perm.W))
class Status(str, enum.Enum):
    OK = "ok"
print(Status.OK == "ok", Status("ok").name, len(Color))
try:
    Color(7)
except ValueError as e:
    print(e)
