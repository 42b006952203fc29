"""resource_tracker's warnings: a shared memory block and semaphores left at exit."""

import multiprocessing as mp
import os
import sys
from multiprocessing import shared_memory

if __name__ == "__main__":
    how = sys.argv[1]
    ctx = mp.get_context("spawn")
    kept = shared_memory.SharedMemory(create=True, size=64)
    kept.buf[:5] = b"hello"
    kept.close()
    kept.unlink()  # unlinked: nothing to say about this one
    leaked = shared_memory.SharedMemory(create=True, size=64)
    leaked.close()  # closed, never unlinked: the tracker cleans it up and warns
    print("shared memory made", flush=True)
    if how == "semaphores":
        locks = [ctx.Lock(), ctx.Semaphore(2)]
        print("semaphores made", flush=True)
        os._exit(0)  # no finalizers: the semaphores leak too
