s = "naïve café ☕ 𝄞"
print(len(s), s.encode("utf-8"), len(s.encode("utf-8")))
print(s.encode("ascii", "replace"), s.encode("ascii", "ignore"), s.encode("ascii", "xmlcharrefreplace"))
try:
    s.encode("ascii")
except UnicodeEncodeError as e:
    print(e)
try:
    b"\xff\xfe\xfa".decode("utf-8")
except UnicodeDecodeError as e:
    print(e)
print(b"abc".hex(), bytes.fromhex("616263"), b"a,b".split(b","), b"x" * 3, b"abc"[1], b"abc"[1:])
print(bytearray(b"hello").upper(), memoryview(b"abc")[0], list(b"hi"))
print("é" == "e\u0301", __import__("unicodedata").normalize("NFC", "e\u0301") == "é")
print(repr("\x00\t\n\x7f\u200b"), "\\".join("ab"))
print(str(b"\xff", "latin-1"), "ΑΒΓ".lower(), "straße".upper())
