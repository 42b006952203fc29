"""Schedules for pvm's GIL: real timing (os) or a seeded virtual clock (deterministic)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from enum import Enum
from typing import Any


class Schedule(Enum):
    """When and to whom the GIL passes."""

    OS = "os"  # switch interval in real time; the host OS decides who runs when
    DETERMINISTIC = "deterministic"  # seeded slices of the virtual clock, seeded choices


class Scheduler:
    """The deterministic schedule's choices: slice lengths and the next thread, from a seed.

    Every choice comes from one ``random.Random(seed)`` and depends only on the order of
    the calls, which the GIL makes at points of the virtual clock (instruction counts),
    so the same program and seed give the same interleaving.
    """

    def __init__(self, seed: int, mean_slice: int = 100) -> None:
        self.seed = seed
        self.mean_slice = max(1, mean_slice)
        self._rng = random.Random(seed)

    def quantum(self) -> int:
        """Return the length of the next slice, in check points (between 1 and 2x the mean)."""
        return self._rng.randint(1, 2 * self.mean_slice)

    def pick(self, waiters: Sequence[Any]) -> Any:
        """Return the waiter that runs next."""
        if len(waiters) == 1:
            return waiters[0]
        return waiters[self._rng.randrange(len(waiters))]
