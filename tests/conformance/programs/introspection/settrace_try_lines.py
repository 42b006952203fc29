# ruff: noqa: B018, BLE001, TRY002, TRY203, F841, S110  (the traced shapes are the point)
"""Line events through try/except/else/finally and except*: a finally body's line, an
if's end that jumps on, and a jump to the next instruction start no extra line."""

import sys

events = []


def tracer(frame, event, arg):
    if frame.f_code.co_name.startswith("func"):
        line = frame.f_lineno - frame.f_code.co_firstlineno
        events.append((frame.f_code.co_name, line, event))
    return tracer


def func_try_else_finally():
    try:
        2
    except Exception:
        4
    else:
        6
        if False:
            8
        else:
            10
        if func_try_else_finally.__name__ == "Fred":
            12
    finally:
        14


def func_except_star_not_caught():
    try:
        try:
            raise ValueError(3)
        except* TypeError:
            5
    except ValueError:
        7


def func_if_in_finally():
    try:
        2
    finally:
        if events:
            5
        6


def func_except_with_name():
    try:
        try:
            raise Exception
        except Exception as e:
            raise
            x = "Something"
            y = "Something"
    except Exception:
        pass
    return x, y


def func_except_star_caught():
    try:
        raise ExceptionGroup("eg", [ValueError(1)])
    except* ValueError:
        4
    5


sys.settrace(tracer)
try:
    func_except_with_name()
except NameError:
    pass
func_except_star_caught()
func_try_else_finally()
func_except_star_not_caught()
func_if_in_finally()
sys.settrace(None)
for e in events:
    print(*e)
