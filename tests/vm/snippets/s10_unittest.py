import unittest, io
class T(unittest.TestCase):
    def setUp(self):
        self.v = 1
    def test_ok(self):
        self.assertEqual(self.v, 1)
    def test_fail(self):
        self.assertEqual(self.v, 2)
    def test_error(self):
        raise KeyError('boom')
    def test_raises(self):
        with self.assertRaises(ZeroDivisionError):
            1 / 0
    @unittest.skip("skipped")
    def test_skip(self):
        pass
    def test_sub(self):
        for i in range(3):
            with self.subTest(i=i):
                self.assertLess(i, 5)
s = io.StringIO()
r = unittest.TextTestRunner(stream=s, verbosity=0).run(unittest.defaultTestLoader.loadTestsFromTestCase(T))
print(r.testsRun, len(r.failures), len(r.errors), len(r.skipped), r.wasSuccessful())
