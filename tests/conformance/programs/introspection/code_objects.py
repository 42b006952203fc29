def f(a, b, *args, k=1, **kw):
    x = a + b
    def g():
        return x
    return g

co = f.__code__
print(co.co_name, co.co_argcount, co.co_kwonlyargcount, co.co_posonlyargcount)
print(co.co_varnames, co.co_cellvars, co.co_freevars)
print(f(1, 2).__code__.co_freevars, co.co_firstlineno, co.co_qualname)
print(bool(co.co_flags & 0x04), bool(co.co_flags & 0x08), bool(co.co_flags & 0x20))
def gen():
    yield 1
print(bool(gen.__code__.co_flags & 0x20))
print(type(co.co_consts).__name__, None in co.co_consts or True)
print(f.__code__.co_filename == __file__)
print(f.__code__.co_nlocals)
