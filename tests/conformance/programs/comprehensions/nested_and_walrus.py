matrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
print([[row[i] for row in matrix] for i in range(3)])
print([v for row in matrix for v in row if v % 2 == 0])
flat = {(r, c): matrix[r][c] for r in range(3) for c in range(3) if r == c}
print(flat)
total = 0
print([total := total + v for v in range(5)], total)
print([y for x in range(6) if (y := x * x) > 5])
print(y)
def first_match(items):
    if any((hit := it) > 3 for it in items):
        return hit
print(first_match([1, 5, 2, 7]))
print(list(zip(*matrix)))
print([(x, y) for x, y in [(1, 2), (3, 4)]])
print([a + b for a, *b in [(1, 2, 3)] for b in [sum(b)]])
