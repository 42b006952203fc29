import sys

events = []

def tracer(frame, event, arg):
    if frame.f_code.co_filename == __file__:
        events.append((event, frame.f_code.co_name, frame.f_lineno))
    return tracer

def work(n):
    total = 0
    for i in range(n):
        total += i
    return total

sys.settrace(tracer)
work(2)
sys.settrace(None)
for e in events:
    print(*e)
print(sys.gettrace())
