from dataclasses import dataclass
from enum import Enum

class Color(Enum):
    RED = 1
    GREEN = 2

@dataclass
class Point:
    x: int
    y: int

class Circle:
    __match_args__ = ("center", "r")
    def __init__(self, center, r):
        self.center, self.r = center, r

def where(shape):
    match shape:
        case Point(x=0, y=0):
            return "origin"
        case Point(0, y):
            return f"on y axis at {y}"
        case Point(x, 0) if x > 0:
            return f"positive x axis {x}"
        case Circle(Point(x, y), r=1):
            return f"unit circle at {x},{y}"
        case Circle(c, r):
            return f"circle r={r}"
        case Color.RED:
            return "red"
        case Color():
            return "some color"
        case int() | float() as num:
            return f"number {num}"
        case {"k": [1, *_] | (2, *_)}:
            return "nested or"
        case _:
            return "?"

for s in [Point(0, 0), Point(0, 5), Point(3, 0), Point(-3, 0), Circle(Point(1, 2), 1),
          Circle(Point(0, 0), 4), Color.RED, Color.GREEN, 7, 2.5, {"k": (2, 9)}, "x"]:
    print(where(s))
try:
    match Point(1, 2):
        case Circle(a, b, c):
            pass
except TypeError as e:
    print(e)
class NoArgs:
    pass
try:
    match NoArgs():
        case NoArgs(1):
            pass
except TypeError as e:
    print(e)
