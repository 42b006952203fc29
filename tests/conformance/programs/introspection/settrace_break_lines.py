"""Line events of breaks that jump to another break: each line gets its own event."""

import sys

events = []


def tracer(frame, event, arg):
    if frame.f_code.co_name.startswith("func"):
        events.append(
            (frame.f_code.co_name, frame.f_lineno - frame.f_code.co_firstlineno, event)
        )
    return tracer


def func_break_to_break():
    TRUE = 1
    while TRUE:
        while TRUE:
            break
        break


def func_break_to_continue():
    for i in range(2):
        for j in range(2):
            if j:
                break
            continue
        continue


sys.settrace(tracer)
func_break_to_break()
func_break_to_continue()
sys.settrace(None)
for e in events:
    print(*e)
