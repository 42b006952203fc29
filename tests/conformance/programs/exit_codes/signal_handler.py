import os
import signal

received = []

def handler(signum, frame):
    received.append((signal.Signals(signum).name, frame.f_code.co_name))

signal.signal(signal.SIGUSR1, handler)

def work():
    os.kill(os.getpid(), signal.SIGUSR1)
    return sum(range(100))

print(work(), received)
signal.signal(signal.SIGINT, signal.default_int_handler)
try:
    os.kill(os.getpid(), signal.SIGINT)
except KeyboardInterrupt:
    print("caught KeyboardInterrupt")
