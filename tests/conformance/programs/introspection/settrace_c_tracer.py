"""_testcapi.settrace_to_record: a C trace function records every guest frame's events."""

import _testcapi
import sys


def gen():
    yield 1


def work(n):
    total = 0
    for x in gen():
        total += x * n
    return total


events = []
_testcapi.settrace_to_record(events); work(3); sys.settrace(None)  # fmt: skip
start = work.__code__.co_firstlineno
for what, line, arg in events:
    print(what, line - start, arg)
