import datetime
name, n, pi = "World", 42, 3.14159265
print(f"Hello {name}!")
print(f"{n:5d}|{n:<5}|{n:^7}|{n:>6}|{n:05}|{n:x}|{n:#o}|{n:b}|{n:,}|{n:+}")
print(f"{pi:.2f} {pi:10.3f} {pi:e} {pi:%} {pi:g} {1e20:g}")
print(f"{name!r} {name!s} {name!a} {'é'!a}")
print(f"{n=} {pi=:.1f} {name = } {n * 2 = }")
width, prec = 10, 3
print(f"[{pi:{width}.{prec}}]")
print(f"{'nested ' + f'{n}'}")
print(f"{{literal braces}} {n}")
print(f"{[1, 2][0]} {dict(a=1)['a']} {(lambda: 'lam')()}")
print(f"{3 if n > 1 else 4}")
d = datetime.date(2024, 1, 2)
print(f"{d:%Y/%m/%d}")
print(f"""multi
{name}
line""")
print(F"{n!r:>6}", rf"\n{n}", fr"{name}\t")
print(f"{n:{'>' if n else '<'}{8}}")
print(f"{name:*^11}")
print(f"{1234567.891:_.2f}")
x = 5
print(f"{x:}")
print(f'{"quoted"}')
