import sys
import types

def make_tb():
    frame = sys._getframe()
    return types.TracebackType(None, frame, 0, frame.f_lineno)

tb = make_tb()
print(type(tb).__name__, tb.tb_frame.f_code.co_name, tb.tb_next)
try:
    raise ValueError("with tb").with_traceback(tb)
except ValueError as e:
    names = []
    t = e.__traceback__
    while t is not None:
        names.append(t.tb_frame.f_code.co_name)
        t = t.tb_next
    print(names)
def f():
    raise KeyError("k")
try:
    f()
except KeyError as e:
    tb = e.__traceback__
    print(tb.tb_frame.f_code.co_name, tb.tb_next.tb_frame.f_code.co_name, tb.tb_next.tb_lineno)
    print(tb.tb_frame is sys._getframe())
