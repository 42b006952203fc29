"""pvm.runtime package."""
