counter = 0
def bump():
    global counter
    counter += 1
for _ in range(3):
    bump()
print(counter)
def make():
    total = 0
    def add(v):
        nonlocal total
        total += v
        return total
    return add
a = make()
print(a(2), a(3))
def local_unbound():
    try:
        counter += 1
    except UnboundLocalError as e:
        print(type(e).__name__, e)
local_unbound()
class K:
    n = 1
    n += 1
    lst = []
    lst += [n]
print(K.n, K.lst)
