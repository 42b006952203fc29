"""Guest sys.settrace / sys.setprofile: the events CPython 3.11 reports, differentially."""

from __future__ import annotations

import helpers

TRACER = """\
import sys
def tr(frame, event, arg):
    if event == 'exception':
        a = (arg[0].__name__, str(arg[1]), type(arg[2]).__name__)
    elif event.startswith('c_'):
        a = arg.__name__
    else:
        a = repr(arg)
    print(event, frame.f_code.co_name, frame.f_lineno - frame.f_code.co_firstlineno, a)
    return tr
"""


def check(body: str, tmp_path) -> None:
    helpers.assert_same_as_cpython(TRACER + body, tmp_path)


def test_calls_lines_loops(tmp_path):
    check(
        """
def f(): return 1
def g(n):
    for i in range(n):
        x = i
    while n:
        n -= 1
    else:
        x += 10
    return x
class C:
    a = 1
sys.settrace(tr)
f()
g(2)
(lambda q: q + 1)(1)
class D:
    b = [i for i in range(2)]
sys.settrace(None)
print('off', sys.gettrace())
""",
        tmp_path,
    )


def test_generators_and_coroutines(tmp_path):
    check(
        """
def gen(n):
    for i in range(n):
        yield i
    return None
def co():
    x = yield 1
    y = yield x
    return y
def deleg():
    r = yield from co()
    return r
sys.settrace(tr)
for v in gen(2):
    pass
print(list(gen(2)))
c = co()
next(c)
c.send(5)
try:
    c.send(7)
except StopIteration as e:
    print('ret', e.value)
d = deleg()
next(d); d.send(1)
try:
    d.send(2)
except StopIteration as e:
    print('ret', e.value)
sys.settrace(None)
""",
        tmp_path,
    )


def test_exceptions_caught(tmp_path):
    check(
        """
def catcher():
    try:
        1/0
    except ZeroDivisionError:
        x = 1
    try:
        raise KeyError('k')
    except KeyError as e:
        pass
    finally:
        x += 1
    return x
def thrower():
    raise ValueError('v')
def outer():
    try:
        thrower()
    except ValueError:
        return 'caught'
sys.settrace(tr)
catcher()
outer()
sys.settrace(None)
""",
        tmp_path,
    )


def test_exception_uncaught_in_traced_frames(tmp_path):
    check(
        """
def deep():
    raise RuntimeError('boom')
def mid():
    deep()
sys.settrace(tr)
try:
    mid()
except RuntimeError:
    pass
sys.settrace(None)
print('done')
""",
        tmp_path,
    )


def test_tracer_returning_none_and_settrace_in_function(tmp_path):
    check(
        """
def picky(frame, event, arg):
    print(event, frame.f_code.co_name, frame.f_lineno - frame.f_code.co_firstlineno)
    if frame.f_code.co_name == 'quiet':
        return None
    return picky
def quiet(n):
    x = n
    return x
def inner():
    y = 1
    return y
def setter():
    sys.settrace(picky)
    print(sys.gettrace() is picky)
    a = inner()
    b = 2
    return a + b
setter()
quiet(3)
sys.settrace(None)
""",
        tmp_path,
    )


def test_local_tracer_and_trace_lines(tmp_path):
    check(
        """
def local(frame, event, arg):
    print('local', event, frame.f_lineno - frame.f_code.co_firstlineno)
    return local
def glob(frame, event, arg):
    print('global', event, frame.f_code.co_name)
    if frame.f_code.co_name == 'nolines':
        frame.f_trace_lines = False
    return local
def f():
    a = 1
    b = 2
    return a + b
def nolines():
    a = 1
    return a
sys.settrace(glob)
f()
nolines()
sys.settrace(None)
""",
        tmp_path,
    )


def test_trace_function_raising_stops_tracing(tmp_path):
    check(
        """
def bad(frame, event, arg):
    if event == 'line':
        raise KeyError('from tracer')
    return bad
def f():
    x = 1
    return x
sys.settrace(bad)
try:
    f()
except KeyError as e:
    print('caught', e)
print(sys.gettrace())
f()
""",
        tmp_path,
    )


def test_f_trace_on_running_frame(tmp_path):
    check(
        """
def local(frame, event, arg):
    print('local', event, frame.f_code.co_name, frame.f_lineno - frame.f_code.co_firstlineno)
    return local
def f():
    sys.settrace(lambda *a: None)
    sys._getframe().f_trace = local
    for i in range(2):
        pass
    x = 3
    sys.settrace(None)
    return x
f()
""",
        tmp_path,
    )


def test_profile_c_calls(tmp_path):
    check(
        """
def f(n):
    s = len([1, 2])
    s += abs(-n)
    l = []
    l.append(1)
    try:
        int('x')
    except ValueError:
        pass
    try:
        divmod(1, 0)
    except ZeroDivisionError:
        pass
    return sorted([3, 1], key=None, reverse=True)
def g():
    return f(2)
def gen():
    yield 1
sys.setprofile(tr)
print(sys.getprofile() is tr)
g()
list(gen())
sys.setprofile(None)
print('end')
""",
        tmp_path,
    )


def test_frame_is_getframe_view(tmp_path):
    helpers.assert_same_as_cpython(
        """
import sys
seen = []
def tr(frame, event, arg):
    if event == 'call' and frame.f_code.co_name == 'f':
        seen.append(frame)
    return None
def f():
    return sys._getframe()
sys.settrace(tr)
me = f()
sys.settrace(None)
print(seen[0] is me, me.f_trace)
""",
        tmp_path,
    )


def test_trace_function_errors(tmp_path):
    check(
        """
def f(a):
    b = a + 1
    return b
def bad_call(frame, event, arg):
    raise ValueError('in call')
sys.settrace(bad_call)
try:
    f(3)
except ValueError as e:
    print('caught', e, sys.gettrace())
def bad_ret(frame, event, arg):
    if event == 'return':
        raise KeyError('in return')
    return bad_ret
sys.settrace(bad_ret)
try:
    f(4)
except KeyError as e:
    print('caught', e, sys.gettrace())
def bad_exc(frame, event, arg):
    if event == 'exception':
        raise KeyError('in exception')
    return bad_exc
def g():
    try:
        1/0
    except ZeroDivisionError:
        return 'zde'
sys.settrace(bad_exc)
try:
    print(g())
except KeyError as e:
    print('caught', e, sys.gettrace())
try:
    sys._getframe().f_lineno = 3
except ValueError as e:
    print(type(e).__name__)
""",
        tmp_path,
    )


def test_opcode_events(tmp_path):
    check(
        """
def optr(frame, event, arg):
    if frame.f_code.co_name == 'f':
        frame.f_trace_opcodes = True
        if event != 'opcode':
            print(event, frame.f_lineno - frame.f_code.co_firstlineno)
        else:
            seen.add(frame.f_lineno - frame.f_code.co_firstlineno)
    return optr
seen = set()
def f(a):
    b = a + 1
    return b
sys.settrace(optr)
f(1)
sys.settrace(None)
print(sorted(seen))
""",
        tmp_path,
    )


def test_threading_settrace_and_setprofile(tmp_path):
    check(
        """
import threading
def tr2(frame, event, arg):
    if frame.f_code.co_name in ('work', 'helper'):
        print(threading.current_thread().name, event, frame.f_code.co_name,
              frame.f_lineno - frame.f_code.co_firstlineno, repr(arg))
    return tr2
def helper(x):
    return x * 2
def work():
    y = helper(3)
    return y
threading.settrace(tr2)
t = threading.Thread(target=work, name='T1')
t.start(); t.join()
threading.settrace(None)
print(sys.gettrace())
work()
def prof(frame, event, arg):
    if frame.f_code.co_name in ('work', 'helper'):
        print('prof', threading.current_thread().name, event, frame.f_code.co_name)
threading.setprofile(prof)
t = threading.Thread(target=work, name='T3')
t.start(); t.join()
threading.setprofile(None)
print(sys.getprofile())
""",
        tmp_path,
    )


def test_tracer_writes_locals_back(tmp_path):
    check(
        """
def setx(frame, event, arg):
    if event == 'line' and frame.f_code.co_name == 'f':
        if frame.f_lineno - frame.f_code.co_firstlineno == 2:
            frame.f_locals['x'] = 99
    return setx
def f():
    x = 1
    c = 0
    def g(): return c
    return x, g()
sys.settrace(setx)
print(f())
sys.settrace(None)
""",
        tmp_path,
    )


def test_f_trace_on_waiting_caller_and_throw_into_generator(tmp_path):
    check(
        """
def _settrace_and_return(tracefunc):
    sys.settrace(tracefunc)
    sys._getframe().f_back.f_trace = tracefunc
def settrace_and_return(tracefunc):
    _settrace_and_return(tracefunc)
settrace_and_return(tr)
sys.settrace(None)
def generator_function():
    try:
        yield True
        "continued"
    finally:
        "finally"
def example():
    g = generator_function()
    next(g)
    g.close()
    return 1
sys.settrace(tr)
example()
sys.settrace(None)
""",
        tmp_path,
    )


def test_setprofile_reports_waiting_callers(tmp_path):
    check(
        """
def start():
    sys.setprofile(tr)
def outer():
    start()
    return 'outer'
outer()
sys.setprofile(None)
""",
        tmp_path,
    )
