import unittest, test._test_multiprocessing as m  # as CPython's Lib/test/test_multiprocessing_forkserver.py
m.install_tests_in_module_dict(globals(), "forkserver")
if __name__ == "__main__": unittest.main()
