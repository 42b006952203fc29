# args: first second
import sys
print("argv", sys.argv[1:], sys.argv[0].endswith("io_print_input.py"))
print("a", "b", sep="", end="|\n")
print("to stderr", file=sys.stderr)
print(1, 2, 3, sep=", ")
print()
sys.stdout.write("written\n")
sys.stderr.write("err written\n")
print("flushed", flush=True)
try:
    line = input()
except EOFError as e:
    print("EOFError", e)
print(repr(sys.stdin.read()))
print(sys.stdout.isatty(), sys.stdin.isatty())
print(*range(5), sep="")
print(sys.version_info[:2] == (3, 11), sys.platform == "linux", sys.maxsize > 2 ** 32)
