# ruff: noqa
x = 10


def add(a, b):
    result = a + b
    return result


y = add(x, 20)
print(y)


class A:
    def f(self):
        return super().__repr__()[:3]


print(A().f(), [i * i for i in range(5)])


def g():
    yield from range(3)


print(list(g()))
try:
    1 / 0
except ZeroDivisionError as e:
    print("caught", e)
