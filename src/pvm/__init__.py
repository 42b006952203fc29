"""pvm: a Python virtual machine written in Python."""

__version__ = "0.1.0"
