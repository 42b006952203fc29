"""Package with a submodule."""
