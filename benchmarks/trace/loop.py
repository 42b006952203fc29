"""A loop of two line steps a round (50,000 rounds: 100,007 steps in all): pvm trace's benchmark."""

import sys

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
total = 0
for i in range(rounds):
    total += i
print(total)
