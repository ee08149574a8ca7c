"""purespike's optional parts, each a pip extra: a missing one fails at the call that needs it,
with a ClientError naming the `pip install` that adds it, never at `import aerospike`.

    embedded   spikelite, for aerospike.client({"embedded": True})
    lua        lupa and spikelite's Lua UDF runtime, for the client's part of Query/Scan apply()
    auth       bcrypt, for user/password login
"""

from __future__ import annotations

import importlib
from types import ModuleType

from . import exception


def missing_extra(purpose: str, package: str, extra: str) -> exception.AerospikeError:
    return exception.exception_for(-1, "%s needs the '%s' package: pip install 'purespike[%s]'"
                                   % (purpose, package, extra))


def load(module: str, extra: str, purpose: str) -> ModuleType:
    """Import `module`, which the extra `extra` installs, for `purpose` (the call that needs it)."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise missing_extra(purpose, (exc.name or module).split(".")[0], extra) from None
