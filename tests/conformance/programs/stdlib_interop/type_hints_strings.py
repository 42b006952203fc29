# typing.get_type_hints / inspect.get_annotations(eval_str=True) evaluate annotation strings on pvm.
from __future__ import annotations
import typing, inspect, dataclasses
class Node:
    def __init__(self, nxt: Node | None, vals: list[int]) -> None: ...
print(typing.get_type_hints(Node.__init__))
@dataclasses.dataclass
class P:
    x: int
    y: "list[P]" = dataclasses.field(default_factory=list)
print(typing.get_type_hints(P))
print(inspect.get_annotations(Node.__init__, eval_str=True))
def bad(a: "1 +") -> None: ...
try:
    typing.get_type_hints(bad)
except SyntaxError as e:
    print("SyntaxError", e)
def undefined(a: "Nope") -> None: ...
try:
    typing.get_type_hints(undefined)
except NameError as e:
    print("NameError", e)
print(typing.ForwardRef("int")._evaluate(globals(), None, frozenset()))
