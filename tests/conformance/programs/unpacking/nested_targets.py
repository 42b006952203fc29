data = [("a", (1, 2)), ("b", (3, 4))]
for name, (x, y) in data:
    print(name, x + y)
((a, b), c), d = ((1, 2), 3), 4
print(a, b, c, d)
head, *(m1, m2) = [1, 2, 3]
print(head, m1, m2)
[a, [b, [c]]] = [1, [2, [3]]]
print(a, b, c)
pairs = {1: "one", 2: "two"}
for k, v in pairs.items():
    print(k, v)
i = 0
items = [0, 0]
i, items[i] = 1, 5
print(i, items)
x = [1, 2, 3]
x[0], x[1:] = "a", "bc"
print(x)
class A: pass
o = A()
o.p, (o.q, o.r) = 1, (2, 3)
print(o.p, o.q, o.r)
