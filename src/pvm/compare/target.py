"""What `pvm compare` runs: a target named on the command line, and the items it fans out over.

What belongs here: parsing TARGET (a built-in workload, ``module:function`` or
``file.py:function``) and ``--items``/``--args``, and each built-in workload's size per
interpreter.  What does not: importing or calling the target, which only the driver
does, in a child interpreter (the host never runs guest code).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

# Built-in workloads: name -> (what it is, its item under python3, under pvm).  pvm runs
# bytecode about 20 times slower than python3, so its countdowns are a twentieth as
# long: each interpreter's sequential cpu run takes about a second (8 items), long
# enough that starting the workers (a pvm fork takes some 30 ms) costs little of it.
BUILTINS: dict[str, tuple[str, Any, Any]] = {
    "cpu": ("countdown(n): pure bytecode, holds the GIL", 8_000_000, 400_000),
    "io": ("time.sleep(s) (asyncio.sleep(s) for asyncio): releases the GIL", 0.1, 0.1),
    "mixed": ("countdown(n) then time.sleep(s)", [2_500_000, 0.05], [125_000, 0.05]),
    "numpy-like": ("sha256 of 16 MiB in C: releases the GIL, as numpy does", 16, 16),
}
QUICK_DIVISOR = 4  # --quick: a quarter of each built-in item


class TargetError(ValueError):
    """A TARGET, --items or --args the command cannot use; the message says why."""


@dataclass
class Target:
    """A parsed TARGET with the items each worker count fans out over."""

    text: str  # as given on the command line
    kind: str  # "builtin", "module" or "file"
    name: str  # the workload, the module's name or the file's absolute path
    function: str | None = None  # the function's (dotted) name in the module
    items: list[Any] | None = None  # --items; None: the built-in's own, or no item
    args: list[Any] = field(default_factory=list)  # --args: after the item, on every call

    def driver_entry(self, cwd: str) -> dict[str, Any]:
        """Return the target as the driver's spec names it."""
        entry: dict[str, Any] = {"kind": self.kind, "name": self.name}
        if self.function is not None:
            entry["function"] = self.function
        if self.kind == "module":
            entry["cwd"] = cwd
        return entry

    def items_for(self, interpreter: str, count: int, quick: bool) -> list[Any]:
        """Return the items one run fans out over (count calls unless --items says)."""
        if self.items is not None:
            return list(self.items)
        if self.kind != "builtin":
            return [None] * count  # f(*args), count times
        item = BUILTINS[self.name][2 if interpreter == "pvm" else 1]
        if quick:
            item = _scaled(item, 1 / QUICK_DIVISOR)
        return [item] * count


def _scaled(item: Any, factor: float) -> Any:
    if isinstance(item, list):
        return [_scaled(x, factor) for x in item]
    if isinstance(item, int):
        return max(1, int(item * factor))
    return item * factor


_IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"


def parse_target(text: str, items: str | None = None, args: str | None = None) -> Target:
    """Parse TARGET and the --items/--args values, or raise TargetError."""
    parsed_items = parse_items(items) if items is not None else None
    parsed_args = parse_args(args) if args is not None else []
    if text in BUILTINS:
        if items is not None or args is not None:
            raise TargetError(f"the built-in workload {text!r} takes no --items or --args")
        return Target(text, "builtin", text)
    where, colon, function = text.rpartition(":")
    if not colon or not where or not function:
        raise TargetError(
            f"cannot use {text!r}: TARGET is MODULE:FUNCTION, FILE.py:FUNCTION or one "
            f"of the built-in workloads {', '.join(BUILTINS)}"
        )
    if not re.fullmatch(rf"{_IDENTIFIER}(\.{_IDENTIFIER})*", function):
        raise TargetError(f"cannot use {text!r}: {function!r} is not a function's name")
    if where.endswith(".py"):
        path = os.path.abspath(where)
        if not os.path.isfile(path):
            raise TargetError(f"cannot use {text!r}: no file {where}")
        module = os.path.splitext(os.path.basename(path))[0]
        if not re.fullmatch(_IDENTIFIER, module):
            raise TargetError(
                f"cannot use {text!r}: {module!r} cannot be imported by name (worker "
                "processes import the target's module), rename the file"
            )
        return Target(text, "file", path, function, parsed_items, parsed_args)
    if not re.fullmatch(rf"{_IDENTIFIER}(\.{_IDENTIFIER})*", where):
        raise TargetError(f"cannot use {text!r}: {where!r} is not a module's name")
    return Target(text, "module", where, function, parsed_items, parsed_args)


def parse_items(text: str) -> list[Any]:
    """Parse --items: a JSON list (one call per element) or a count K (the items 0..K-1)."""
    if text.strip().isdigit():
        count = int(text)
        if count < 1:
            raise TargetError("--items: the count must be at least 1")
        return list(range(count))
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TargetError(f"--items: not a JSON list or a count: {exc}") from None
    if not isinstance(value, list) or not value:
        raise TargetError("--items: expected a non-empty JSON list, e.g. '[100000, 200000]'")
    return value


def parse_args(text: str) -> list[Any]:
    """Parse --args: a JSON list of positional arguments passed on every call."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TargetError(f"--args: not a JSON list: {exc}") from None
    if not isinstance(value, list):
        raise TargetError("--args: expected a JSON list, e.g. '[3, \"text\"]'")
    return value
