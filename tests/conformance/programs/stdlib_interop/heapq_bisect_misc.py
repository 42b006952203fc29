import heapq, bisect, operator, copy, pickle, re, string, textwrap, math, statistics, fractions, decimal

class Task:
    def __init__(self, p, n):
        self.p, self.n = p, n
    def __lt__(self, o):
        return self.p < o.p
    def __repr__(self):
        return f"Task({self.p},{self.n})"
h = []
for t in [Task(3, "c"), Task(1, "a"), Task(2, "b")]:
    heapq.heappush(h, t)
print([heapq.heappop(h) for _ in range(3)])
print(heapq.nlargest(2, [5, 1, 8, 3], key=lambda v: -v))
lst = [1, 3, 5, 7]
bisect.insort(lst, 4)
print(lst, bisect.bisect_left(lst, 5))
print(sorted([("b", 2), ("a", 2), ("c", 1)], key=operator.itemgetter(1, 0)))
getx = operator.attrgetter("p")
print(getx(Task(9, "z")), operator.methodcaller("upper")("abc"))
class Node:
    def __init__(self, v, kids=()):
        self.v, self.kids = v, list(kids)
    def __repr__(self):
        return f"Node({self.v}, {self.kids})"
n = Node(1, [Node(2)])
n2 = copy.deepcopy(n)
n2.kids[0].v = 99
print(n, n2, copy.copy(n).kids is n.kids)
print(re.sub(r"(\d+)", lambda m: str(int(m.group(1)) * 2), "a1b22c333"))
print(string.Template("$who likes $what").substitute(who="tim", what="pie"))
print(math.gcd(12, 18), statistics.mean([1, 2, 3, 4]), fractions.Fraction(3, 9), decimal.Decimal("1.10") + decimal.Decimal("2.2"))
print(textwrap.fill("the quick brown fox jumps over the lazy dog", 15))
