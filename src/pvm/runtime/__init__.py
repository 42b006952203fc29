"""pvm.runtime: the services guest code reaches through the vm (builtins, import, sys, exec, tracebacks)."""

# The modules that lend the vm its services (pvm.vm.hooks.provide) register them when
# imported; importing the runtime package imports them, so a vm run through any runtime
# entry point has them all.
from pvm.runtime import builtins, exec, sysmodule, traceback  # noqa: E402, F401
