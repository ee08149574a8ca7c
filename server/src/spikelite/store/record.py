"""One stored record."""

from __future__ import annotations

#: Generation counts 1..65535 and then wraps to 1 (the server keeps 16 bits).
MAX_GENERATION = 0xFFFF


class Record:
    """Bins (name → (particle type, raw bytes), in write order) plus metadata."""

    __slots__ = ("bins", "generation", "void_time", "last_update_ns", "key", "set_name")

    def __init__(self, bins: dict[str, tuple[int, bytes]], generation: int, void_time: int,
                 last_update_ns: int, key: bytes | None, set_name: str | None):
        self.bins = bins
        self.generation = generation
        self.void_time = void_time
        self.last_update_ns = last_update_ns
        self.key = key  # KEY field data (type byte + key bytes) when the client sent it
        self.set_name = set_name

    def expired(self, now_cl: int) -> bool:
        """A record lives through the whole second of its void time (as the server compares)."""
        return self.void_time != 0 and self.void_time < now_cl

    def size(self) -> int:
        """Approximate stored size in bytes (used for the record-size limit)."""
        return 64 + sum(len(name) + len(value) + 4 for name, (_, value) in self.bins.items()) + len(self.key or b"")


def next_generation(generation: int) -> int:
    return generation + 1 if generation < MAX_GENERATION else 1
