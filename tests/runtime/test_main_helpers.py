"""Exit statuses and script checks of pvm.runtime.main, against CPython's rules."""

from __future__ import annotations

import pytest

from pvm.runtime import main, source


@pytest.mark.parametrize(
    ("code", "status", "printed"),
    [
        (None, 0, ""),
        (0, 0, ""),
        (3, 3, ""),
        (True, 1, ""),
        (-1, -1, ""),
        (2**70, -1, ""),
        ("bye", 1, "bye\n"),
        ((1, 2), 1, "(1, 2)\n"),
    ],
)
def test_system_exit_status(code, status, printed, capsys):
    exc = SystemExit(code) if code is not None else SystemExit()
    if isinstance(code, tuple):
        exc = SystemExit(*code)
    assert main._system_exit_status(exc) == status
    assert capsys.readouterr().err == printed


def test_script_with_nul_bytes():
    err = source.check_script_source(b"x = 1\ny = 'a\0b'\n", "/p.py")
    assert (err.msg, err.lineno, err.offset, err.text) == (
        "source code cannot contain null bytes",
        2,
        None,
        "y = 'a",
    )


def test_script_not_utf8():
    err = source.check_script_source(b"x = 1\n\xff = 2\n", "/p.py")
    assert str(err) == (
        "Non-UTF-8 code starting with '\\xff' in file /p.py on line 2, but no encoding "
        "declared; see https://peps.python.org/pep-0263/ for details"
    )
    assert source.check_script_source(b"# -*- coding: latin-1 -*-\n\xff = 2\n", "/p.py") is None


def test_find_main_spec_errors():
    with pytest.raises(main._RunError, match="Relative module names not supported"):
        main._find_main_spec(".x")
    with pytest.raises(main._RunError, match="No module named no_such_mod_q"):
        main._find_main_spec("no_such_mod_q")
    with pytest.raises(main._RunError) as info:
        main._find_main_spec("email")
    assert str(info.value) == (
        "No module named email.__main__; 'email' is a package and cannot be directly executed"
    )
