a, b = 1, 2
a, b = b, a
print(a, b)
first, *rest = [1, 2, 3, 4]
print(first, rest)
*init, last = "hello"
print(init, last)
x, *mid, y = range(6)
print(x, mid, y)
(p, q), [r, *s] = (1, 2), [3, 4, 5]
print(p, q, r, s)
for i, (c, *d) in enumerate(["ab", "cde"]):
    print(i, c, d)
a = b = c = [0]
print(a is c)
try:
    u, v = [1, 2, 3]
except ValueError as e:
    print(e)
try:
    u, v, w = [1, 2]
except ValueError as e:
    print(e)
try:
    u, *v, w = [1]
except ValueError as e:
    print(e)
try:
    u, v = 5
except TypeError as e:
    print(e)
d = {"k1": 1, "k2": 2}
k1, k2 = d
print(k1, k2)
obj = type("O", (), {})()
obj.a, obj.b = "AB"
lst = [0, 0, 0]
lst[0], lst[2] = 7, 9
print(obj.a, obj.b, lst)
[z] = [42]
print(z)
