"""Random functions mixing loops, try/except/finally/except*, with, break/continue/return."""

from __future__ import annotations

import random
import sys


def gen_block(r, depth, in_loop, ind):
    lines = []
    n = r.randint(1, 3)
    for _ in range(n):
        lines += gen_stmt(r, depth, in_loop, ind)
    return lines


def gen_stmt(r, depth, in_loop, ind):
    p = "    " * ind
    k = r.randint(0, 12 if depth < 4 else 4)
    if k == 0:
        return [f"{p}log.append({r.randint(0, 99)})"]
    if k == 1:
        return [
            f"{p}if n % {r.randint(2, 4)} == {r.randint(0, 1)}: raise E{r.randint(1, 2)}({r.randint(0, 9)})"
        ]
    if k == 2 and in_loop:
        return [f"{p}if n % {r.randint(2, 3)} == 0: {r.choice(['break', 'continue'])}"]
    if k == 3:
        return [f"{p}if n % {r.randint(2, 5)} == 1: return {r.randint(0, 99)}"]
    if k == 4:
        return [f"{p}n += 1"]
    if k in (5, 6):
        out = [f"{p}for i{depth} in range({r.randint(0, 3)}):", f"{p}    n += i{depth}"]
        out += gen_block(r, depth + 1, True, ind + 1)
        if r.random() < 0.3:
            out += [f"{p}else:"] + gen_block(r, depth + 1, in_loop, ind + 1)
        return out
    if k in (7, 8):
        out = [f"{p}try:"] + gen_block(r, depth + 1, in_loop, ind + 1)
        kinds = r.choice(["except", "finally", "both", "star"])
        if kinds in ("except", "both"):
            out += [f"{p}except E1 as e:", f"{p}    log.append(('e1', e.args))"] + gen_block(
                r, depth + 1, in_loop, ind + 1
            )
            if r.random() < 0.5:
                out += [f"{p}except E2:", f"{p}    log.append('e2')"] + gen_block(
                    r, depth + 1, in_loop, ind + 1
                )
            if r.random() < 0.3:
                out += [f"{p}else:"] + gen_block(r, depth + 1, in_loop, ind + 1)
        if kinds == "star":
            out += [f"{p}except* E1 as eg:", f"{p}    log.append(('eg', len(eg.exceptions)))"]
        if kinds in ("finally", "both"):
            out += [f"{p}finally:", f"{p}    log.append('f{depth}')"] + gen_block(
                r, depth + 1, in_loop and r.random() < 0.5, ind + 1
            )
        return out
    if k == 9:
        out = [f"{p}with CM(log, {r.randint(0, 1)}):"] + gen_block(r, depth + 1, in_loop, ind + 1)
        return out
    if k == 10:
        out = [f"{p}while n < {r.randint(3, 9)}:", f"{p}    n += 1"] + gen_block(
            r, depth + 1, True, ind + 1
        )
        return out
    if k == 11:
        return [f"{p}log.append(sys.exc_info()[0].__name__ if sys.exc_info()[0] else None)"]
    if k == 12 and r.random() < 0.5:
        return [f"{p}log.append((yield {r.randint(0, 9)}))"]
    return [f"{p}pass"]


def generate(seed: int, count: int) -> str:
    """Return a program of count random functions that print their traces."""
    r = random.Random(seed)
    out = [
        "import sys",
        "class E1(Exception): pass",
        "class E2(Exception): pass",
        "class CM:",
        "    def __init__(self, log, swallow): self.log, self.swallow = log, swallow",
        "    def __enter__(self): self.log.append('enter')",
        "    def __exit__(self, t, v, tb):",
        "        self.log.append(('exit', t.__name__ if t else None))",
        "        return bool(self.swallow)",
    ]
    for f in range(count):
        out.append(f"def f{f}(n):")
        out.append("    log = []")
        out.append("    def inner(n):")
        out += gen_block(r, 0, False, 2)
        out.append("    try:")
        out.append("        r = inner(n)")
        out.append("        if hasattr(r, 'send'):")
        out.append("            g, r = r, []")
        out.append("            try:")
        out.append("                r.append(g.send(None))")
        out.append("                for k in range(5): r.append(g.send(k))")
        out.append("            finally:")
        out.append("                try: g.close()")
        out.append(
            "                except BaseException as ex2: log.append(('close', type(ex2).__name__))"
        )
        out.append("    except BaseException as ex:")
        out.append(
            "        r = ('raised', type(ex).__name__, getattr(ex, 'args', None) if not isinstance(ex, BaseExceptionGroup) else len(ex.exceptions))"
        )
        out.append("    return r, log, sys.exc_info()[0]")
        out.append(f"for n in range(6): print({f}, n, f{f}(n))")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(generate(int(sys.argv[1]), int(sys.argv[2])), end="")
