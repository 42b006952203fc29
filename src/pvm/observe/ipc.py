"""IPC messages as events: multiprocessing's connections, instrumented while someone listens.

What belongs here: the IPC event record, the instrumentation that the observing commands
(`pvm gil`, `pvm memory`) install in the guest world's `multiprocessing.connection`, and
what identifies a message across processes (its channel and a digest of its bytes).
What does not: matching sends to receives (pvm.observe.proctrace) or showing them.

Every Pipe and Queue message goes through `Connection._send_bytes` in the sender and
`Connection._recv_bytes` in the receiver (a Queue's feeder thread sends, `Queue.get`
receives), so those two methods are wrapped.  Each wrapped call publishes one
`IPCEvent` on `pvm.vm.events.Topic.IPC` with:

    channel   the kernel object the bytes went through: (st_dev, st_ino) of the fd.
              Both ends of an os.pipe() share it; the two ends of a socketpair (a duplex
              Pipe) do not, so `Pipe()` is wrapped too and publishes a LINK event that
              names the pair.  A connected socket with an address (a `Listener`'s
              accepted connection, a `Client`) is named by its two addresses instead,
              which both ends see, swapped: (-1, a hash of the unordered pair).
    digest    blake2b of the payload (8 bytes, hex), and its size in bytes.
    t0, t1    perf_counter_ns() when the call began and ended: CLOCK_MONOTONIC, one
              clock for every process of the machine.

Nothing is installed unless an observing command asks (install()), so `pvm run` pays
nothing.  The library must run on pvm (the guest world, the default); under
--native-stdlib no message is seen.
"""

from __future__ import annotations

import hashlib
import os
import socket
import stat
import time
from enum import Enum
from typing import Any, NamedTuple

from pvm.runtime import world
from pvm.vm import events
from pvm.vm.threadstate import current

_perf_ns = time.perf_counter_ns


class IPCKind(Enum):
    """What an IPC event records."""

    SEND = "send"  # a message was written to a connection
    RECV = "recv"  # a message was read from a connection
    LINK = "link"  # two channels are the ends of one duplex Pipe


class IPCEvent(NamedTuple):
    """One message sent or received by this process (or a link between two channels)."""

    kind: IPCKind
    channel: tuple[int, int]  # (st_dev, st_ino) of the fd; for LINK the first end
    nbytes: int  # payload size; for LINK 0
    digest: str  # blake2b-64 of the payload, hex; for LINK the other end as "dev:ino"
    thread: int  # pvm's thread number (as in GIL events), 0 if unknown
    thread_name: str
    t0: int  # perf_counter_ns() at the call's start and end
    t1: int
    where: str  # the guest function outside connection.py that made the call


def digest(data: Any) -> str:
    """Return the digest that identifies a message's bytes across processes."""
    return hashlib.blake2b(data, digest_size=8).hexdigest()


SOCKET_PAIR_DEV = -1  # the st_dev of a channel named by a socket's two addresses


def channel_of(handle: int) -> tuple[int, int]:
    """Return the kernel object behind a file descriptor, as (st_dev, st_ino).

    For a socket connected by address (`Listener`/`Client`), return the channel both
    ends compute alike: (SOCKET_PAIR_DEV, hash of {local address, peer address}).  An
    AF_UNIX client's own address is empty, so every client of one `Listener` shares
    its channel; messages are then told apart by their bytes (see proctrace).
    """
    try:
        st = os.fstat(handle)
    except (OSError, TypeError, ValueError):
        return (0, -1)
    if stat.S_ISSOCK(st.st_mode):
        pair = _address_pair(handle)
        if pair is not None:
            key = hashlib.blake2b(repr(pair).encode(), digest_size=8).digest()
            return (SOCKET_PAIR_DEV, int.from_bytes(key, "little") >> 1)
    return (st.st_dev, st.st_ino)


def _address_pair(handle: int) -> tuple[Any, Any] | None:
    """Return a connected socket's (local, peer) addresses, in a fixed order; None if unnamed."""
    sock = socket.socket(fileno=handle)
    try:
        local, peer = sock.getsockname(), sock.getpeername()
    except OSError:
        return None
    finally:
        sock.detach()  # the fd stays the connection's
    if not local and not peer:  # a socketpair: Pipe()'s LINK names it
        return None
    return tuple(sorted((repr(local), repr(peer))))


def _channel(conn: Any) -> tuple[int, int]:
    """Return (and remember) a connection's channel: the fd's identity does not change."""
    try:
        return conn._pvm_channel
    except AttributeError:
        channel = conn._pvm_channel = channel_of(conn._handle)
        return channel


def _thread() -> tuple[int, str, Any]:
    """Return the calling thread's pvm number, name and top guest frame."""
    tstate = current()
    rec = tstate.gil
    frame = getattr(tstate, "frame", None)
    if rec is None:
        return 0, "", frame
    return rec.number, rec.name, frame


def _caller(frame: Any) -> str:
    """Name the first guest function outside multiprocessing/connection.py on the stack."""
    while frame is not None:
        code = frame.f_code
        name = os.path.basename(code.co_filename)
        if not code.co_filename.endswith(os.path.join("multiprocessing", "connection.py")):
            return f"{code.co_qualname} ({name})"
        frame = frame.f_back
    return ""


def _instrument_connection(module: Any) -> None:
    """Wrap the module's Connection._send_bytes/_recv_bytes and Pipe (an after_load fix)."""
    cls = getattr(module, "Connection", None)
    if cls is None or getattr(cls, "_pvm_observed", False):
        return
    send = cls._send_bytes
    recv = cls._recv_bytes
    publish = events.publish
    ipc = events.Topic.IPC

    def _send_bytes(self: Any, buf: Any) -> None:
        t0 = _perf_ns()
        send(self, buf)
        t1 = _perf_ns()
        number, name, frame = _thread()
        view = memoryview(buf)
        publish(
            ipc,
            IPCEvent(
                IPCKind.SEND, _channel(self), view.nbytes, digest(view),
                number, name, t0, t1, _caller(frame),
            ),
        )  # fmt: skip

    def _recv_bytes(self: Any, maxsize: Any = None) -> Any:
        t0 = _perf_ns()
        buf = recv(self, maxsize)
        t1 = _perf_ns()
        number, name, frame = _thread()
        with buf.getbuffer() as view:
            size, dig = view.nbytes, digest(view)
        publish(
            ipc,
            IPCEvent(
                IPCKind.RECV, _channel(self), size, dig,
                number, name, t0, t1, _caller(frame),
            ),
        )  # fmt: skip
        return buf

    _send_bytes.__qualname__ = "Connection._send_bytes"
    _recv_bytes.__qualname__ = "Connection._recv_bytes"
    cls._send_bytes = _send_bytes
    cls._recv_bytes = _recv_bytes
    cls._pvm_observed = True
    pipe = getattr(module, "Pipe", None)
    if pipe is None:
        return

    def Pipe(duplex: bool = True) -> Any:  # noqa: N802 - multiprocessing's own name
        c1, c2 = pipe(duplex)
        a, b = channel_of(c1.fileno()), channel_of(c2.fileno())
        if a != b:
            number, name, frame = _thread()
            t = _perf_ns()
            publish(
                ipc,
                IPCEvent(IPCKind.LINK, a, 0, f"{b[0]}:{b[1]}", number, name, t, t, _caller(frame)),
            )
        return c1, c2

    Pipe.__qualname__ = Pipe.__name__ = "Pipe"
    Pipe.__doc__ = pipe.__doc__
    module.Pipe = Pipe


_installed = [False]


def install() -> None:
    """Instrument multiprocessing.connection in the guest world from its next load on."""
    if not _installed[0]:
        _installed[0] = True
        world.after_load("multiprocessing.connection", _instrument_connection)


def event_dict(event: IPCEvent) -> dict[str, Any]:
    """Return one IPC event as JSON-ready values."""
    return {
        "kind": event.kind.value,
        "channel": list(event.channel),
        "bytes": event.nbytes,
        "digest": event.digest,
        "thread": event.thread,
        "thread_name": event.thread_name,
        "t0": event.t0,
        "t1": event.t1,
        "where": event.where,
    }


def event_from_dict(d: dict[str, Any]) -> IPCEvent:
    """Return the IPC event that event_dict() wrote."""
    return IPCEvent(
        IPCKind(d["kind"]),
        (int(d["channel"][0]), int(d["channel"][1])),
        int(d["bytes"]),
        str(d["digest"]),
        int(d["thread"]),
        str(d["thread_name"]),
        int(d["t0"]),
        int(d["t1"]),
        str(d.get("where", "")),
    )
