def read(lines):
    for line in lines:
        yield line.strip()

def nonblank(lines):
    return (l for l in lines if l)

def numbered(lines):
    for i, l in enumerate(lines, 1):
        yield f"{i}: {l}"

text = ["alpha ", "", " beta", "gamma", "   "]
for row in numbered(nonblank(read(text))):
    print(row)

def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
out = []
for v in fib():
    if v > 100:
        break
    out.append(v)
print(out)
def accumulate():
    total = 0
    while True:
        v = yield total
        if v is None:
            return total
        total += v
acc = accumulate()
next(acc)
for i in range(5):
    acc.send(i)
try:
    acc.send(None)
except StopIteration as e:
    print("total", e.value)
print(sorted(x for x in fib() if x > 10 for _ in range(1) if True) if False else "skip")
print(list(zip(fib(), "abc")))
