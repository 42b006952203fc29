import sys
sys.setrecursionlimit(10_000)
def walk(tree):
    if isinstance(tree, list):
        for t in tree:
            yield from walk(t)
    else:
        yield tree

def build(n):
    return [n] if n == 0 else [n, build(n - 1)]
print(sum(walk(build(500))))
class Node:
    def __init__(self, n):
        self.next = Node(n - 1) if n else None
    def length(self):
        return 1 + (self.next.length() if self.next else 0)
print(Node(2000).length())
def hanoi(n, a, b, c, moves):
    if n:
        hanoi(n - 1, a, c, b, moves)
        moves.append((a, c))
        hanoi(n - 1, b, a, c, moves)
    return moves
print(len(hanoi(12, "A", "B", "C", [])))
