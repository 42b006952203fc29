import inspect

def func(a, b: int = 1, *args, c, **kw) -> str:
    """Doc."""
    return "x"

class C:
    def method(self):
        pass
    @classmethod
    def cm(cls):
        pass

print(inspect.signature(func))
print(inspect.getdoc(func), inspect.isfunction(func), inspect.ismethod(C().method))
print(inspect.getfullargspec(func).args)
print(inspect.getsource(func).splitlines()[0])
print(inspect.getsourcelines(C.method)[1])
print([name for name, _ in inspect.getmembers(C, inspect.isfunction)])
print(inspect.isclass(C), inspect.getmodule(func).__name__)
print(func.__code__.co_firstlineno, C.method.__code__.co_firstlineno)
def gen():
    yield
print(inspect.isgeneratorfunction(gen), inspect.isgenerator(gen()))
async def coro():
    pass
print(inspect.iscoroutinefunction(coro))
b = inspect.signature(func).bind(1, c=3)
b.apply_defaults()
print(b.arguments)
