"""Client logging: `aerospike.set_log_level`, `aerospike.set_log_handler` and `log()` for purespike.

Semantics follow the official client (19.x):

* levels are the ``aerospike.LOG_LEVEL_*`` ints: OFF -1, ERROR 0, WARN 1, INFO 2, DEBUG 3,
  TRACE 4; a message is emitted when its level <= the level set. The default is ERROR.
* the default handler prints ``"<pid>:<n> <message>"`` to file descriptor 1 (stdout, below
  Python's ``sys.stdout``), ``n`` counting the messages it printed.
* ``set_log_handler(callback)`` calls ``callback(level, func, path, line, message)`` instead;
  anything the callback raises is ignored. ``set_log_handler()`` (or a non-callable) restores
  the default handler, ``set_log_handler(None)`` silences logging until the next
  ``set_log_level()``, which falls back to the default handler when none is set.
* both functions return 0.

Messages travel through Python's ``logging`` as records of the logger named "aerospike"
(``propagate`` is off so nothing is printed twice); a handler attached to that logger
dispatches them as above. Applications may add their own handlers to that logger too.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading

from ._types import _MISSING, _parse_args

__all__ = ["set_log_level", "set_log_handler", "log", "enabled", "logger"]

_OFF = -1
_DEFAULT_LEVEL = 0          # aerospike.LOG_LEVEL_ERROR
_TRACE = 5                  # Python logging level used for aerospike.LOG_LEVEL_TRACE
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1

# aerospike level -> Python logging level (ERROR, WARN, INFO, DEBUG, TRACE)
_PY_LEVELS = (logging.ERROR, logging.WARNING, logging.INFO, logging.DEBUG, _TRACE)

_CONSOLE = "console"
_CALLBACK = "callback"
_SILENT = "silent"

_PKG_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

logger = logging.getLogger("aerospike")

_lock = threading.Lock()
_threshold: int | None = _DEFAULT_LEVEL     # None: LOG_LEVEL_OFF
_mode = _CONSOLE
_callback = None
_console_counter = itertools.count()


def _python_level(level: int) -> int:
    if level < 0:
        return logging.ERROR
    return _PY_LEVELS[min(level, len(_PY_LEVELS) - 1)]


def _sync_logger_level() -> None:
    if _threshold is None:
        logger.setLevel(logging.CRITICAL + 1)
    else:
        logger.setLevel(_python_level(min(_threshold, len(_PY_LEVELS) - 1)))


def _display_path(path: str) -> str:
    """Source path relative to the directory holding the package (like the official 'src/...')."""
    try:
        rel = os.path.relpath(path, _PKG_ROOT)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


class _DispatchHandler(logging.Handler):
    """Hands "aerospike" records to the console printer or the user's callback."""

    def emit(self, record: logging.LogRecord) -> None:
        level = getattr(record, "aerospike_level", None)
        if level is None:
            return  # not written by log(): someone else's record on our logger
        try:
            mode, callback = _mode, _callback
            if mode == _CALLBACK and callback is not None:
                callback(level, record.funcName, _display_path(record.pathname), record.lineno,
                         record.getMessage())
            elif mode == _CONSOLE:
                line = f"{os.getpid()}:{next(_console_counter)} {record.getMessage()}\n"
                os.write(1, line.encode("utf-8", "replace"))
        except Exception:  # the official client ignores failures of the handler
            pass


_dispatch_handler = _DispatchHandler()
logger.addHandler(_dispatch_handler)
logger.propagate = False
if logging.getLevelName(_TRACE) == f"Level {_TRACE}":
    logging.addLevelName(_TRACE, "TRACE")
_sync_logger_level()


# -- for the rest of purespike -----------------------------------------------------------------------

def enabled(level: int) -> bool:
    """Would a message at this aerospike.LOG_LEVEL_* level be emitted? (cheap; check before
    building an expensive message)."""
    threshold = _threshold
    return threshold is not None and _mode != _SILENT and level <= threshold


def log(level: int, message: str, *, stacklevel: int = 1) -> None:
    """Emit a client log message at an aerospike.LOG_LEVEL_* level (ERROR 0 ... TRACE 4).

    The handler gets the function, file and line of the caller (``stacklevel`` = 2 reports the
    caller's caller, for logging helpers).
    """
    if not enabled(level):
        return
    logger.log(_python_level(level), "%s", message, stacklevel=stacklevel + 1,
               extra={"aerospike_level": level})


# -- public API --------------------------------------------------------------------------------------

def set_log_level(*args, **kwargs) -> int:
    """Set the client log level (an aerospike.LOG_LEVEL_* value). Returns 0."""
    global _threshold, _mode
    (level,) = _parse_args("setLogLevel", args, kwargs, ("loglevel",), 1)
    if not isinstance(level, int):
        from ._errors import param_error
        raise param_error("Invalid log level")
    if not _INT64_MIN <= level <= _INT64_MAX:
        from ._errors import param_error
        raise param_error("integer value exceeds sys.maxsize")
    with _lock:
        if level == _OFF:
            _threshold = None
        else:
            # The official client keeps the level in a 32-bit unsigned field: any other negative
            # value lets every message through, larger ints wrap around.
            _threshold = int(level) & 0xFFFFFFFF
        if _mode == _SILENT:
            _mode = _CONSOLE
        _sync_logger_level()
    return 0


def set_log_handler(*args, **kwargs) -> int:
    """Route log messages to ``callback(level, func, path, line, message)``; with no argument
    (or a non-callable) to the default console printer; None turns them off. Returns 0."""
    global _mode, _callback
    (handler,) = _parse_args("setLogHandler", args, kwargs, ("log_handler",), 0)
    with _lock:
        if handler is None:
            _mode, _callback = _SILENT, None
        elif handler is not _MISSING and callable(handler):
            _mode, _callback = _CALLBACK, handler
        else:
            _mode, _callback = _CONSOLE, None
    return 0


set_log_level.__module__ = set_log_handler.__module__ = "aerospike"
