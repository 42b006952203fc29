def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

print([fib(i) for i in range(20)])

def ack(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ack(m - 1, 1)
    return ack(m - 1, ack(m, n - 1))

print(ack(2, 3))

def even(n):
    return True if n == 0 else odd(n - 1)

def odd(n):
    return False if n == 0 else even(n - 1)

print(even(100), odd(77))

def count(*args, **kwargs):
    return len(args), len(kwargs)

print(count(), count(1, 2, *range(5), a=1, **{"b": 2}))
print(list(map(lambda x: x * 2, range(5))))
print(sorted(["bb", "a", "ccc"], key=len))
print(max([3, 1, 4], key=lambda v: -v))
