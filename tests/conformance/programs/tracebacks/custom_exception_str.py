class AppError(Exception):
    def __str__(self):
        return "custom message with code %d" % self.args[0]

class Empty(Exception):
    pass

def fail():
    try:
        raise Empty()
    except Empty:
        raise AppError(42)

fail()
