import os
import signal

def loop():
    total = 0
    for i in range(3):
        total += i
    os.kill(os.getpid(), signal.SIGINT)
    for i in range(1000):
        total += i
    return total

print("sending SIGINT to myself", flush=True)
loop()
print("not reached")
