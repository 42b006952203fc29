import lib

def main():
    return lib.parse_all(["1", "2", "x3"])

print(main())
