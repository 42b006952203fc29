"""Checks and decoding of program source files, as CPython's file tokenizer does them.

What belongs here: ``check_script_source`` (null bytes, bad encodings: the errors the
tokenizer gives), coding-cookie and BOM decoding, and ``PROG``.  What does not:
parsing and compiling (pvm.compiler), where a file comes from (pvm.runtime.main,
pvm.runtime.importer).
"""

from __future__ import annotations

import codecs
import io
import tokenize

# The name pvm gives itself in messages where python3 gives its executable's path.
PROG = "pvm"


def check_script_source(data: bytes, filename: str) -> SyntaxError | None:
    """Return the SyntaxError CPython's file tokenizer gives for null bytes or bad encodings.

    ``ast.parse`` reports these differently from `python3 FILE` (which reads the file
    line by line), so the script path checks for them first; None if the source is fine.
    """
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8) :]
    cookie = _find_cookie(data)
    if cookie is not None:
        try:
            codecs.lookup(cookie)
        except LookupError:
            return SyntaxError(f"encoding problem: {cookie}")
        if bom and cookie != "utf-8":
            return SyntaxError(f"encoding problem: {cookie} with BOM")
    encoding = cookie or "utf-8"
    if b"\0" not in data:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            pass
        else:
            return None  # the common case: nothing to report
    for lineno, line in enumerate(data.splitlines(keepends=True), start=1):
        null = line.find(b"\0")
        head = line if null < 0 else line[:null]
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError as exc:
            if cookie == "utf-8":
                return None  # declared UTF-8 is checked by the parser, as in CPython
            if cookie is not None:
                return SyntaxError(f"encoding problem: {cookie}")
            return SyntaxError(
                f"Non-UTF-8 code starting with '\\x{head[exc.start]:02x}' in file {filename} "
                f"on line {lineno}, but no encoding declared; "
                "see https://peps.python.org/pep-0263/ for details"
            )
        if null >= 0:
            return SyntaxError(
                "source code cannot contain null bytes", (filename, lineno, None, text, None, None)
            )
    return None


def _find_cookie(data: bytes) -> str | None:
    """Return the normalized PEP 263 encoding declared in the first two lines, if any."""
    for line in data.split(b"\n", 2)[:2]:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            return None
        match = tokenize.cookie_re.match(text)
        if match:
            return _normal_encoding_name(match.group(1))
        if not tokenize.blank_re.match(line):
            return None
    return None


def _normal_encoding_name(name: str) -> str:
    # The same folding as CPython's tokenizer (get_normal_name).
    enc = name[:12].lower().replace("_", "-")
    if enc == "utf-8" or enc.startswith("utf-8-"):
        return "utf-8"
    latin = ("latin-1", "iso-8859-1", "iso-latin-1")
    if enc in latin or enc.startswith(tuple(x + "-" for x in latin)):
        return "iso-8859-1"
    return name


def decode_source(data: bytes) -> str | bytes:
    """Return the text of a program read as bytes, or the bytes if they do not decode."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding).removeprefix("\ufeff")
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return data  # the compiler reports the problem as CPython would
