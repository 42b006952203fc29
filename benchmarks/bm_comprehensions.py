"""Benchmark: list, set and dict comprehensions, nested and filtered."""

import sys


def main(scale):
    total = 0
    for r in range(10 * scale):
        grid = [[(x * y + r) % 10 for x in range(40)] for y in range(40)]
        flat = [v for row in grid for v in row if v > 3]
        uniq = {v * r for v in flat}
        index = {i: v for i, v in enumerate(flat) if i % 5 == 0}
        total += len(flat) + len(uniq) + sum(index.values())
    print(total)


main(int(sys.argv[1]) if len(sys.argv) > 1 else 110)
