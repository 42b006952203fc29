"""'Did you mean' suggestions agree with CPython 3.11's C printer on many random names."""

from __future__ import annotations

import json
import random
import subprocess
import sys

from pvm.runtime.traceback import suggestion_for

CHILD = r"""
import io, json, sys
cases = json.loads(sys.stdin.read())
out = []
for name, attrs in cases:
    obj = type("O", (), dict.fromkeys(attrs, 1))()
    err = AttributeError("x", name=name, obj=obj)
    buf = io.StringIO()
    old, sys.stderr = sys.stderr, buf
    try:
        sys.__excepthook__(AttributeError, err, None)
    finally:
        sys.stderr = old
    line = buf.getvalue().rstrip("\n").splitlines()[-1]
    out.append(line.split("Did you mean: ", 1)[1][:-1] if "Did you mean" in line else None)
print(json.dumps(out))
"""


def _random_cases(n: int) -> list:
    rng = random.Random(1234)
    alphabet = "abcdeABCDE_xyzé"
    cases = []
    for _ in range(n):
        base = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        attrs = []
        for _ in range(rng.randint(1, 6)):
            word = list(base)
            for _ in range(rng.randint(0, 4)):
                op = rng.randrange(3)
                pos = rng.randrange(len(word) + 1)
                if op == 0:
                    word.insert(pos, rng.choice(alphabet))
                elif op == 1 and word:
                    del word[min(pos, len(word) - 1)]
                elif word:
                    word[min(pos, len(word) - 1)] = rng.choice(alphabet)
            if word and (word[0].isalpha() or word[0] == "_"):
                attrs.append("".join(word))
        cases.append((base, attrs))
    return cases


def test_attribute_suggestions_match_cpython():
    cases = _random_cases(400)
    proc = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
    )
    expected = json.loads(proc.stdout)
    got = []
    for name, attrs in cases:
        obj = type("O", (), dict.fromkeys(attrs, 1))()
        found = suggestion_for(AttributeError("x", name=name, obj=obj))
        got.append(repr(found) if found is not None else None)
    mismatches = [(c, e, g) for c, e, g in zip(cases, expected, got) if e != g]
    assert not mismatches, mismatches[:5]


def test_only_exact_types():
    class Sub(AttributeError):
        pass

    obj = type("O", (), {"blech": 1})()
    assert suggestion_for(AttributeError("x", name="blach", obj=obj)) == "blech"
    assert suggestion_for(Sub("x", name="blach", obj=obj)) is None
