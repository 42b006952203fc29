def check(a,
          b,
          c):
    if a + b > c:
        raise ValueError(
            "sum too large: "
            + str(a + b)
        )
    return a

result = check(
    1,
    2,
    1,
)
