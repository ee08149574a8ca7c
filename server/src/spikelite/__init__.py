"""spikelite: an embeddable server speaking the Aerospike wire protocol."""

__version__ = "0.1.0"

from .embedded import ChildServer, EmbeddedServer, spawn, start  # noqa: E402

__all__ = ["ChildServer", "EmbeddedServer", "spawn", "start", "__version__"]
