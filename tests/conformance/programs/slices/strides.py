r = range(20)
print(list(r[3:15:4]), r[::-1][0], r[-5:], len(r[::3]))
word = "abcdefghij"
for step in (1, 2, 3, -1, -3):
    print(step, word[::step], word[2:8:step], word[8:2:step])
n = [[1, 2, 3], [4, 5, 6]]
print([row[1:] for row in n], n[1][::-1], n[::-1][0][0])
text = "The quick brown fox"
print(text[text.index("q"):text.index(" ", 4)])
m = bytes(range(10))
print(m[2:6], list(m[::4]))
