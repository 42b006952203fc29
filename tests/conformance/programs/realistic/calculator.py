"""A tokenizer and recursive-descent evaluator with variables and errors."""
import math
import re
from dataclasses import dataclass
from enum import Enum, auto


class Kind(Enum):
    NUM = auto()
    NAME = auto()
    OP = auto()
    END = auto()


@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str
    pos: int


class CalcError(Exception):
    def __init__(self, msg, pos):
        super().__init__(f"{msg} at {pos}")
        self.pos = pos


TOKEN_RE = re.compile(r"\s*(?:(\d+\.?\d*)|([A-Za-z_]\w*)|(\*\*|[-+*/()=,%]))")


def tokenize(src):
    pos = 0
    while pos < len(src):
        if src[pos:].strip() == "":
            break
        m = TOKEN_RE.match(src, pos)
        if not m:
            raise CalcError(f"bad character {src[pos]!r}", pos)
        num, name, op = m.groups()
        if num:
            yield Token(Kind.NUM, num, m.start(1))
        elif name:
            yield Token(Kind.NAME, name, m.start(2))
        else:
            yield Token(Kind.OP, op, m.start(3))
        pos = m.end()
    yield Token(Kind.END, "", pos)


class Parser:
    FUNCS = {"sqrt": math.sqrt, "max": max, "min": min, "abs": abs}

    def __init__(self, src, env):
        self.tokens = list(tokenize(src))
        self.i = 0
        self.env = env

    @property
    def tok(self):
        return self.tokens[self.i]

    def eat(self, text=None):
        t = self.tok
        if text is not None and t.text != text:
            raise CalcError(f"expected {text!r}, got {t.text or 'end'!r}", t.pos)
        self.i += 1
        return t

    def statement(self):
        if self.tok.kind is Kind.NAME and self.tokens[self.i + 1].text == "=":
            name = self.eat().text
            self.eat("=")
            value = self.expr()
            self.env[name] = value
            return value
        return self.expr()

    def expr(self):
        value = self.term()
        while self.tok.text in ("+", "-"):
            op = self.eat().text
            rhs = self.term()
            value = value + rhs if op == "+" else value - rhs
        return value

    def term(self):
        value = self.power()
        while self.tok.text in ("*", "/", "%"):
            op, pos = self.tok.text, self.eat().pos
            rhs = self.power()
            try:
                value = {"*": lambda a, b: a * b, "/": lambda a, b: a / b,
                         "%": lambda a, b: a % b}[op](value, rhs)
            except ZeroDivisionError:
                raise CalcError("division by zero", pos) from None
        return value

    def power(self):
        base = self.unary()
        if self.tok.text == "**":
            self.eat()
            return base ** self.power()
        return base

    def unary(self):
        if self.tok.text == "-":
            self.eat()
            return -self.unary()
        return self.atom()

    def atom(self):
        t = self.tok
        match t:
            case Token(kind=Kind.NUM, text=text):
                self.eat()
                return float(text) if "." in text else int(text)
            case Token(kind=Kind.NAME, text=name) if name in self.FUNCS:
                self.eat()
                self.eat("(")
                args = [self.expr()]
                while self.tok.text == ",":
                    self.eat()
                    args.append(self.expr())
                self.eat(")")
                return self.FUNCS[name](*args)
            case Token(kind=Kind.NAME, text=name):
                self.eat()
                if name not in self.env:
                    raise CalcError(f"unknown name {name!r}", t.pos)
                return self.env[name]
            case Token(text="("):
                self.eat()
                v = self.expr()
                self.eat(")")
                return v
            case _:
                raise CalcError(f"unexpected {t.text or 'end'!r}", t.pos)


env = {"pi": math.pi}
lines = ["x = 3", "y = x ** 2 ** 1 + 1", "max(x, y, 7) * 2", "sqrt(16) + -x", "10 / (y - 10)",
         "z + 1", "(1 + 2", "3 $ 4", "r = 2.5", "pi * r ** 2", "17 % 5 - -3", "min(1)"]
for line in lines:
    try:
        print(f"{line:<22} => {Parser(line, env).statement()!r}")
    except CalcError as e:
        print(f"{line:<22} !! {e}")
print(sorted(env))
