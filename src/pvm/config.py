"""What python3's options set that pvm carries itself rather than the host: CPython's PyConfig.

What belongs here: the settings that change how pvm compiles, caches, imports and reports
guest code (-O, -v, -X importtime, -X no_debug_ranges, --check-hash-based-pycs, -i),
read by every layer and set once, by the command line, before the program starts.
What does not: parsing the options (pvm.cli_python, pvm.cli), the guest's view of them
as ``sys.flags`` (pvm.runtime.sysmodule), and the options the host python3 implements
for the guest (its own ``sys.flags``, which pvm-python restarts it with).

Why not the host's own -O or -v: the host would strip pvm's own asserts and trace pvm's
own imports; the guest must see python3's, which only pvm can do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# python3's --check-hash-based-pycs values (Python/initconfig.c).
CHECK_HASH_BASED_PYCS = ("default", "always", "never")


@dataclass
class Config:
    """The interpreter's settings that pvm implements itself (defaults: python3's)."""

    optimize: int = 0  # -O, -OO, PYTHONOPTIMIZE: sys.flags.optimize, compile()'s -1
    verbose: int = 0  # -v, PYTHONVERBOSE: the guest's import system traces itself
    inspect: bool = False  # -i, PYTHONINSPECT: sys.flags.inspect (and interactive, for -i)
    interactive: bool = False  # -i: sys.flags.interactive
    import_time: bool = False  # -X importtime, PYTHONPROFILEIMPORTTIME
    import_time_header: bool = True  # False: printed already (by the host, for the variable)
    tracemalloc: int = 0  # -X tracemalloc[=N], PYTHONTRACEMALLOC: frames kept (0: off)
    code_debug_ranges: bool = True  # False: -X no_debug_ranges, PYTHONNODEBUGRANGES
    check_hash_based_pycs: str = "default"  # --check-hash-based-pycs
    skip_first_line: bool = False  # -x: the script's first line is not Python
    # -X options pvm takes itself, as the guest's sys._xoptions shows them.
    xoptions: dict[str, str | bool] = field(default_factory=dict)


config = Config()


def reset() -> None:
    """Put every setting back to python3's default (for in-process callers and tests)."""
    fresh = Config()
    for name in fresh.__dataclass_fields__:
        setattr(config, name, getattr(fresh, name))
