class C:
    def m(self):
        return list((yield x) for x in range(2))
