"""Benchmark: float arithmetic (a mandelbrot set iteration count)."""

import sys


def mandel(width, height, max_iter):
    count = 0
    for py in range(height):
        y0 = py / height * 2.0 - 1.0
        for px in range(width):
            x0 = px / width * 3.0 - 2.0
            x = y = 0.0
            i = 0
            while i < max_iter and x * x + y * y <= 4.0:
                x, y = x * x - y * y + x0, 2.0 * x * y + y0
                i += 1
            count += i
    return count


def main(scale):
    print(mandel(40 * scale, 40, 30))


main(int(sys.argv[1]) if len(sys.argv) > 1 else 120)
