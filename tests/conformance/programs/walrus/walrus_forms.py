data = [1, 5, 2, 8, 3]
if (n := len(data)) > 3:
    print("long list", n)
while (item := data.pop()) != 2:
    print("popped", item)
print(data)
print([y := 5, y ** 2])
def f(x):
    return (y := x * 2) + y
print(f(3))
values = [v for x in range(5) if (v := x * 3) % 2 == 0]
print(values, v)
import re
if m := re.match(r"(\w+)@(\w+)", "user@host"):
    print(m.group(1), m.group(2))
print((z := 10), z)
def scope():
    [k := i for i in range(3)]
    return k
print(scope())
lines = iter(["a", "b", ""])
while (line := next(lines)):
    print("line", line)
print(any((hit := c) == "x" for c in "abxd"), hit)
