def v(x):
    print("eval", x)
    return x

print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 > 1 > 0)
print(v(1) < v(2) < v(3))
print(v(3) < v(2) < v(1))
x = 5
print(0 <= x < 10, 0 <= x <= 4, x == 5 == 5.0, 1 != 2 != 1)
print(1 < 2 > 1.5 >= 1.5 <= 2)
a = [1]
b = [1]
print(a == b, a is b, a is not b, 1 in a in [a], 2 not in a)
print("abc" < "abd" < "b", (1, 2) < (1, 3), [1, 2] < [1, 2, 0])
print(None is None, None == 0, 0 == False == 0.0)
print(1 < 2 and 3 or 4, 0 or None or "last", 0 and 1, not 1 < 0)
try:
    print(1 < "a")
except TypeError as e:
    print(e)
try:
    print(1 < 2 < "x")
except TypeError as e:
    print(e)
print(float("nan") == float("nan"), float("inf") > 10**100)
