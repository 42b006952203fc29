"""CPython's test drivers here are run by scripts/cpython_tests.py, not collected by pytest."""

collect_ignore_glob = ["test_multiprocessing_*.py"]
