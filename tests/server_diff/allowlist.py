"""The one list of accepted differences between spikelite and a real 8.1.2 CE node.

Each entry: a name, the reason, and a predicate over (what, real reply, spikelite reply); a
difference the test finds passes only when one entry's predicate accepts it. Keep it short:
every entry is a deliberate choice or an open item also listed in the README."""

from __future__ import annotations

import re
from typing import Any, Callable, NamedTuple


class Allowed(NamedTuple):
    name: str
    reason: str
    applies: Callable[[str, Any, Any], bool]


def without_module_path(failure: bytes) -> bytes:
    """A UDF FAILURE text without the directory of the module in its Lua position (see
    udf-error-path below)."""
    return re.sub(rb"^(\.\.\.)?[^ ]*/([^/ ]+\.lua:)", rb"\2", failure)


def _udf_failure_without_path(what: str, real: Any, lite: Any) -> bool:
    """Both replies alike but for the directory in a Lua error's position (`<dir>/<module>.lua:N:`)."""
    def strip(message) -> Any:
        if not hasattr(message, "ops"):
            return message
        ops = tuple((op.op, op.particle_type, op.name,
                     without_module_path(bytes(op.value)) if op.name == "FAILURE" else bytes(op.value))
                    for op in message.ops)
        return message.result_code, message.generation, ops
    return what.startswith("udf ") and strip(real) == strip(lite)


ALLOWED: list[Allowed] = [
    Allowed("udf-error-path",
            "a Lua error's position names the module file by its path, which is the node's "
            "configured mod-lua user-path (spikelite: /opt/aerospike/usr/udf/lua, the default, "
            "unless its config names one); the message after the path must match",
            _udf_failure_without_path),
]


def explain(what: str, real: Any, lite: Any) -> str | None:
    """The reason a listed difference is accepted, or None when it is not listed."""
    for entry in ALLOWED:
        if entry.applies(what, real, lite):
            return "%s: %s" % (entry.name, entry.reason)
    return None
