class C:
    v = [(y := x) for x in range(3)]
