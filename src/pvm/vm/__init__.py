"""pvm.vm package."""
