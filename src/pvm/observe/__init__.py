"""pvm.observe package."""
