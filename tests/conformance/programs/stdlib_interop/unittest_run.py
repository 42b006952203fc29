import unittest
import unittest.runner


class _FrozenClock:
    """Keep the 'Ran N tests in X s' line deterministic."""

    @staticmethod
    def perf_counter():
        return 0.0


unittest.runner.time = _FrozenClock

class MathTests(unittest.TestCase):
    def setUp(self):
        self.values = [1, 2, 3]

    def test_sum(self):
        self.assertEqual(sum(self.values), 6)

    def test_fail(self):
        self.assertEqual(len(self.values), 4, "deliberate failure")

    def test_raises(self):
        with self.assertRaises(ZeroDivisionError):
            1 / 0

    def test_error(self):
        {}["missing"]

    @unittest.skip("not today")
    def test_skipped(self):
        pass

    def test_subtests(self):
        for i in range(3):
            with self.subTest(i=i):
                self.assertLess(i, 2)

    @unittest.expectedFailure
    def test_expected(self):
        self.assertTrue(False)

if __name__ == "__main__":
    result = unittest.main(argv=["prog", "-v"], exit=False)
    print("run", result.result.testsRun, "failures", len(result.result.failures),
          "errors", len(result.result.errors))
