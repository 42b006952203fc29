"""The seed's multiprocessing example: a child process prints five numbers, the parent joins it."""

from multiprocessing import Process


def print_numbers():
    for i in range(5):
        print(i)


# The guard lets the example also work with the spawn and forkserver start methods.
if __name__ == "__main__":
    process = Process(target=print_numbers)
    process.start()
    process.join()
