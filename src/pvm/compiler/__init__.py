"""pvm.compiler package."""
