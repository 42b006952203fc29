"""Writing a file whole or not at all: a temporary file beside it, then a rename."""

from __future__ import annotations

import os
import secrets


def write_atomic(
    path: str, data: bytes | str, mode: int = 0o666, *, make_dirs: bool = False
) -> None:
    """Write data (str as UTF-8) to path through a temporary file and a rename; raise OSError.

    Readers see the old file or the new one, never a part; a failed write leaves no
    temporary file behind.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    parent = os.path.dirname(path)
    if parent and make_dirs:
        os.makedirs(parent, exist_ok=True)
    # A unique name per writer: concurrent processes may write the same file.
    tmp = f"{path}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_EXCL | os.O_CREAT | os.O_WRONLY | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
