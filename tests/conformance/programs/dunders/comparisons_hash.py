import functools

@functools.total_ordering
class Version:
    def __init__(self, *parts):
        self.parts = parts
    def __eq__(self, o):
        return self.parts == o.parts
    def __lt__(self, o):
        return self.parts < o.parts
    def __hash__(self):
        return hash(self.parts)
    def __repr__(self):
        return "v" + ".".join(map(str, self.parts))

vs = [Version(1, 2), Version(1, 0), Version(2,), Version(1, 2, 1)]
print(sorted(vs), max(vs), min(vs))
print(Version(1) <= Version(1), Version(2) > Version(1), Version(1) >= Version(3))
print(len({Version(1), Version(1), Version(2)}))

class Rich:
    def __lt__(self, o):
        print("Rich.__lt__")
        return NotImplemented
    def __gt__(self, o):
        print("Rich.__gt__")
        return True
class Other:
    def __gt__(self, o):
        print("Other.__gt__")
        return NotImplemented
    def __lt__(self, o):
        print("Other.__lt__")
        return "reflected"
for pair in [(Rich(), Other()), (Other(), Rich())]:
    try:
        print(pair[0] < pair[1])
    except TypeError as e:
        print(e)
    try:
        print(pair[0] > pair[1])
    except TypeError as e:
        print(e)
class Eq:
    def __eq__(self, o):
        return "eqres"
print(Eq() == 1, 1 == Eq(), Eq() != 1)
