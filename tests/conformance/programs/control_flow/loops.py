for i in range(3):
    for j in range(3):
        if j == 2:
            break
        if i == j:
            continue
        print(i, j)
    else:
        print("inner no break")
n = 0
while True:
    n += 1
    if n > 4:
        break
print(n)
i = 10
while i:
    i -= 3
    if i < 0:
        break
else:
    print("unreached")
print(i)
for ch in "abc":
    pass
print(ch)
for _ in []:
    never = 1
print("never" in globals())
x = 0
while x < 3: x += 1
print(x)
for i, v in enumerate(reversed(range(3)), start=1):
    print(i, v, end="; ")
print()
for a, b in zip(range(3), "xyz"):
    print(a, b, sep="=", end=" ")
print()
