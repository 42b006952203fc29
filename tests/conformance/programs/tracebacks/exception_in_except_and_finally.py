def cleanup():
    raise OSError("cleanup failed")

def work():
    try:
        raise ValueError("work failed")
    finally:
        cleanup()

try:
    work()
except OSError as e:
    print("caught", e, "| context:", repr(e.__context__))

def handler():
    try:
        {}["key"]
    except KeyError:
        undefined_in_handler
handler()
