import io
import unittest
import unittest.runner
from unittest import mock


class _FrozenClock:
    """Keep the 'Ran N tests in X s' line deterministic."""

    @staticmethod
    def perf_counter():
        return 0.0


unittest.runner.time = _FrozenClock


class Service:
    def fetch(self, key):
        raise RuntimeError("network disabled")

    def describe(self, key):
        return f"{key}={self.fetch(key)}"


def helper(v):
    return v + 1


class MockTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.shared = "class fixture"

    def test_patch_object(self):
        with mock.patch.object(Service, "fetch", return_value=42) as fake:
            self.assertEqual(Service().describe("k"), "k=42")
        fake.assert_called_once_with("k")

    @mock.patch(__name__ + ".helper", side_effect=lambda v: v * 100)
    def test_patch_decorator(self, fake):
        self.assertEqual(helper(2), 200)
        self.assertEqual(fake.call_count, 1)

    def test_magic_mock(self):
        m = mock.MagicMock()
        m.method.return_value = [1, 2]
        self.assertEqual(m.method(5), [1, 2])
        self.assertEqual(len(m), 0)
        m.method.assert_called_with(5)

    def test_shared(self):
        self.assertEqual(self.shared, "class fixture")

    def test_raises_regex(self):
        with self.assertRaisesRegex(RuntimeError, "network"):
            Service().fetch("x")

    def test_almost_and_sequences(self):
        self.assertAlmostEqual(0.1 + 0.2, 0.3)
        self.assertCountEqual([3, 1, 2], [1, 2, 3])
        self.assertIsInstance(Service(), Service)


stream = io.StringIO()
suite = unittest.defaultTestLoader.loadTestsFromTestCase(MockTests)
result = unittest.TextTestRunner(stream=stream, verbosity=2).run(suite)
print(stream.getvalue())
print(result.wasSuccessful(), result.testsRun)
