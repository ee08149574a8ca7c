"""Raising the official client's exceptions from purespike code."""

from __future__ import annotations

import sys

from . import exception


def _where() -> tuple[str | None, int | None]:
    frame = sys._getframe(2)
    return frame.f_code.co_filename, frame.f_lineno


def param_error(msg: str) -> Exception:
    """ParamError(-2, msg): a bad argument detected before anything is sent."""
    return exception.exception_for(-2, msg, False, *_where())


def client_error(msg: str) -> Exception:
    return exception.exception_for(-1, msg, False, *_where())


def bin_name_error(msg: str) -> Exception:
    return exception.exception_for(21, msg, False, *_where())
