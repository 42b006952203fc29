import sys
import __main__
print(__main__.__name__, __main__ is sys.modules["__main__"], hasattr(__main__, "VALUE"))
VALUE = 1
print(__main__.VALUE, __main__.__file__ == __file__)
if __name__ == "__main__":
    import main as again
    print("imported self as", again.__name__, again is __main__, again.VALUE)
print("end of", __name__)
print(type(sys.modules[__name__]).__name__, __spec__ if __name__ == "__main__" else __spec__.name)
print(sorted(k for k in vars(__main__) if k.startswith("__"))[:6])
