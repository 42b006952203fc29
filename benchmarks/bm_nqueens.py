"""Benchmark: recursive backtracking search (n-queens) mixing calls, sets and loops."""

import sys


def solve(n):
    count = 0
    cols, diag1, diag2 = set(), set(), set()

    def place(row):
        nonlocal count
        if row == n:
            count += 1
            return
        for c in range(n):
            if c in cols or row + c in diag1 or row - c in diag2:
                continue
            cols.add(c)
            diag1.add(row + c)
            diag2.add(row - c)
            place(row + 1)
            cols.remove(c)
            diag1.remove(row + c)
            diag2.remove(row - c)

    place(0)
    return count


def main(scale):
    results = []
    for _ in range(scale):
        results = [solve(n) for n in range(4, 9)]
    print(results)


main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
