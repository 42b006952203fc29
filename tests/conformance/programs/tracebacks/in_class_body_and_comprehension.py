def compute(x):
    return [1 / v for v in x]

class Config:
    values = compute([1, 2, 0])
