"""Children of sys.executable by subprocess, os.spawn* and os.exec*, and a bare os.fork."""

import os
import subprocess
import sys

CHILD = (
    "import sys; c = sys._getframe().f_code; "
    "print('child', sys.argv[1:], f'ran on {len(c.co_code) // len(list(c.co_positions()))}-byte instructions')"
)
FAIL = "import sys; sys.stderr.write('to stderr\\n'); sys.exit(7)"


def where():
    code = sys._getframe().f_code  # pvm's instructions are 4 bytes, CPython 3.11's 2
    return f"ran on {len(code.co_code) // len(list(code.co_positions()))}-byte instructions"


def flush():
    sys.stdout.flush()
    sys.stderr.flush()


if __name__ == "__main__":
    print("parent", where())
    out = subprocess.run([sys.executable, "-c", CHILD, "run"], capture_output=True, text=True)
    print("subprocess.run:", out.stdout.strip(), out.returncode)
    out = subprocess.run([sys.executable, "-c", FAIL], capture_output=True, text=True)
    print("failing child:", out.returncode, repr(out.stderr))
    print("check_output:", subprocess.check_output([sys.executable, "-c", CHILD, "co"], text=True).strip())
    try:
        subprocess.check_call([sys.executable, "-c", FAIL], stderr=subprocess.DEVNULL)
    except subprocess.CalledProcessError as e:
        print("check_call raised", e.returncode)
    p = subprocess.Popen(
        [sys.executable, "-c", "import sys; print(sys.stdin.read().upper())"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    print("communicate:", p.communicate("hello pipe")[0].strip(), p.returncode)
    p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    p.terminate()
    print("terminated child:", p.wait())
    p = subprocess.Popen([sys.executable, "-u", "-c", CHILD, "-u"], stdout=subprocess.PIPE, text=True)
    print("with -u:", p.stdout.read().strip(), p.wait())

    flush()
    code = os.spawnv(os.P_WAIT, sys.executable, [sys.executable, "-c", CHILD, "spawnv"])
    print("spawnv ->", code)
    flush()
    code = os.spawnl(os.P_WAIT, sys.executable, sys.executable, "-c", FAIL)
    print("spawnl ->", code)
    flush()
    pid = os.spawnv(os.P_NOWAIT, sys.executable, [sys.executable, "-c", CHILD, "nowait"])
    print("spawnv nowait ->", os.waitpid(pid, 0)[1] >> 8)

    flush()
    pid = os.fork()
    if pid == 0:
        print("forked child", where())
        flush()
        os.execv(sys.executable, [sys.executable, "-c", CHILD, "execv"])
    _, status = os.waitpid(pid, 0)
    print("execv child status", os.waitstatus_to_exitcode(status))
    flush()
    pid = os.fork()
    if pid == 0:
        os.execl(sys.executable, sys.executable, "-c", FAIL)
    print("execl child status", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
