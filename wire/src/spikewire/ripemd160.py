"""RIPEMD-160 in pure Python, for record digests where neither OpenSSL (through hashlib) nor
pycryptodome provides one (OpenSSL 3 builds without the legacy provider, PyPy, slim images).

The algorithm of Dobbertin, Bosselaers and Preneel (1996): MD4-style padding with a little-endian
bit length, 512-bit blocks of sixteen little-endian words, two parallel lines of 80 steps (five
rounds of sixteen) over five 32-bit words, combined at the end of every block. Written for the
short messages of record keys (one or two blocks); `RIPEMD160` follows hashlib's object interface.
"""

from __future__ import annotations

import struct

DIGEST_SIZE = 20
BLOCK_SIZE = 64

_INITIAL = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)
_MASK = 0xFFFFFFFF
_WORDS = struct.Struct("<16L")
_LENGTH = struct.Struct("<Q")
_RESULT = struct.Struct("<5L")

# Message word read at each step, left and right lines (one row of sixteen per round).
_LEFT_WORDS = (
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
    3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12,
    1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
    4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13,
)
_RIGHT_WORDS = (
    5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12,
    6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
    15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13,
    8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
    12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11,
)
# Left rotation of each step.
_LEFT_SHIFTS = (
    11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8,
    7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
    11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5,
    11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
    9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6,
)
_RIGHT_SHIFTS = (
    8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6,
    9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
    9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5,
    15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
    8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11,
)
# Additive constant of each round.
_LEFT_CONSTANTS = (0x00000000, 0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xA953FD4E)
_RIGHT_CONSTANTS = (0x50A28BE6, 0x5C4DD124, 0x6D703EF3, 0x7A6D76E9, 0x00000000)


# The five boolean functions as expressions of x, y, z (32-bit words; `~` is masked where its high
# bits would survive). The left line uses them in order 0..4, the right line 4..0.
_FUNCTIONS = (
    "({x} ^ {y} ^ {z})",
    "(({x} & {y}) | (~{x} & {z}))",
    "((({x} | ~{y}) ^ {z}) & 0xFFFFFFFF)",
    "(({x} & {z}) | ({y} & ~{z}))",
    "(({x} ^ ({y} | ~{z})) & 0xFFFFFFFF)",
)


def _line_source(prefix: str, functions: tuple, constants: tuple, words: tuple, shifts: tuple) -> list:
    """Straight-line Python for the 80 steps of one line. The five working words rotate through
    the names {prefix}0..{prefix}4 instead of being moved at every step: a step computes
    T = rol(A + f(B, C, D) + X[r] + K, s) + E, stores T where A was, and rotates C by 10."""
    names = [prefix + str(i) for i in range(5)]  # current A, B, C, D, E
    lines = []
    for i in range(80):
        a, b, c, d, e = names
        f = functions[i // 16].format(x=b, y=c, z=d)
        k, r, s = constants[i // 16], words[i], shifts[i]
        lines.append("t = (%s + %s + x%d + %d) & 0xFFFFFFFF" % (a, f, r, k))
        lines.append("%s = (((t << %d) | (t >> %d)) + %s) & 0xFFFFFFFF" % (a, s, 32 - s, e))
        lines.append("%s = ((%s << 10) | (%s >> 22)) & 0xFFFFFFFF" % (c, c, c))
        names = [e, a, b, c, d]  # the new A, B, C, D, E
    return lines, names


def _build_compress():
    """Compile the block function: both lines unrolled, constants inlined, no call per step (in
    CPython that beats a loop over step tables). Built once, when the module is first imported."""
    left, (la, lb, lc, ld, le) = _line_source("l", _FUNCTIONS, _LEFT_CONSTANTS, _LEFT_WORDS, _LEFT_SHIFTS)
    right, (ra, rb, rc, rd, re) = _line_source("r", _FUNCTIONS[::-1], _RIGHT_CONSTANTS, _RIGHT_WORDS,
                                               _RIGHT_SHIFTS)
    body = ["def _compress(state, block):",
            "    %s = _WORDS.unpack(block)" % ", ".join("x%d" % i for i in range(16)),
            "    h0, h1, h2, h3, h4 = state",
            "    l0, l1, l2, l3, l4 = r0, r1, r2, r3, r4 = state"]
    body += ["    " + line for line in left + right]
    body.append("    return ((h1 + %s + %s) & 0xFFFFFFFF, (h2 + %s + %s) & 0xFFFFFFFF, "
                "(h3 + %s + %s) & 0xFFFFFFFF, (h4 + %s + %s) & 0xFFFFFFFF, (h0 + %s + %s) & 0xFFFFFFFF)"
                % (lc, rd, ld, re, le, ra, la, rb, lb, rc))
    namespace = {"_WORDS": _WORDS}
    exec(compile("\n".join(body), "<spikewire.ripemd160>", "exec"), namespace)
    return namespace["_compress"]


#: _compress(state, block) -> state: one 64-byte block folded into the five-word state.
_compress = _build_compress()


def _padding(length: int) -> bytes:
    """The tail appended to a message of `length` bytes: 0x80, zeros, the bit length (64-bit LE)."""
    return b"\x80" + b"\x00" * ((55 - length) % BLOCK_SIZE) + _LENGTH.pack((length << 3) & 0xFFFFFFFFFFFFFFFF)


class RIPEMD160:
    """A RIPEMD-160 hash object with hashlib's interface (update, digest, hexdigest, copy)."""

    name = "ripemd160"
    digest_size = DIGEST_SIZE
    block_size = BLOCK_SIZE

    __slots__ = ("_state", "_pending", "_length")

    def __init__(self, data: bytes | bytearray | memoryview = b"") -> None:
        self._state = _INITIAL
        self._pending = b""
        self._length = 0
        if data:
            self.update(data)

    def update(self, data: bytes | bytearray | memoryview) -> None:
        data = self._pending + bytes(data)
        self._length += len(data) - len(self._pending)
        full = len(data) - len(data) % BLOCK_SIZE
        state = self._state
        for pos in range(0, full, BLOCK_SIZE):
            state = _compress(state, data[pos:pos + BLOCK_SIZE])
        self._state = state
        self._pending = data[full:]

    def digest(self) -> bytes:
        tail = self._pending + _padding(self._length)
        state = self._state
        for pos in range(0, len(tail), BLOCK_SIZE):
            state = _compress(state, tail[pos:pos + BLOCK_SIZE])
        return _RESULT.pack(*state)

    def hexdigest(self) -> str:
        return self.digest().hex()

    def copy(self) -> "RIPEMD160":
        other = RIPEMD160()
        other._state, other._pending, other._length = self._state, self._pending, self._length
        return other


def ripemd160(data: bytes | bytearray | memoryview = b"") -> bytes:
    """The RIPEMD-160 digest of `data`."""
    return RIPEMD160(data).digest()
