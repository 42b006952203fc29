"""Benchmark: a small task scheduler with polymorphic method dispatch and queues."""

import sys
from collections import deque


class Task:
    def __init__(self, name, work):
        self.name = name
        self.work = work
        self.done = 0

    def run(self, sched):
        raise NotImplementedError


class Worker(Task):
    def run(self, sched):
        self.done += self.work
        if self.done % 3 == 0:
            sched.spawn(Helper(self.name + "h", 1))
        return self.done < 60


class Helper(Task):
    def run(self, sched):
        self.done += 1
        return False


class Scheduler:
    def __init__(self):
        self.queue = deque()
        self.finished = 0

    def spawn(self, task):
        self.queue.append(task)

    def loop(self):
        while self.queue:
            task = self.queue.popleft()
            if task.run(self):
                self.queue.append(task)
            else:
                self.finished += 1


def main(scale):
    total = 0
    for r in range(20 * scale):
        s = Scheduler()
        for i in range(20):
            s.spawn(Worker(f"w{i}", 1 + (i + r) % 3))
        s.loop()
        total += s.finished
    print(total)


main(int(sys.argv[1]) if len(sys.argv) > 1 else 38)
