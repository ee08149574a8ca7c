"""Lua states for UDF modules (via lupa, Lua 5.4 as in Aerospike 7+) and value conversion.

Each registered module runs in its own `ModuleState`: a LuaRuntime with spikelite's prelude
(prelude.lua: list, map, bytes, geojson, record, aerospike and the sandbox) and the module's chunk
loaded into a sandboxed environment. Python objects never reach user code: lupa's Python globals
are not registered, attribute access on Python objects is refused, and user code only sees Lua
closures. Values cross the boundary through `to_lua` / `from_lua`, using the CDT value model of
`spikelite.binops.cdt.values` on the Python side.
"""

from __future__ import annotations

import logging
import time
from importlib import resources
from typing import Any, Callable

from ..binops.cdt.values import Blob, CdtList, CdtMap, Ext, Geo
from ..wire import AerospikeWireError, ParticleType, ResultCode

log = logging.getLogger("spikelite.udf")

#: Where a real node keeps user modules; used in chunk names so error texts look the same.
DEFAULT_USER_PATH = "/opt/aerospike/usr/udf/lua"
#: Lua instructions between two deadline checks.
HOOK_COUNT = 1000
#: How long a module's main chunk may run when it is loaded (udf-put, first use, start): the
#: server is one thread, so a chunk that never returns must not hold it.
LOAD_TIMEOUT_S = 2.0
#: Memory one Lua state may use.
MAX_MEMORY = 256 * 1024 * 1024

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1
_LEVELS = {1: logging.WARNING, 2: logging.INFO, 3: logging.DEBUG, 4: logging.DEBUG}


def lupa_module():
    """The lupa binding for Lua 5.4 (falls back to lupa's default Lua)."""
    try:
        import lupa.lua54 as mod  # type: ignore
    except ImportError:  # pragma: no cover - older lupa layouts
        import lupa as mod  # type: ignore
    return mod


def _deny_attributes(obj, name, is_setting):
    raise AttributeError("access to Python attributes is not allowed")


def _prelude_source() -> bytes:
    return resources.files(__package__).joinpath("prelude.lua").read_bytes()


class Deadline:
    """The transaction deadline the instruction hook checks."""

    def __init__(self) -> None:
        self.at: float | None = None

    def expired(self) -> bool:
        return self.at is not None and time.monotonic() >= self.at


class LuaError(Exception):
    """A module could not be loaded (syntax or load-time error); `message` is Lua's text."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ModuleState:
    """One Lua state with one user module loaded."""

    def __init__(self, name: str, source: bytes, chunkname: str,
                 sources: Callable[[str], bytes | None] | None = None,
                 user_path: str = DEFAULT_USER_PATH, run_main: bool = True):
        mod = lupa_module()
        self._lupa = mod
        kwargs = dict(encoding=None, register_eval=False, register_builtins=False,
                      unpack_returned_tuples=True, attribute_filter=_deny_attributes)
        try:
            self.lua = mod.LuaRuntime(max_memory=MAX_MEMORY, **kwargs)
        except TypeError:  # pragma: no cover - lupa without memory limits
            self.lua = mod.LuaRuntime(**kwargs)
        self.name = name
        self.deadline = Deadline()
        self.user_path = user_path
        self._sources = sources or (lambda _name: None)
        host = self.lua.table_from({
            b"log": self._log,
            b"check": self.deadline.expired,
            b"now": lambda: int(time.time() * 1000),
            b"source": self._required_source,
        })
        self.H = self.lua.compile(_prelude_source())(host)
        self.env = None
        done, result = self._run(LOAD_TIMEOUT_S, self.H.load_module, source, chunkname.encode())
        env, err = result if done else (None, result)
        if env is None:
            raise LuaError(_text(err))
        self.env = env

    # -- callbacks from Lua -----------------------------------------------------------------------

    def _log(self, level, message) -> None:
        text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
        log.log(_LEVELS.get(level, logging.INFO), "udf %s: %s", self.name, text)

    def _required_source(self, name):
        text = name.decode("utf-8", "replace") if isinstance(name, bytes) else str(name)
        source = self._sources(text)
        if source is None:
            return None
        return source, ("@%s/%s.lua" % (self.user_path, text)).encode()

    # -- calls ------------------------------------------------------------------------------------

    def _run(self, timeout_s: float | None, run, *args) -> tuple[bool, Any]:
        """(True, run(*args)) under the deadline and the instruction-count hook, or (False, the
        error message as bytes) when Lua raised."""
        self.deadline.at = None if timeout_s is None else time.monotonic() + timeout_s
        self.H.arm(HOOK_COUNT)
        try:
            return True, run(*args)
        except self._lupa.LuaMemoryError:
            return False, b"not enough memory"
        except self._lupa.LuaError as exc:
            return False, str(exc).encode()
        finally:
            self.H.disarm()
            self.deadline.at = None

    def call(self, function: str, args: list, timeout_s: float | None) -> tuple[bool, Any]:
        """Run env[function](*args) (args already Lua values) under the deadline.

        Returns (True, Lua result) or (False, error value)."""
        done, result = self._run(timeout_s, self.H.call, self.env, function.encode(), *args)
        if not done:
            return False, result
        if isinstance(result, tuple):
            ok = result[0]
            value = result[1] if len(result) > 1 else None
        else:
            ok, value = bool(result), None
        return bool(ok), value

    def has_function(self, function: str) -> bool:
        return self._lupa.lua_type(self.env[function.encode()]) == "function"

    def stream(self, function: str, args: list, next_value, client_side: bool,
               timeout_s: float | None, merge: bool = False) -> tuple[bool, Any]:
        """Run the ops of one side of stream function `function` over next_value()'s values (with
        `merge`: only the server side's closing reduce, folding per-partition results).

        Returns (True, [Lua values]) or (False, error value)."""
        if merge:
            done, result = self._run(timeout_s, self.H.stream_merge, self.env, function.encode(),
                                     next_value, *args)
        else:
            done, result = self._run(timeout_s, self.H.stream_run, self.env, function.encode(),
                                     client_side, next_value, *args)
        if not done:
            return False, result
        if not isinstance(result, tuple) or not result[0]:
            return False, result[1] if isinstance(result, tuple) and len(result) > 1 else None
        out, n = result[1], result[2]
        return True, [out[i] for i in range(1, int(n) + 1)]

    # -- conversion -------------------------------------------------------------------------------

    def to_lua(self, value: Any) -> Any:
        """A Python (CDT model) value as a Lua value."""
        H = self.H
        if value is None or value is True or value is False:
            return value
        if isinstance(value, int):
            if _INT64_MIN <= value <= _INT64_MAX:
                return value
            return value - (1 << 64) if value <= (1 << 64) - 1 else float(value)
        if isinstance(value, float):
            return float(value)
        if isinstance(value, Geo):
            return H.new_geojson(value.encode("utf-8", "surrogateescape"))
        if isinstance(value, str):
            return value.encode("utf-8", "surrogateescape")
        if isinstance(value, Blob):
            prefix = value.prefix if value.prefix is not None else ParticleType.BLOB
            return H.new_bytes(bytes(value), int(prefix))
        if isinstance(value, (bytes, bytearray)):
            return H.new_bytes(bytes(value), int(ParticleType.BLOB))
        if isinstance(value, CdtMap):
            keys = self.lua.table_from([self.to_lua(k) for k, _ in value])
            values = self.lua.table_from([self.to_lua(v) for _, v in value])
            try:
                return H.new_map(keys, values, len(value))
            except self._lupa.LuaError as exc:  # a key a Lua table cannot hold: nil, NaN
                raise AerospikeWireError(ResultCode.PARAMETER, "map key Lua cannot hold: %s" % exc) from None
        if isinstance(value, (list, tuple)):
            items = self.lua.table()
            for i, item in enumerate(value, 1):
                converted = self.to_lua(item)
                if converted is not None:
                    items[i] = converted
            return H.new_list(items, len(value))
        if isinstance(value, dict):
            return self.to_lua(CdtMap(list(value.items())))
        return None  # Ext and markers have no Lua form

    def from_lua(self, value: Any, depth: int = 0) -> Any:
        """A Lua value as a Python (CDT model) value; plain tables and functions become None."""
        if value is None or isinstance(value, (bool, int, float)):
            return value
        if isinstance(value, bytes):
            return value.decode("utf-8", "surrogateescape")
        if depth > 64 or self._lupa.lua_type(value) != "table":
            return None
        H = self.H
        kind = H.kind(value)
        if kind == b"list":
            items, n = H.list_parts(value)
            return CdtList([self.from_lua(items[i], depth + 1) for i in range(1, n + 1)])
        if kind == b"map":
            keys, values, n = H.map_parts(value)
            return CdtMap([(self.from_lua(keys[i], depth + 1), self.from_lua(values[i], depth + 1))
                           for i in range(1, n + 1)])
        if kind == b"bytes":
            data, ptype = H.bytes_parts(value)
            return Blob(data, int(ptype) if isinstance(ptype, int) else ParticleType.BLOB)
        if kind == b"geojson":
            return Geo(H.geojson_text(value).decode("utf-8", "surrogateescape"))
        return None


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def error_text(value: Any) -> str | None:
    """The FAILURE text of a Lua error value (None when it is not a string, as the server)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, str):
        return value
    return None


__all__ = ["ModuleState", "LuaError", "DEFAULT_USER_PATH", "error_text", "Ext"]
