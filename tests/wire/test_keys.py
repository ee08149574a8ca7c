"""Digests, the KEY field and partition ids (framing.md §7, §8, §10), checked against the
official client's own digest computation."""

from __future__ import annotations

import hashlib
import struct
import subprocess
import sys
import textwrap
from unittest import mock

import aerospike
import pytest
from Crypto.Hash import RIPEMD160
from hypothesis import given, settings
from hypothesis import strategies as st

from spikewire import (DIGEST_SIZE, PARTITION_COUNT, AerospikeWireError, ParticleType, ResultCode,
                       compute_digest, digest_of, key_bytes, pack_key_field, partition_id,
                       unpack_key_field)
from spikewire import keys as keys_module
from spikewire import ripemd160 as pure_ripemd160

from .strategies import INT64, TEXT_CHARS

#: framing.md §7: set "set" (Go client test vectors).
VECTORS = [
    (0, "93d943aae37b017ad7e011b0c1d2e2143c2fb37d"),
    (-1, "22116d253745e29fc63fdf760b6e26f7e197e01d"),
    ("", "2819b1ff6e346a43b4f5f6b77a88bc3eaac22a83"),
    ("s", "607cddba7cd111745ef0a3d783d57f0e83c8f311"),
    (b"", "327e2877b8815c7aeede0d5a8620d4ef8df4a4b4"),
    (b"s", "ca2d96dc9a184d15a7fa2927565e844e9254e001"),
]

#: The official client handles set names and string keys as C strings (cut at the first NUL),
#: so names and keys compared with it carry no NUL; spikelite itself hashes every byte.
NO_NUL_TEXT = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
SET_NAMES = st.text(NO_NUL_TEXT, max_size=20).filter(lambda s: len(s.encode()) <= 63)
NAMESPACES = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=31)
#: Keys the official client accepts (it refuses an empty blob key).
OFFICIAL_KEYS = st.one_of(st.text(NO_NUL_TEXT, max_size=50), INT64, st.binary(min_size=1, max_size=50))
KEYS = st.one_of(st.text(TEXT_CHARS, max_size=50), INT64, st.binary(max_size=50))


def _hashlib_hash(data: bytes) -> bytes:
    return hashlib.new("ripemd160", data).digest()


def _pycryptodome_hash(data: bytes) -> bytes:
    return RIPEMD160.new(data).digest()


def _official_digest(namespace: str, set_name: str, key) -> bytes:
    # The official client takes blob keys as bytearray (it refuses plain bytes in calc_digest).
    if isinstance(key, bytes):
        key = bytearray(key)
    return bytes(aerospike.calc_digest(namespace, set_name, key))


def _formula_partition_id(digest: bytes) -> int:
    # framing.md §8: server reads the first 4 bytes as a little-endian uint32 & 4095.
    return struct.unpack_from("<I", digest)[0] & (PARTITION_COUNT - 1)


def test_constants():
    assert DIGEST_SIZE == 20
    assert PARTITION_COUNT == 4096


@pytest.mark.parametrize("key, digest_hex", VECTORS)
def test_digest_vectors(key, digest_hex):
    assert compute_digest("set", key).hex() == digest_hex
    assert compute_digest(b"set", key).hex() == digest_hex


@pytest.mark.parametrize("key, digest_hex", [v for v in VECTORS if v[0] != b""])
def test_digest_vectors_match_the_official_client(key, digest_hex):
    assert _official_digest("test", "set", key).hex() == digest_hex


def test_worked_example_digest_and_partition():
    digest = compute_digest("demo", "key1")
    assert digest.hex() == "ec91192d4b7f8ce35d5d78d34bca65cbaaaac960"
    assert partition_id(digest) == 492
    assert digest == _official_digest("test", "demo", "key1")


def test_partition_id_of_int_zero():
    digest = compute_digest("set", 0)
    assert partition_id(digest) == 2451


def test_digest_formula():
    assert compute_digest("demo", "key1") == _hashlib_hash(b"demo" + b"\x03" + b"key1")
    assert compute_digest("set", 7) == _hashlib_hash(b"set\x01" + struct.pack(">q", 7))
    assert compute_digest("set", b"\x00\x01") == _hashlib_hash(b"set\x04\x00\x01")
    assert compute_digest("set", 1.5) == _hashlib_hash(b"set\x02" + struct.pack(">d", 1.5))
    assert compute_digest("set", bytearray(b"ab")) == compute_digest("set", b"ab")
    assert digest_of("set", ParticleType.STRING, b"s") == bytes.fromhex(VECTORS[3][1])
    assert digest_of(b"set", 4, b"") == bytes.fromhex(VECTORS[4][1])


def test_no_set_hashes_an_empty_set_name():
    for no_set in (None, "", b""):
        assert compute_digest(no_set, "k") == _hashlib_hash(b"\x03k")
    assert compute_digest(None, 5) == _official_digest("test", "", 5)


def test_nul_bytes_are_hashed():
    assert compute_digest("set", "a\x00b") == _hashlib_hash(b"set\x03a\x00b")
    assert compute_digest("s\x00t", 1) == _hashlib_hash(b"s\x00t\x01" + b"\0" * 7 + b"\x01")


def test_namespace_is_not_hashed():
    assert _official_digest("test", "demo", "key1") == _official_digest("bar", "demo", "key1")


@settings(max_examples=200, deadline=None)
@given(namespace=NAMESPACES, set_name=SET_NAMES, key=OFFICIAL_KEYS)
def test_compute_digest_matches_the_official_client(namespace, set_name, key):
    digest = compute_digest(set_name, key)
    assert len(digest) == DIGEST_SIZE
    assert digest == _official_digest(namespace, set_name, key)


@settings(max_examples=50, deadline=None)
@given(set_name=SET_NAMES, key=st.sampled_from([0, 1, -1, (1 << 63) - 1, -(1 << 63), 255, 256]))
def test_compute_digest_matches_the_official_client_at_int_edges(set_name, key):
    assert compute_digest(set_name, key) == _official_digest("test", set_name, key)


# -- RIPEMD-160 implementations -------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300))
def test_hashlib_and_pycryptodome_agree(data):
    expected = _hashlib_hash(data)
    assert _pycryptodome_hash(data) == expected
    for factory in (keys_module._hashlib_ripemd160(), keys_module._pycryptodome_ripemd160(),
                    keys_module.ripemd160):
        h = factory()
        h.update(data[:7])
        h.update(data[7:])
        assert h.digest() == expected


@settings(max_examples=100, deadline=None)
@given(set_name=st.text(TEXT_CHARS, max_size=20), key=KEYS)
def test_digest_is_the_same_with_either_implementation(set_name, key):
    key_type, data = key_bytes(key)
    message = set_name.encode() + bytes((key_type,)) + data
    assert compute_digest(set_name, key) == _hashlib_hash(message) == _pycryptodome_hash(message)


def test_digest_with_pycryptodome_forced(monkeypatch):
    monkeypatch.setattr(keys_module, "ripemd160", keys_module._pycryptodome_ripemd160())
    for key, digest_hex in VECTORS:
        assert compute_digest("set", key).hex() == digest_hex


def test_digest_with_hashlib_forced(monkeypatch):
    monkeypatch.setattr(keys_module, "ripemd160", keys_module._hashlib_ripemd160())
    for key, digest_hex in VECTORS:
        assert compute_digest("set", key).hex() == digest_hex


# -- the pure-Python RIPEMD-160 (used when neither OpenSSL nor pycryptodome has one) -------------

#: The reference vectors published with RIPEMD-160 (Bosselaers' page).
RIPEMD160_VECTORS = [
    (b"", "9c1185a5c5e9fc54612808977ee8f548b2258d31"),
    (b"a", "0bdc9d2d256b3ee9daae347be6f4dc835a467ffe"),
    (b"abc", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"),
    (b"message digest", "5d0689ef49d2fae572b881b123a85ffa21595f36"),
    (b"abcdefghijklmnopqrstuvwxyz", "f71c27109c692c1b56bbdceb5b9d2865b3708dbc"),
    (b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "12a053384a9c0c88e405a06c27dcf49ada62eb2b"),
    (b"1234567890" * 8, "9b752e45573d4b39f4dbd3323cab82bf63326bfb"),
    (b"a" * 1000000, "52783243c1697bdbe16d37f97f68f08325dc1528"),
]


@pytest.mark.parametrize("data, digest_hex", RIPEMD160_VECTORS)
def test_pure_python_ripemd160_vectors(data, digest_hex):
    assert pure_ripemd160.ripemd160(data).hex() == digest_hex
    assert pure_ripemd160.RIPEMD160(data).hexdigest() == digest_hex


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=300), cuts=st.lists(st.integers(0, 300), max_size=4))
def test_pure_python_ripemd160_matches_hashlib_and_pycryptodome(data, cuts):
    expected = _hashlib_hash(data)
    assert pure_ripemd160.ripemd160(data) == expected == _pycryptodome_hash(data)
    h = pure_ripemd160.RIPEMD160()
    start = 0
    for cut in sorted(min(c, len(data)) for c in cuts):  # fed in pieces, split anywhere
        h.update(data[start:cut])
        start = cut
    snapshot = h.copy()
    h.update(data[start:])
    assert h.digest() == expected
    snapshot.update(memoryview(data[start:]))
    assert snapshot.digest() == expected
    assert (h.digest_size, h.block_size, h.name) == (20, 64, "ripemd160")


@settings(max_examples=200, deadline=None)
@given(namespace=NAMESPACES, set_name=SET_NAMES, key=OFFICIAL_KEYS)
def test_pure_python_digest_matches_the_official_client(namespace, set_name, key):
    with mock.patch.object(keys_module, "ripemd160", pure_ripemd160.RIPEMD160):
        digest = compute_digest(set_name, key)
    assert digest == _official_digest(namespace, set_name, key)


def test_pure_python_ripemd160_is_used_when_neither_openssl_nor_pycryptodome_has_one():
    code = textwrap.dedent("""
        import hashlib, sys
        real_new = hashlib.new
        def new(name, *args, **kwargs):
            if name.lower() == "ripemd160":
                raise ValueError("unsupported hash type " + name)
            return real_new(name, *args, **kwargs)
        hashlib.new = new
        sys.modules["Crypto"] = None
        from spikewire import compute_digest, keys, ripemd160
        assert keys.ripemd160 is ripemd160.RIPEMD160, keys.ripemd160
        print(compute_digest("set", "s").hex())
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == VECTORS[3][1]


def test_pure_python_ripemd160_is_not_imported_when_another_is_there():
    proc = subprocess.run([sys.executable, "-c", "import sys, spikewire; print('spikewire.ripemd160' in sys.modules)"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


# -- partition ids --------------------------------------------------------------------------------

def test_official_get_partition_id_does_not_take_a_digest():
    # aerospike.get_partition_id exists, but this client parses its argument as a C string and
    # hashes the pointer, not the digest bytes: a 20-byte digest cannot even be passed. So the
    # partition id is checked against the documented formula (framing.md §8) instead.
    assert "get_partition_id" in dir(aerospike)
    digest = _official_digest("test", "demo", "key1")
    for arg in (digest, bytearray(digest)):
        with pytest.raises(TypeError):
            aerospike.get_partition_id(arg)


@settings(max_examples=300, deadline=None)
@given(digest=st.binary(min_size=20, max_size=20))
def test_partition_id_formula(digest):
    pid = partition_id(digest)
    assert 0 <= pid < PARTITION_COUNT
    assert pid == _formula_partition_id(digest)
    # Java: first 4 bytes LE & 0xFFFF, then % 4096.
    assert pid == (struct.unpack_from("<I", digest)[0] & 0xFFFF) % 4096
    assert pid == (digest[0] | (digest[1] << 8)) & 0x0FFF


def test_partition_id_edges():
    assert partition_id(b"\x00" * 20) == 0
    assert partition_id(b"\xff" * 20) == 4095
    assert partition_id(b"\x01\x00" + b"\0" * 18) == 1
    assert partition_id(b"\x00\x01" + b"\0" * 18) == 256
    assert partition_id(b"\x00\x10" + b"\0" * 18) == 0     # bit 12 is masked off
    assert partition_id(bytes.fromhex("93d9") + b"\0" * 18) == 2451


@settings(max_examples=100, deadline=None)
@given(set_name=SET_NAMES, key=OFFICIAL_KEYS)
def test_partition_id_of_official_digests(set_name, key):
    digest = _official_digest("test", set_name, key)
    assert partition_id(digest) == _formula_partition_id(digest)
    assert partition_id(compute_digest(set_name, key)) == partition_id(digest)


# -- KEY field --------------------------------------------------------------------------------------

def test_key_bytes():
    assert key_bytes(1) == (ParticleType.INTEGER, b"\0" * 7 + b"\x01")
    assert key_bytes(-1) == (ParticleType.INTEGER, b"\xff" * 8)
    assert key_bytes("é") == (ParticleType.STRING, "é".encode())
    assert key_bytes(b"\x00") == (ParticleType.BLOB, b"\x00")
    assert key_bytes(bytearray(b"ab")) == (ParticleType.BLOB, b"ab")
    assert key_bytes(memoryview(b"ab")) == (ParticleType.BLOB, b"ab")
    assert key_bytes(0.5) == (ParticleType.FLOAT, struct.pack(">d", 0.5))


def test_pack_key_field_exact_bytes():
    assert pack_key_field("key1") == b"\x03key1"
    assert pack_key_field(1000) == bytes.fromhex("01 00000000000003e8")
    assert pack_key_field(b"\xffz") == b"\x04\xffz"
    assert pack_key_field("") == b"\x03"


@settings(max_examples=200, deadline=None)
@given(key=KEYS)
def test_key_field_round_trip(key):
    data = pack_key_field(key)
    key_type, raw = unpack_key_field(data)
    assert (key_type, raw) == key_bytes(key)
    if isinstance(key, int):
        assert key_type == ParticleType.INTEGER
        assert struct.unpack(">q", raw)[0] == key
    elif isinstance(key, str):
        assert key_type == ParticleType.STRING and raw.decode() == key
    else:
        assert key_type == ParticleType.BLOB and raw == key
    assert digest_of("s", key_type, raw) == compute_digest("s", key)


def test_unpack_key_field_empty():
    with pytest.raises(AerospikeWireError) as info:
        unpack_key_field(b"")
    assert info.value.code == ResultCode.PARAMETER
    assert unpack_key_field(b"\x03") == (3, b"")


@pytest.mark.parametrize("key", [True, False])
def test_bool_key_rejected(key):
    for func in (key_bytes, pack_key_field, lambda k: compute_digest("set", k)):
        with pytest.raises(AerospikeWireError) as info:
            func(key)
        assert info.value.code == ResultCode.PARAMETER


@pytest.mark.parametrize("key", [None, [1], {"a": 1}, (1,), object()])
def test_unsupported_key_types_rejected(key):
    with pytest.raises(AerospikeWireError) as info:
        key_bytes(key)
    assert info.value.code == ResultCode.PARAMETER


@pytest.mark.parametrize("key", [1 << 63, -(1 << 63) - 1])
def test_int_key_out_of_range_rejected(key):
    with pytest.raises(AerospikeWireError) as info:
        compute_digest("set", key)
    assert info.value.code == ResultCode.PARAMETER
