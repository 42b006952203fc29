# Line events of implicit returns after loops and ifs take the line of the way in (CPython 3.11).
import sys
def f(n):
    total = 0
    for i in range(n):
        if i % 2:
            total += i
        else:
            continue
    while n > 0:
        n -= 1
    try:
        x = 1
    except Exception:
        pass
    finally:
        y = 2
    with open(__file__) as fh:
        pass
    return total
def g():
    for i in range(2):
        pass
def h(a):
    if a:
        return 1
def tr(frame, event, arg):
    if frame.f_code.co_name in ("f", "g", "h"):
        print(event, frame.f_code.co_name, frame.f_lineno)
    return tr
sys.settrace(tr)
f(3); g(); h(0)
sys.settrace(None)
