"""The seed's threading example: one thread prints five numbers, the main thread joins it."""

import threading


def print_numbers():
    for i in range(5):
        print(i)


thread = threading.Thread(target=print_numbers)
thread.start()
thread.join()
