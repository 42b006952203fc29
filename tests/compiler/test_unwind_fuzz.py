"""Randomly generated unwinding programs (fixed seeds) behave the same under pvm and python3."""

from __future__ import annotations

import pytest
from unwind_gen import generate


@pytest.mark.parametrize("seed", [11, 12])
def test_random_unwinding_same_as_cpython(seed: int, same_as_cpython) -> None:
    same_as_cpython(generate(seed, 120))
