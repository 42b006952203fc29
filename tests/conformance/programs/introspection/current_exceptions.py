"""sys._current_exceptions(): each thread's handled exception and its traceback."""

import sys
import threading
import traceback

entered = threading.Event()
leave = threading.Event()
info = []


def f123():
    g456()


def g456():
    info.append(threading.get_ident())
    try:
        raise ValueError("oops")
    except ValueError:
        entered.set()
        leave.wait()


t = threading.Thread(target=f123)
t.start()
entered.wait()
d = sys._current_exceptions()
print(d.pop(threading.get_ident()))
exc_type, exc_value, exc_tb = d.pop(info[0])
print(exc_type, exc_value, exc_tb.tb_lineno)
names = [(name, line) for _, _, name, line in traceback.extract_stack(exc_tb.tb_frame)]
print(names[-2:])
leave.set()
t.join()
try:
    raise ZeroDivisionError
except ZeroDivisionError:
    print(sys._current_exceptions()[threading.get_ident()][0])
