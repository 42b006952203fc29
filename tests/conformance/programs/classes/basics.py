class Point:
    """A point."""
    count = 0

    def __init__(self, x, y):
        self.x = x
        self.y = y
        Point.count += 1

    def __repr__(self):
        return f"Point({self.x}, {self.y})"

    def __eq__(self, other):
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)

    __hash__ = None

    def norm2(self):
        return self.x ** 2 + self.y ** 2

p = Point(3, 4)
print(p, p.norm2(), Point.count, Point.__doc__)
print(p == Point(3, 4), p != Point(0, 0), Point.count)
print(Point.__name__, Point.__qualname__, Point.__module__)
print(sorted(k for k in vars(p)))
print(type(p) is Point, isinstance(p, object), Point.__mro__)
try:
    hash(p)
except TypeError as e:
    print(e)
class Empty:
    pass
e = Empty()
e.attr = 1
print(e.attr, Empty.__bases__, Empty.__dict__.get("__doc__"))
try:
    e.missing
except AttributeError as exc:
    print(exc)
