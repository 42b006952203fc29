l = [3, 1, 2]
l.append(4); l.extend([5]); l.insert(0, 0); l.remove(3)
print(l, l.pop(), l.index(2), l.count(1), sorted(l, reverse=True))
l.sort(key=lambda v: -v); print(l); l.reverse(); print(l)
d = {"b": 1, "a": 2}
d.update(c=3); d.setdefault("d", 4)
print(d, list(d.keys()), list(d.values()), d.get("z", "none"), d.pop("b"), d)
print({**d, "e": 5} | {"f": 6}, dict(zip("xy", [1, 2])))
s = {1, 2, 3}
print(s | {4}, s & {2, 3, 9}, s - {1}, s ^ {3, 4}, {1, 2} <= s)
s.add(9); s.discard(1)
print(sorted(s))
t = (1, 2, 2, 3)
print(t.count(2), t.index(3), t * 2, len(t), min(t), max(t), sum(t))
nested = {"k": [1, {"n": (2, 3)}]}
print(nested["k"][1]["n"][1])
print(list(range(0, 10, 3)), list(range(5, 0, -2)), range(3)[-1], 4 in range(5))
print(list(map(str, [1, 2])), list(filter(None, [0, 1, "", "a"])), list(enumerate("ab")))
print(sorted({"b": 1, "a": 2}.items()), [x for x in reversed([1, 2, 3])])
