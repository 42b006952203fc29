"""The built-in workloads of `pvm compare`: cpu, io, mixed and numpy-like (GIL-releasing C work).

A guest module: the driver imports it under python3 and under pvm alike, and process
workers import it by name, so everything here is a plain module-level function.  Each
takes one item (what the host fans out); `io` has an `async def` twin for asyncio.
"""

import asyncio
import hashlib
import time


def countdown(n):
    """Count down from n: pure bytecode, holds the GIL the whole time."""
    while n > 0:
        n -= 1
    return n


def wait(seconds):
    """Sleep: a blocking call that releases the GIL."""
    time.sleep(seconds)
    return seconds


async def wait_async(seconds):
    """Sleep on the event loop: the asyncio twin of wait."""
    await asyncio.sleep(seconds)
    return seconds


def mixed(item):
    """Count down item[0], then sleep item[1] seconds: half CPU, half waiting."""
    n, seconds = item
    countdown(n)
    time.sleep(seconds)
    return n


_BUFFERS = {}


def digest(mib):
    """sha256 of mib MiB of zeros: C code that releases the GIL, as numpy's kernels do."""
    data = _BUFFERS.get(mib)
    if data is None:
        data = _BUFFERS[mib] = bytes(mib << 20)
    return hashlib.sha256(data).hexdigest()


# name -> (function, its asyncio twin or None)
WORKLOADS = {
    "cpu": (countdown, None),
    "io": (wait, wait_async),
    "mixed": (mixed, None),
    "numpy-like": (digest, None),
}
