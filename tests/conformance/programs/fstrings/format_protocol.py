class Money:
    def __init__(self, cents):
        self.cents = cents
    def __format__(self, spec):
        if spec == "short":
            return f"${self.cents // 100}"
        return f"${self.cents / 100:{spec or '.2f'}}"
    def __repr__(self):
        return "Money(...)"

m = Money(12345)
print(f"{m} {m:short} {m:.1f} {m!r}")
print(format(m, "short"), "{:short}".format(m), "{0!r}".format(m))
print("%s and %r and %5.2f and %-4d|" % ("s", "r", 2.5, 7))
print("{name} is {age:>3}".format(name="x", age=5))
print("{0}{1}{0}".format("a", "b"))
print(format(255, "#x"), format(0.5, ".0%"), format("s", "^5"))
try:
    f"{n:q}" if False else format(5, "q")
except ValueError as e:
    print(e)
try:
    format("s", "d")
except ValueError as e:
    print(e)
print(f"{'a' 'b'}", f"{1}" f"{2}" "3")
