"""Record keys: digests (RIPEMD-160 of set name, key type, key bytes), the KEY field, partition ids."""

from __future__ import annotations

import hashlib
import struct

from .particles import ParticleType, encode_int
from .results import AerospikeWireError, ResultCode

DIGEST_SIZE = 20
PARTITION_COUNT = 4096
_F64 = struct.Struct(">d")


def _hashlib_ripemd160():
    try:
        hashlib.new("ripemd160")
    except (ValueError, TypeError):
        return None
    return lambda: hashlib.new("ripemd160")


def _pycryptodome_ripemd160():
    try:
        from Crypto.Hash import RIPEMD160
    except ImportError:
        return None
    return RIPEMD160.new


def _pure_python_ripemd160():
    from .ripemd160 import RIPEMD160
    return RIPEMD160


#: Factory of RIPEMD-160 hash objects: OpenSSL's when it has one, else pycryptodome's, else the
#: pure-Python one (`spikewire.ripemd160`, imported only then).
ripemd160 = _hashlib_ripemd160() or _pycryptodome_ripemd160() or _pure_python_ripemd160()


def key_bytes(key: int | str | bytes | bytearray | float) -> tuple[int, bytes]:
    """The particle type and the bytes of a user key, as hashed and as sent in the KEY field."""
    if isinstance(key, bool):
        raise AerospikeWireError(ResultCode.PARAMETER, "a key cannot be a bool")
    if isinstance(key, int):
        return ParticleType.INTEGER, encode_int(key)
    if isinstance(key, str):
        return ParticleType.STRING, key.encode()
    if isinstance(key, (bytes, bytearray, memoryview)):
        return ParticleType.BLOB, bytes(key)
    if isinstance(key, float):
        return ParticleType.FLOAT, _F64.pack(key)
    raise AerospikeWireError(ResultCode.PARAMETER, "unsupported key type %s" % type(key).__name__)


def digest_of(set_name: str | bytes, key_type: int, key_data: bytes) -> bytes:
    if isinstance(set_name, str):
        set_name = set_name.encode()
    h = ripemd160()
    h.update(set_name)
    h.update(bytes((key_type,)))
    h.update(key_data)
    return h.digest()


def compute_digest(set_name: str | bytes | None, key: int | str | bytes | bytearray | float) -> bytes:
    """The 20-byte digest Aerospike uses to locate the record of (set, key); the namespace is not hashed."""
    key_type, data = key_bytes(key)
    return digest_of(set_name or b"", key_type, data)


def partition_id(digest: bytes) -> int:
    """Partition (0..4095) owning a digest: its first two bytes little-endian, 12 bits."""
    return (digest[0] | (digest[1] << 8)) & (PARTITION_COUNT - 1)


def pack_key_field(key: int | str | bytes | bytearray | float) -> bytes:
    """Data of the KEY field: the key's particle type byte, then its bytes."""
    key_type, data = key_bytes(key)
    return bytes((key_type,)) + data


def unpack_key_field(data: bytes) -> tuple[int, bytes]:
    """Split KEY field data into (particle type, key bytes)."""
    if not data:
        raise AerospikeWireError(ResultCode.PARAMETER, "empty KEY field")
    return data[0], data[1:]
