"""CPU-bound guest tasks on Dask's threaded scheduler, for `pvm gil` (two worker threads)."""

import dask
from dask import delayed


def work(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


if __name__ == "__main__":
    tasks = [delayed(work)(6000 + i) for i in range(6)]
    print(sum(dask.compute(*tasks, scheduler="threads", num_workers=2)))
