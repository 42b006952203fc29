"""Benchmark: plain function calls (recursive fib plus small helper calls)."""

import sys


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def add3(a, b, c=1):
    return a + b + c


def main(scale):
    total = fib(22)
    for i in range(30000 * scale):
        total += add3(i, 1, c=2)
    print(total)


main(int(sys.argv[1]) if len(sys.argv) > 1 else 75)
