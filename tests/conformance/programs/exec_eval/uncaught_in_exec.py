src = """
def fail(n):
    return 10 // n
fail(0)
"""
exec(compile(src, "<generated>", "exec"))
