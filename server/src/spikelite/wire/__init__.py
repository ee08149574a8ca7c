"""spikelite.wire: the server's name for the protocol codec, which is the `spikewire` distribution.

The server's modules import the codec as `..wire` / `..wire.message` and so on; this package maps
those names onto the `spikewire` modules themselves (the same module objects, not copies), so there
is one codec shared by server and client. New code may import `spikewire` directly.
"""

import sys as _sys

import spikewire as _codec
from spikewire import *  # noqa: F401,F403
from spikewire import admin, framing, info, keys, message, particles, results, values  # noqa: F401

for _name in ("admin", "framing", "info", "keys", "message", "particles", "results", "values"):
    _sys.modules[__name__ + "." + _name] = getattr(_codec, _name)

__all__ = list(_codec.__all__)
