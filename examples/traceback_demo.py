"""An uncaught guest exception: pvm prints CPython's traceback, with chaining and carets."""


class Inventory:
    def __init__(self, stock):
        self.stock = stock

    def take(self, item, count):
        try:
            have = self.stock[item]
        except KeyError as exc:
            raise LookupError(f"no {item!r} in stock") from exc
        if count > have:
            raise ValueError(f"only {have} {item} left, wanted {count}")
        self.stock[item] = have - count


def main():
    inv = Inventory({"apples": 3})
    inv.take("apples", 2)
    inv.take("pears", 1)


main()
