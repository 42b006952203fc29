"""Benchmark: method calls and attribute access on instances of guest classes."""

import sys


class Vector:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def add(self, other):
        return Vector(self.x + other.x, self.y + other.y)

    def dot(self, other):
        return self.x * other.x + self.y * other.y


class Particle:
    def __init__(self, i):
        self.pos = Vector(i, -i)
        self.vel = Vector(1, 2)
        self.steps = 0

    def step(self):
        self.pos = self.pos.add(self.vel)
        self.steps += 1
        return self.pos.dot(self.vel)


def main(scale):
    particles = [Particle(i) for i in range(100)]
    total = 0
    for _ in range(100 * scale):
        for p in particles:
            total += p.step()
    print(total, particles[7].pos.x, particles[7].steps)


main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
