"""logging's module lock and handler locks (RLocks of the guest's threading) taken by 16 threads."""

import io
import logging
import threading


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        # Under the handler's lock (Handler.handle): a read-modify-write that must not race.
        n = len(self.records)
        self.records.append((record.name, record.getMessage(), n))


collect = Collect()
stream = io.StringIO()
text = logging.StreamHandler(stream)
text.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
root = logging.getLogger("app")
root.setLevel(logging.INFO)
root.addHandler(collect)
root.addHandler(text)
start = threading.Barrier(16)


def worker(k):
    log = logging.getLogger(f"app.w{k}")  # the module lock, from every thread at once
    start.wait()
    for i in range(40):
        log.info("record %d", i)
        if i % 10 == 0:
            log.debug("not shown %d", i)


threads = [threading.Thread(target=worker, args=(k,)) for k in range(16)]
for t in threads:
    t.start()
for t in threads:
    t.join()

print(len(collect.records))
print([n for _, _, n in collect.records] == list(range(len(collect.records))))
per_logger = {}
for name, message, _ in collect.records:
    per_logger.setdefault(name, []).append(message)
print(sorted(per_logger) == sorted(f"app.w{k}" for k in range(16)))
print(all(m == [f"record {i}" for i in range(40)] for m in per_logger.values()))
lines = stream.getvalue().splitlines()
print(len(lines), sorted(set(line.split()[1] for line in lines)))
