"""Benchmark: generator pipelines, yield from and generator expressions."""

import sys


def numbers(n):
    for i in range(n):  # noqa: UP028 - the benchmark measures a yielding loop
        yield i


def squares(it):
    for v in it:
        yield v * v


def evens(it):
    yield from (v for v in it if v % 2 == 0)


def main(scale):
    total = 0
    for _ in range(scale):
        total += sum(evens(squares(numbers(40000))))
    print(total)


main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
