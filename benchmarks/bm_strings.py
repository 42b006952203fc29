"""Benchmark: string building, formatting, joining and splitting."""

import sys


def main(scale):
    pieces = []
    for i in range(20000 * scale):
        s = f"{i:05d}-{i % 7}"
        if i % 2:
            s = s.upper() + "x"
        pieces.append(s)
    text = ",".join(pieces)
    acc = ""
    for part in text.split(",")[:4000]:
        acc += part[:3]
    print(len(text), len(acc), acc[-12:], text.count("-3"))


main(int(sys.argv[1]) if len(sys.argv) > 1 else 19)
