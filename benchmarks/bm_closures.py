"""Benchmark: closures, nonlocal updates and higher-order functions."""

import sys


def make_counter():
    count = 0

    def inc(step):
        nonlocal count
        count += step
        return count

    return inc


def compose(f, g):
    return lambda x: f(g(x))


def main(scale):
    counter = make_counter()
    double_inc = compose(lambda x: x * 2, lambda x: x + 1)
    total = 0
    for i in range(50000 * scale):
        total += counter(1) + double_inc(i)
    print(total)


main(int(sys.argv[1]) if len(sys.argv) > 1 else 23)
