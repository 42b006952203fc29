"""Shared memory in a memory snapshot: the POSIX shared memory blocks this process maps.

What belongs here: reading which `/dev/shm` blocks the process has mapped (the kernel's
/proc/self/maps, so a block shows in every process that maps it, whoever made it) and
recognising the guest's `multiprocessing.shared_memory.SharedMemory` objects that hold
them.  What does not: the heap walk (pvm.observe.heap) and the snapshot document
(pvm.observe.memory), which calls these.
"""

from __future__ import annotations

from typing import Any

SHM_DIR = "/dev/shm/"
PREVIEW_BYTES = 16


def mapped_blocks(maps_path: str = "/proc/self/maps") -> list[dict[str, Any]]:
    """Return each shared memory block mapped by this process: name, size, addresses."""
    blocks: dict[str, dict[str, Any]] = {}
    try:
        with open(maps_path, encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
    except OSError:
        return []
    for line in lines:
        parts = line.split(None, 5)
        if len(parts) < 6:
            continue
        path = parts[5].strip()
        if path.endswith(" (deleted)"):
            path = path[: -len(" (deleted)")]
        if not path.startswith(SHM_DIR):
            continue
        name = "/" + path[len(SHM_DIR) :]
        if name.startswith("/sem."):
            continue  # a named semaphore (multiprocessing's locks), not a data block
        lo, _, hi = parts[0].partition("-")
        try:
            size = int(hi, 16) - int(lo, 16)
        except ValueError:
            continue
        block = blocks.setdefault(name, {"name": name, "mapped_bytes": 0, "mappings": []})
        block["mapped_bytes"] += size
        block["mappings"].append({"address": parts[0], "perms": parts[1]})
    return [blocks[k] for k in sorted(blocks)]


def is_shared_memory(obj: Any) -> bool:
    """Return whether obj is a multiprocessing.shared_memory.SharedMemory (the guest's)."""
    t = type(obj)
    return t.__qualname__ == "SharedMemory" and t.__module__ == "multiprocessing.shared_memory"


def describe(obj: Any) -> dict[str, Any]:
    """Return what a SharedMemory object holds, read without running guest code."""
    d = getattr(obj, "__dict__", {})
    name = d.get("_name")
    size = d.get("_size")
    out: dict[str, Any] = {
        "name": name if isinstance(name, str) else None,
        "size": size if isinstance(size, int) else None,
    }
    buf = d.get("_buf")
    if isinstance(buf, memoryview):
        try:
            out["first_bytes"] = bytes(buf[:PREVIEW_BYTES]).hex(" ")
        except (ValueError, TypeError):  # released: the block was closed
            out["closed"] = True
    else:
        out["closed"] = True
    return out
