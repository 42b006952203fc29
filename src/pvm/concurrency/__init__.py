"""pvm.concurrency package."""
