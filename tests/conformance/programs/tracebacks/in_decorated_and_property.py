import functools

def logged(fn):
    @functools.wraps(fn)
    def wrapper(*args):
        return fn(*args)
    return wrapper

class Sensor:
    def __init__(self, readings):
        self.readings = readings

    @property
    def average(self):
        return sum(self.readings) / len(self.readings)

@logged
def report(sensor):
    return f"{sensor.average:.2f}"

print(report(Sensor([1, 2, 3])))
print(report(Sensor([])))
