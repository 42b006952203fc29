import unittest
import unittest.runner


class _FrozenClock:
    """Keep the 'Ran N tests in X s' line deterministic."""

    @staticmethod
    def perf_counter():
        return 0.0


unittest.runner.time = _FrozenClock

class T(unittest.TestCase):
    def test_ok(self):
        self.assertIn("a", "abc")
    def test_dict(self):
        self.assertDictEqual({"a": 1}, {"a": 1})
    def test_bad(self):
        self.assertListEqual([1, 2, 3], [1, 2, 4])

unittest.main(verbosity=2)
