"""Benchmark: nested integer loops (while and for) with arithmetic and branches."""

import sys


def main(scale):
    total = 0
    for i in range(300 * scale):
        j = 0
        while j < 300:
            if (i ^ j) & 1:
                total += i * j % 7
            else:
                total -= j
            j += 1
    print(total)


main(int(sys.argv[1]) if len(sys.argv) > 1 else 43)
