"""spikelite: an embeddable server speaking the Aerospike wire protocol."""

from importlib.metadata import PackageNotFoundError as _NotInstalled, version as _version

try:
    __version__ = _version("spikelite")  # from the repository's VERSION file, at build time
except _NotInstalled:  # run from a source tree that was never installed
    __version__ = "0+unknown"

from .embedded import ChildServer, EmbeddedServer, spawn, start  # noqa: E402

__all__ = ["ChildServer", "EmbeddedServer", "spawn", "start", "__version__"]
