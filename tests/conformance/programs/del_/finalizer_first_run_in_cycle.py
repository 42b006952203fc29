# A finalizer whose function has never run, collected with its class in a garbage cycle:
# the host's collector clears weak references into the cycle before running __del__, so
# the function's code must still decode and run then (pvm decodes code on first run).
import gc


def make():
    ns = {}
    exec("class D:\n    def __del__(self):\n        print('D.__del__ ran', type(self).__name__)\n", ns)
    ns["inst"] = ns["D"]()
    ns["self_ref"] = ns


make()
print("collected", gc.collect() > 0)


class C:
    def __del__(self):
        print("C.__del__ ran")
        self.helper()

    def helper(self):
        print("helper ran too")


c = C()
c.cycle = c
del c
print("collected", gc.collect() > 0)
