"""Guest programs of `pvm compare`: the driver and the built-in workloads, run by python3 and pvm, never imported by the host."""
