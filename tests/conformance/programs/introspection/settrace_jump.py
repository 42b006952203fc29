"""A trace function sets frame.f_lineno: jumps forward, backward, out of loops and except
blocks, and the ValueErrors of jumps CPython refuses."""

import sys


def f(output):
    output.append(1)
    output.append(2)
    for i in range(2):
        output.append(i)
    try:
        output.append(7)
        raise ValueError
    except ValueError:
        output.append(10)
        output.append(11)
    output.append(sys.exc_info()[0])
    return output


def jump(lfrom, lto, event="line"):
    first = f.__code__.co_firstlineno
    done = []

    def tracer(frame, what, arg):
        here = what != "line" or frame.f_lineno == first + lfrom
        if frame.f_code is f.__code__ and what == event and not done and here:
            done.append(True)
            try:
                frame.f_lineno = lto if isinstance(lto, str) else first + lto
            except ValueError as e:
                output.append(str(e))
        return tracer

    output = []
    sys.settrace(tracer)
    try:
        f(output)
    finally:
        sys.settrace(None)
    print(lfrom, lto, event, output, sys.exc_info()[0])


for a, b in [
    (1, 2),
    (2, 1),
    (1, 12),
    (4, 2),
    (10, 11),
    (9, 11),
    (11, 1),
    (1, 4),
    (1, 10),
    (1, 6),
]:
    jump(a, b)
jump(1, 100)
jump(2, -100)
jump(1, "x")
jump(0, 2, "call")
jump(0, 2, "exception")
jump(0, 2, "return")
