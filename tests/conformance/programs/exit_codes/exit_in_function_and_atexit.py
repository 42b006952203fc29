import atexit
import sys

@atexit.register
def goodbye():
    print("atexit handler ran")

def main():
    print("main running")
    return 7

if __name__ == "__main__":
    sys.exit(main())
