"""IPC channels by one start method: Pipe, the queues and Listener/Client, carrying guest objects.

Instances of the program's classes, its exceptions and its module-level functions
cross each channel, as CPython pickles them (by reference to their module).  Only the
parent prints, after each exchange, so the output does not depend on scheduling.
"""

import multiprocessing as mp
import sys
from multiprocessing.connection import Client, Listener


class Point:
    """A plain guest class: pickled by reference, its __dict__ by value."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __repr__(self):
        return f"Point({self.x}, {self.y})"

    def __eq__(self, other):
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)


class Slotted:
    """A guest class with __slots__ and a custom __reduce__."""

    __slots__ = ("name", "tags")

    def __init__(self, name, tags):
        self.name, self.tags = name, tags

    def __reduce__(self):
        return (Slotted, (self.name.upper(), self.tags))

    def __repr__(self):
        return f"Slotted({self.name!r}, {self.tags!r})"


class AppError(Exception):
    """A guest exception with an extra attribute."""

    def __init__(self, code, text):
        super().__init__(code, text)
        self.code = code


def double(x):
    return 2 * x


def pipe_echo(conn):
    # Echo each object back with what the child sees of it, until None.
    while (obj := conn.recv()) is not None:
        conn.send((type(obj).__name__, obj))
    conn.send(AppError(7, "from the pipe child"))
    conn.send(double)
    conn.close()


def pipe_writer(conn):
    for item in [Point(1, 2), {"k": Point(3, 4)}, b"\x00" * 5, double(21)]:
        conn.send(item)
    conn.send_bytes(b"raw bytes")
    conn.send_bytes(b"0123456789", 2, 5)
    conn.close()


def queue_worker(inq, outq):
    while (task := inq.get()) is not None:
        func, arg = task
        try:
            outq.put(("ok", func(arg)))
        except Exception as e:
            outq.put(("error", e))
    outq.put(("done", Point(0, 0)))


def simple_worker(q_in, q_out):
    q_out.put(Slotted("child", [q_in.get(), q_in.empty()]))


def joinable_worker(jq, results):
    while True:
        item = jq.get()
        try:
            if item is None:
                return
            results.put(item * item)
        finally:
            jq.task_done()


def must_be_positive(x):
    if x <= 0:
        raise AppError(x, f"{x} is not positive")
    return x


def client_side(address, authkey):
    with Client(address, authkey=authkey) as conn:
        conn.send(Point(5, 6))
        conn.send(conn.recv() + ["client saw it"])
    try:
        Client(address, authkey=b"wrong key")
    except mp.AuthenticationError as e:
        # The server's side of the failed handshake is checked by the parent.
        print("client: wrong key refused:", e, flush=True)


def run_pipes(ctx):
    parent, child = ctx.Pipe()  # duplex
    p = ctx.Process(target=pipe_echo, args=(child,))
    p.start()
    child.close()
    for obj in [Point(1, 2), Slotted("s", (1,)), ValueError("v"), double, [1, "two", 3.0]]:
        parent.send(obj)
        name, back = parent.recv()
        # A function's repr shows its address, which differs from run to run.
        shown = back is double if back is double else repr(back)
        print("duplex", name, shown, back == obj if isinstance(obj, Point) else "")
    parent.send(None)
    err = parent.recv()
    print("duplex exception", type(err).__name__, err.args, err.code, isinstance(err, AppError))
    fn = parent.recv()
    print("duplex function", fn is double, fn(5))
    p.join()
    print("duplex exitcode", p.exitcode)

    reader, writer = ctx.Pipe(duplex=False)
    p = ctx.Process(target=pipe_writer, args=(writer,))
    p.start()
    writer.close()
    for _ in range(4):
        print("one-way", repr(reader.recv()))
    print("one-way bytes", reader.recv_bytes())
    buf = bytearray(8)
    n = reader.recv_bytes_into(buf, 1)
    print("one-way into", n, bytes(buf))
    try:
        reader.send(1)
    except OSError as e:
        print("one-way send on reader:", e)
    try:
        reader.recv()
    except EOFError:
        print("one-way EOFError once the writer closed")
    p.join()
    print("one-way exitcode", p.exitcode)


def run_queues(ctx):
    inq, outq = ctx.Queue(), ctx.Queue()
    p = ctx.Process(target=queue_worker, args=(inq, outq))
    p.start()
    for task in [(double, 4), (must_be_positive, 3), (must_be_positive, -1), (len, [Point(1, 1)])]:
        inq.put(task)
    inq.put(None)
    while True:
        kind, value = outq.get(timeout=60)
        if kind == "error":
            print("queue error", type(value).__name__, value.args, value.code)
        else:
            print("queue", kind, repr(value))
        if kind == "done":
            break
    p.join()
    print("queue exitcode", p.exitcode, inq.empty())

    q_in, q_out = ctx.SimpleQueue(), ctx.SimpleQueue()
    q_in.put(Point(9, 9))
    p = ctx.Process(target=simple_worker, args=(q_in, q_out))
    p.start()
    print("simple queue", repr(q_out.get()))
    p.join()
    q_in.close()
    q_out.close()
    print("simple queue exitcode", p.exitcode, q_in._reader.closed)

    jq, results = ctx.JoinableQueue(), ctx.Queue()
    workers = [ctx.Process(target=joinable_worker, args=(jq, results)) for _ in range(2)]
    for w in workers:
        w.start()
    for i in range(6):
        jq.put(i)
    jq.join()  # every task_done() seen
    print("joinable", sorted(results.get(timeout=60) for _ in range(6)))
    for _ in workers:
        jq.put(None)
    jq.join()
    for w in workers:
        w.join()
    print("joinable exitcodes", [w.exitcode for w in workers])


def run_listener(ctx):
    authkey = b"secret key"
    with Listener(("localhost", 0), authkey=authkey) as listener:
        p = ctx.Process(target=client_side, args=(listener.address, authkey))
        p.start()
        with listener.accept() as conn:
            print("listener got", repr(conn.recv()))
            conn.send(["server says hi", Point(7, 8)])
            print("listener got back", repr(conn.recv()))
        try:
            listener.accept()
        except mp.AuthenticationError as e:
            refused = e
        p.join()  # the client printed its side first
        print("listener: wrong key refused:", refused)
    print("listener exitcode", p.exitcode)


if __name__ == "__main__":
    context = mp.get_context(sys.argv[1])
    run_pipes(context)
    run_queues(context)
    run_listener(context)
