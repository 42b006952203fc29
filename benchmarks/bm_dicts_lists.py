"""Benchmark: dict and list work (counting, grouping, sorting, slicing)."""

import sys


def main(scale):
    words = [f"w{(i * 7919) % 1000}" for i in range(20000 * scale)]
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    groups = {}
    for w, c in counts.items():
        groups.setdefault(c, []).append(w)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    stack = []
    for i in range(20000 * scale):
        stack.append(i)
        if len(stack) > 50:
            del stack[:25]
    print(len(counts), len(groups), ordered[0], ordered[-1], sum(stack))


main(int(sys.argv[1]) if len(sys.argv) > 1 else 29)
