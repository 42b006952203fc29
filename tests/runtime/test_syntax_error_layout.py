"""SyntaxError location blocks agree with CPython 3.11's C printer, odd offsets included."""

from __future__ import annotations

import json
import random
import subprocess
import sys

from pvm.runtime.traceback import format_exception

CHILD = r"""
import io, json, sys
out = []
for args in json.loads(sys.stdin.read()):
    cls = IndentationError if args[0] else SyntaxError
    err = cls("bad bad", tuple(args[1]))
    buf = io.StringIO()
    old, sys.stderr = sys.stderr, buf
    try:
        sys.__excepthook__(cls, err, None)
    finally:
        sys.stderr = old
    out.append(buf.getvalue())
print(json.dumps(out))
"""

FIXED = [
    ("bad.py", 1, 2, "abcdefg", 1, 7),
    ("bad.py", 1, 2, "abcdefg", 1, 3),
    ("bad.py", 1, 2, "abcdefg", 1, -2),
    ("bad.py", 1, 4, "abcdefg", 1, 2),
    ("bad.py", 1, -4, "abcdefg", 1, -2),
    ("bad.py", 1, -4, "abcdefg", 1, -5),
    ("bad.py", 1, 0, "abcdefg", 1, 0),
    ("bad.py", 1, 0, "abcdefg", 1, 5),
    ("bad.py", 1, 2, "abcdefg", 1, 100),
    ("bad.py", 1, 3, "  \tab cd\n", 2, 1),
    ("bad.py", 1, 7, "one\ntwo three\n", 1, 9),
    (None, 3, None, None, None, None),
    ("x.py", 2, 5, "\f  x = (\n", None, None),
]


def _random_args(n: int) -> list:
    rng = random.Random(99)
    out = []
    for _ in range(n):
        text = "".join(rng.choice(" \tab(\n") for _ in range(rng.randint(0, 12)))
        out.append(
            (
                "f.py",
                rng.randint(1, 3),
                rng.choice([None, rng.randint(-3, 14)]),
                rng.choice([None, text]),
                rng.choice([None, rng.randint(1, 4)]),
                rng.choice([None, rng.randint(-3, 16)]),
            )
        )
    return out


def test_layout_matches_cpython():
    cases = [(False, a) for a in FIXED + _random_args(300)] + [(True, a) for a in FIXED]
    proc = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
    )
    expected = json.loads(proc.stdout)
    for (indent, args), want in zip(cases, expected):
        cls = IndentationError if indent else SyntaxError
        got = format_exception(cls("bad bad", tuple(args)))
        assert got == want, (args, want, got)
