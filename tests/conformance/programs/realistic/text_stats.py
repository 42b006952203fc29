"""Word statistics over an embedded text: regex, Counter, groupby, formatting."""
import re
import string
import textwrap
from collections import Counter
from itertools import groupby
from statistics import mean, median

TEXT = """
It was the best of times, it was the worst of times, it was the age of wisdom,
it was the age of foolishness, it was the epoch of belief, it was the epoch of
incredulity, it was the season of Light, it was the season of Darkness, it was
the spring of hope, it was the winter of despair.
"""

words = re.findall(r"[a-z']+", TEXT.lower())
counts = Counter(words)
print(len(words), len(counts))
for word, n in counts.most_common(5):
    print(f"{word:>8} {'#' * n} {n}")
lengths = sorted(len(w) for w in words)
print(f"mean={mean(lengths):.3f} median={median(lengths)} longest={max(words, key=len)}")
by_initial = {k: sorted(set(g)) for k, g in groupby(sorted(words), key=lambda w: w[0])}
print({k: v for k, v in by_initial.items() if len(v) > 1})
sentences = [s.strip() for s in TEXT.split(",") if s.strip()]
print(len(sentences), sentences[-1])
table = str.maketrans("", "", string.punctuation)
print(textwrap.shorten(TEXT.translate(table).strip(), width=60))
caps = [w for w in re.findall(r"\b[A-Z]\w+", TEXT)]
print(caps)
pairs = Counter(zip(words, words[1:]))
print(pairs.most_common(3))
