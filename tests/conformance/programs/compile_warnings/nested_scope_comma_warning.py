show = lambda s, f: print(s)
show('x', lambda: [v for v in (1, 2, 3) if [v for v in (1, 2, 3) if 0[0:0]]])
