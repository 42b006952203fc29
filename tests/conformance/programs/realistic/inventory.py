"""An event-driven inventory simulation using the standard library heavily."""
import heapq
import itertools
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from enum import Enum
from functools import total_ordering, reduce


class EventType(Enum):
    RESTOCK = "restock"
    ORDER = "order"
    AUDIT = "audit"


@total_ordering
@dataclass
class Event:
    time: int
    kind: EventType = field(compare=False)
    item: str = field(compare=False)
    qty: int = field(compare=False, default=0)
    seq: int = field(default_factory=itertools.count().__next__)

    def __lt__(self, other):
        return (self.time, self.seq) < (other.time, other.seq)


class OutOfStock(Exception):
    pass


class Warehouse:
    def __init__(self):
        self.stock = defaultdict(int)
        self.log = deque(maxlen=5)
        self.failed = Counter()

    def handle(self, ev):
        handler = getattr(self, f"on_{ev.kind.value}")
        try:
            handler(ev)
            self.log.append(f"t={ev.time} {ev.kind.name} {ev.item} {ev.qty}")
        except OutOfStock as e:
            self.failed[ev.item] += 1
            self.log.append(f"t={ev.time} FAILED {e}")

    def on_restock(self, ev):
        self.stock[ev.item] += ev.qty

    def on_order(self, ev):
        if self.stock[ev.item] < ev.qty:
            raise OutOfStock(f"{ev.item}: want {ev.qty}, have {self.stock[ev.item]}")
        self.stock[ev.item] -= ev.qty

    def on_audit(self, ev):
        total = reduce(lambda a, b: a + b, self.stock.values(), 0)
        self.log.append(f"audit total={total}")


events = []
items = ["apple", "pear", "plum"]
for t in range(30):
    item = items[t % 3]
    if t % 7 == 0:
        heapq.heappush(events, Event(t, EventType.RESTOCK, item, 5 + t % 4))
    elif t % 10 == 9:
        heapq.heappush(events, Event(t, EventType.AUDIT, "*"))
    else:
        heapq.heappush(events, Event(t, EventType.ORDER, item, 1 + t % 3))

w = Warehouse()
while events:
    w.handle(heapq.heappop(events))
print(dict(sorted(w.stock.items())))
print(w.failed.most_common())
print(list(w.log))
by_kind = itertools.groupby(sorted(["restock", "order", "order", "audit"]))
print([(k, len(list(g))) for k, g in by_kind])
