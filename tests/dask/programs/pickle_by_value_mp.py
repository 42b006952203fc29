"""Functions and classes of __main__ pickled by value in the parent, run in a child.

The child is started by the start method given as argv[1]; it gets only bytes (the
cloudpickle payload), unpickles them with plain pickle and calls what it finds.  Each
call also says which bytecode ran it ("ran on N-byte instructions"), so a test can tell
pvm's children from the host's.
"""

import enum
import multiprocessing as mp
import pickle
import sys

import cloudpickle

OFFSET = 100


def where():
    # pvm runs its own bytecode, 4 bytes an instruction (CPython 3.11: 2), in this
    # function too, which reached the worker by value (rebuilt by types.CodeType).
    code = sys._getframe().f_code
    return f"ran on {len(code.co_code) // len(list(code.co_positions()))}-byte instructions"


def make_multiplier(k):
    def mul(x):
        return x * k + OFFSET

    return mul


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


class Account:
    def __init__(self, owner, balance=0):
        self.owner, self.balance = owner, balance

    def deposit(self, amount):
        self.balance += amount
        return self

    def __repr__(self):
        return f"Account({self.owner!r}, {self.balance})"


class Mode(enum.Enum):
    FAST = "fast"
    SLOW = "slow"


def child(payloads, conn):
    out = []
    for data in payloads:
        kind, obj, arg = pickle.loads(data)
        if kind == "call":
            out.append(obj(*arg))
        elif kind == "class":
            out.append(repr(obj(*arg).deposit(5)))
        elif kind == "raise":
            try:
                obj(*arg)
            except Exception as e:
                out.append(f"{type(e).__name__}: {e}")
        else:
            out.append(repr(obj))
    conn.send(out)
    conn.close()


def fails(x):
    raise ValueError(f"no {x}")


if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1])
    items = [
        ("call", lambda x, y: x * y, (6, 7)),
        ("call", make_multiplier(3), (5,)),
        ("call", fib, (15,)),
        ("call", where, ()),
        ("call", lambda: where(), ()),
        ("class", Account, ("ann", 10)),
        ("value", Mode.SLOW, ()),
        ("value", [Account("bob", 1), Mode.FAST], ()),
        ("raise", fails, (3,)),
    ]
    payloads = [cloudpickle.dumps(item) for item in items]
    parent_end, child_end = ctx.Pipe()
    p = ctx.Process(target=child, args=(payloads, child_end))
    p.start()
    child_end.close()
    for line in parent_end.recv():
        print(line)
    p.join()
    print("exitcode", p.exitcode)
