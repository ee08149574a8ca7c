"""The 64-bit wyhash (final version 3, with a node's fixed seed) a real node hashes string and
blob index values with: an index query's record carries it as its BVAL."""

from __future__ import annotations

_MASK = (1 << 64) - 1
_SECRET = (0xA0761D6478BD642F, 0xE7037ED1A0B428DB, 0x8EBC6AF09C88C6E3, 0x589965CC75374CC3)
_SEED = 0x29FBB14CC886F ^ _SECRET[0]


def _mix(a: int, b: int) -> int:
    product = a * b
    return (product & _MASK) ^ (product >> 64)


def _r8(data: bytes, at: int) -> int:
    return int.from_bytes(data[at:at + 8], "little")


def _r4(data: bytes, at: int) -> int:
    return int.from_bytes(data[at:at + 4], "little")


def wyhash64(data: bytes) -> int:
    """The unsigned 64-bit hash of `data`."""
    size = len(data)
    seed = _SEED
    if size <= 16:
        if size >= 4:
            step = (size >> 3) << 2
            a = (_r4(data, 0) << 32) | _r4(data, step)
            b = (_r4(data, size - 4) << 32) | _r4(data, size - 4 - step)
        elif size > 0:
            a, b = (data[0] << 16) | (data[size >> 1] << 8) | data[size - 1], 0
        else:
            a = b = 0
    else:
        pos, left = 0, size
        if left > 48:
            see1 = see2 = seed
            while left > 48:
                seed = _mix(_r8(data, pos) ^ _SECRET[1], _r8(data, pos + 8) ^ seed)
                see1 = _mix(_r8(data, pos + 16) ^ _SECRET[2], _r8(data, pos + 24) ^ see1)
                see2 = _mix(_r8(data, pos + 32) ^ _SECRET[3], _r8(data, pos + 40) ^ see2)
                pos += 48
                left -= 48
            seed ^= see1 ^ see2
        while left > 16:
            seed = _mix(_r8(data, pos) ^ _SECRET[1], _r8(data, pos + 8) ^ seed)
            left -= 16
            pos += 16
        a = _r8(data, pos + left - 16)
        b = _r8(data, pos + left - 8)
    return _mix(_SECRET[1] ^ size, _mix(a ^ _SECRET[1], b ^ seed))


def index_bval(data: bytes) -> int:
    """The signed BVAL of a string or blob index value."""
    value = wyhash64(data)
    return value - (1 << 64) if value >= 1 << 63 else value
