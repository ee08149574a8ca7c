"""purespike's aerospike_helpers: operation builders, CDT contexts, expressions, batch records."""

from aerospike._types import HyperLogLog

__all__ = ["HyperLogLog"]
