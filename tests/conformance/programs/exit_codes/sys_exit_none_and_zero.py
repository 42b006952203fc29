import sys
try:
    sys.exit()
except SystemExit as e:
    print("code", e.code)
try:
    sys.exit(0)
except SystemExit as e:
    print("code", e.code)
try:
    raise SystemExit(5, "extra")
except SystemExit as e:
    print("args", e.args, e.code)
def cleanup():
    try:
        sys.exit(4)
    finally:
        print("finally runs on exit")
try:
    cleanup()
except SystemExit as e:
    print("caught", e.code)
sys.exit(None)
