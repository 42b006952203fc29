"""pvm.bytecode package."""
