"""Benchmark: raising and catching exceptions, try/finally and with blocks."""

import sys


class Guard:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def risky(i):
    if i % 3 == 0:
        raise ValueError(i)
    if i % 3 == 1:
        raise KeyError(i)
    return i


def main(scale):
    caught = finals = 0
    for i in range(20000 * scale):
        try:
            with Guard():
                risky(i)
        except ValueError:
            caught += 1
        except KeyError:
            caught += 2
        finally:
            finals += 1
    print(caught, finals)


main(int(sys.argv[1]) if len(sys.argv) > 1 else 21)
