"""pvm.runtime: the services guest code reaches through the vm.

What belongs here: the guest's builtins, imports, sys, exec/eval/compile, tracebacks,
inspect/dis support and running a program as python does (main.py); the modules that
lend the vm services register them with pvm.vm.hooks.provide() when imported.  What
does not: the interpreter and guest objects (pvm.vm), the GIL (pvm.concurrency),
observers (pvm.observe), the command line (pvm.cli).
"""

# The modules that lend the vm its services (pvm.vm.hooks.provide) register them when
# imported; importing the runtime package imports them, so a vm run through any runtime
# entry point has them all.
from pvm.runtime import builtins, exec, sysmodule, traceback  # noqa: E402, F401
