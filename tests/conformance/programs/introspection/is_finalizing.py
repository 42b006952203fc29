"""sys.is_finalizing() is True in a __del__ run at exit, False before."""

import sys


class AtExit:
    is_finalizing = sys.is_finalizing
    print = print

    def __del__(self):
        self.print(self.is_finalizing(), flush=True)


print(sys.is_finalizing())
ref = AtExit()
