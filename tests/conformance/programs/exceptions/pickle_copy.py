# Caught exceptions pickle and copy as in CPython (pvm's traceback bookkeeping stays out).
import copy
import pickle


class Custom(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def fail(exc):
    raise exc


for exc in (ZeroDivisionError("division by zero"), KeyError("k"), Custom(7)):
    try:
        fail(exc)
    except Exception as e:
        back = pickle.loads(pickle.dumps(e))
        print(type(back).__name__, back.args, getattr(back, "code", None), back.__traceback__)
        c = copy.copy(e)
        d = copy.deepcopy(e)
        print(c.args, d.args, c.__traceback__, sorted(vars(c)), sorted(vars(d)))
        try:
            raise c
        except Exception as again:
            print(again is c, again.__traceback__.tb_next)
