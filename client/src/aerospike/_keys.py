"""Key tuples: validation, digests and partition ids."""

from __future__ import annotations

import struct

from spikewire import PARTITION_COUNT, digest_of, key_bytes
from spikewire.keys import ripemd160
from spikewire.results import AerospikeWireError

from ._errors import param_error

DIGEST_SIZE = 20
MAX_NAMESPACE = 31
MAX_SET = 63


class Key:
    """A validated key: namespace, set, user key (or None) and the 20-byte digest."""

    __slots__ = ("namespace", "set_name", "user_key", "digest")

    def __init__(self, namespace: str, set_name: str | None, user_key, digest: bytes):
        self.namespace = namespace
        self.set_name = set_name
        self.user_key = user_key
        self.digest = digest

    def as_tuple(self, with_user_key: bool = True) -> tuple:
        user_key = self.user_key if with_user_key else None
        if isinstance(user_key, bytes):
            user_key = bytearray(user_key)  # blob keys come back as bytearray
        return (self.namespace, self.set_name, user_key, bytearray(self.digest))

    def partition_id(self) -> int:
        return (self.digest[0] | (self.digest[1] << 8)) & (PARTITION_COUNT - 1)


def _digest(set_name: str | None, user_key) -> bytes:
    try:
        if isinstance(user_key, str):
            # A bytes key that is no UTF-8 arrives here as str with surrogates: hash its raw bytes.
            key_type, data = key_bytes("")[0], user_key.encode("utf-8", "surrogateescape")
        else:
            key_type, data = key_bytes(user_key)
    except AerospikeWireError:
        raise param_error("key is invalid") from None
    return digest_of(set_name or "", key_type, data)


def _is_user_key(value) -> bool:
    return isinstance(value, (str, bytes, bytearray)) or (isinstance(value, int) and not isinstance(value, bool))


_I64 = struct.Struct(">q")
#: A new RIPEMD-160 object: a copy of an empty one (about 3x cheaper than asking hashlib for one
#: by name on every key).
_fresh_hash = ripemd160().copy
_NO_SET = object()
#: (namespace, set) pairs already checked by a full parse -> the bytes a digest of a key in that
#: set starts with (the set name), so that the common key (a str or int in a known set) is parsed
#: in one step.
_checked_sets: dict[tuple, bytes] = {}


def parse_key(key) -> Key:
    """A Key from a key tuple: the fast path for the common `(ns, set, str or int)` in a set seen
    before, else `parse_key_fully`."""
    if type(key) is tuple and len(key) == 3 and type(key[0]) is str and (type(key[1]) is str or key[1] is None):
        prefix = _checked_sets.get((key[0], key[1]))  # (a set that is not a str may not be hashable)
        if prefix is not None:
            user_key = key[2]
            key_type = type(user_key)
            if key_type is str and "\x00" not in user_key:  # (a NUL: cut by the full parse)
                h = _fresh_hash()
                h.update(prefix + b"\x03" + user_key.encode("utf-8", "surrogateescape"))
                return Key(key[0], key[1], user_key, h.digest())
            if key_type is int and -(1 << 63) <= user_key < (1 << 63):
                h = _fresh_hash()
                h.update(prefix + b"\x01" + _I64.pack(user_key))
                return Key(key[0], key[1], user_key, h.digest())
    parsed = parse_key_fully(key)
    if parsed.user_key is not None and type(parsed.namespace) is str and \
            (parsed.set_name is None or type(parsed.set_name) is str):
        if len(_checked_sets) > 1024:
            _checked_sets.clear()
        _checked_sets[(parsed.namespace, parsed.set_name)] = (parsed.set_name or "").encode()
    return parsed


def parse_keys(keys: list, parse_other) -> list[Key]:
    """The Keys of a batch's key tuples: `parse_key`'s fast path inline for each (a str or int key
    in a set seen before), `parse_other(index, key)` for any other. Keys of one set in a row
    share hash objects already fed the set name and key type (each key's is a copy of one)."""
    sets = _checked_sets
    parsed = []
    append = parsed.append
    namespace_now = set_now = _NO_SET  # the (namespace, set) of the hash objects below
    str_hash = int_hash = None
    for index, key in enumerate(keys):
        if type(key) is tuple and len(key) == 3:
            namespace, set_name, user_key = key
            if type(namespace) is str and (type(set_name) is str or set_name is None):
                if namespace is not namespace_now or set_name is not set_now:
                    prefix = sets.get((namespace, set_name))
                    if prefix is None:
                        append(parse_other(index, key))
                        continue
                    namespace_now, set_now = namespace, set_name
                    str_hash, int_hash = _fresh_hash(), _fresh_hash()
                    str_hash.update(prefix + b"\x03")
                    int_hash.update(prefix + b"\x01")
                key_type = type(user_key)
                if key_type is str and "\x00" not in user_key:
                    h = str_hash.copy()
                    h.update(user_key.encode("utf-8", "surrogateescape"))
                    append(Key(namespace, set_name, user_key, h.digest()))
                    continue
                if key_type is int and -(1 << 63) <= user_key < (1 << 63):
                    h = int_hash.copy()
                    h.update(_I64.pack(user_key))
                    append(Key(namespace, set_name, user_key, h.digest()))
                    continue
        append(parse_other(index, key))
    return parsed


def plain_keys_end(keys: list) -> int:
    """How many key tuples at the start of `keys` `parse_key`'s fast path takes as they are (a str
    or int key in a set already checked): those need no other check."""
    sets = _checked_sets
    for index, key in enumerate(keys):
        if type(key) is not tuple or len(key) != 3:
            return index
        namespace, set_name, user_key = key
        if type(namespace) is not str or not (type(set_name) is str or set_name is None) \
                or (namespace, set_name) not in sets:
            return index
        key_type = type(user_key)
        if key_type is str:
            if "\x00" in user_key:
                return index
        elif not (key_type is int and -(1 << 63) <= user_key < (1 << 63)):
            return index
    return len(keys)


def check_key(key) -> None:
    """Refuse a key `parse_key` would refuse, with its error, without hashing it (an argument
    check run before the others; see _arguments.CHECKS). The common key `parse_key` takes in one
    step (a str or 64-bit int in a set already checked, as `plain_keys_end` tells) passes at once."""
    if type(key) is tuple and len(key) == 3 and type(key[0]) is str and (type(key[1]) is str or key[1] is None):
        user_key = key[2]
        if ((type(user_key) is str and "\x00" not in user_key)
                or (type(user_key) is int and -(1 << 63) <= user_key < (1 << 63))) and (key[0], key[1]) in _checked_sets:
            return
    parse_key_fully(key, False)


def parse_key_fully(key, hashed: bool = True) -> Key:
    """Validate a key tuple `(ns, set, key)` or `(ns, set, None, digest)`, or the same as a dict
    `{"ns", "set", "key", "digest"}` (only "ns" required, other entries ignored), as the official
    client does. `hashed` False: the key's digest is left empty (only the checks are wanted)."""
    if isinstance(key, dict):
        if "ns" not in key:
            raise param_error("namespace is required")
        key = (key["ns"], key.get("set"), key.get("key"), key.get("digest"))
    if not isinstance(key, tuple):
        raise param_error("key is invalid")
    if len(key) not in (3, 4):
        raise param_error("key tuple must be (Namespace, Set, Key) or (Namespace, Set, None, Digest)")
    namespace, set_name, user_key = key[0], key[1], key[2]
    if not isinstance(namespace, str):
        raise param_error("namespace must be a string")
    if set_name is not None and not isinstance(set_name, str):
        raise param_error("set must be a string")
    # C strings, as the official client copies them: cut at a NUL; an empty set is no set.
    namespace = _c_string(namespace)
    set_name = (_c_string(set_name) or None) if set_name is not None else None
    if user_key is not None:
        if isinstance(user_key, bool):
            user_key = int(user_key)  # a bool key is the integer 0 or 1, as in the official client
        if not _is_user_key(user_key):
            raise param_error("key is invalid")
        if isinstance(user_key, int) and not -(1 << 63) <= user_key < (1 << 63):
            raise param_error("integer value for KEY exceeds sys.maxsize")
        if isinstance(user_key, bytearray):
            if not user_key:
                raise param_error("Byte array size cannot be 0")
            user_key = bytes(user_key)
        elif isinstance(user_key, bytes):
            # The official client sends a Python bytes key as a string key.
            user_key = _c_string(user_key.decode("utf-8", "surrogateescape"))
        elif isinstance(user_key, str):
            user_key = _c_string(user_key)
        _check_lengths(namespace, set_name)
        return Key(namespace, set_name, user_key, _digest(set_name, user_key) if hashed else b"")
    digest = key[3] if len(key) == 4 else None
    if digest is None:
        raise param_error("either key or digest is required")
    if not isinstance(digest, bytearray):
        raise param_error("digest is invalid. expected a bytearray")
    if len(digest) != DIGEST_SIZE:
        raise param_error("digest is invalid. expected a bytearray of 20 bytes")
    _check_lengths(namespace, set_name)
    return Key(namespace, set_name, None, bytes(digest))


def _c_string(text: str) -> str:
    """`text` as a C string holds it: up to its first NUL."""
    return text.partition("\x00")[0] if "\x00" in text else text


def _check_lengths(namespace: str, set_name: str | None) -> None:
    """A namespace over 31 or a set over 63 bytes: the official client's key init fails."""
    if len(namespace.encode()) > MAX_NAMESPACE or (set_name is not None and len(set_name.encode()) > MAX_SET):
        raise param_error("key is invalid")


def calc_digest(ns, set, key) -> bytearray:  # noqa: A002 - the official parameter name
    """The 20-byte RIPEMD-160 digest of a key (the namespace is not hashed)."""
    if not isinstance(ns, str):
        raise TypeError("Namespace should be a string")
    if not isinstance(set, str):
        raise TypeError("Set should be a string or unicode")
    if not _is_user_key(key) or isinstance(key, bytes):
        raise TypeError("Key is invalid")
    if isinstance(key, str):
        key = _c_string(key)
    return bytearray(_digest(_c_string(set), bytes(key) if isinstance(key, bytearray) else key))


def get_partition_id(digest) -> int:
    """Partition id (0..4095) of a digest."""
    if not isinstance(digest, (bytes, bytearray)) or len(digest) < 2:
        raise TypeError("digest must be a bytearray")
    return (digest[0] | (digest[1] << 8)) & (PARTITION_COUNT - 1)
