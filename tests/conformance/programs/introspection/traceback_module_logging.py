import traceback, sys
def inner():
    raise ValueError("x")
def outer():
    inner()
try:
    outer()
except ValueError:
    traceback.print_exc()
    print("".join(traceback.format_stack()[-1:]).strip().splitlines()[0].split(",")[1])
    tb = sys.exc_info()[2]
    for fs in traceback.extract_tb(tb):
        print(fs.name, fs.lineno, fs.line)
import logging
logging.basicConfig(format="%(levelname)s %(funcName)s %(lineno)d %(message)s")
def logs():
    logging.warning("from guest")
    try:
        {}[1]
    except KeyError:
        logging.exception("with exc")
logs()
import pdb
print(type(sys.gettrace()))
