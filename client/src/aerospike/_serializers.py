"""User serializers for bin values of types Aerospike has no particle for.

`set_serializer(fn)` / `set_deserializer(fn)` register process-wide functions; a client's
`serialization` config tuple `(serializer, deserializer)` overrides them for that client. A value is
serialized only when the call asks for it (`serializer=aerospike.SERIALIZER_USER`); it is stored as
a blob, and blobs stored that way (particle type PYTHON_BLOB) go through the deserializer on reads.
"""

from __future__ import annotations

from typing import Callable

from ._errors import param_error

_serializer: Callable | None = None
_deserializer: Callable | None = None


def set_serializer(callback: Callable) -> int:
    global _serializer
    if not callable(callback):
        raise param_error("Parameter must be a callable")
    _serializer = callback
    return 0


def set_deserializer(callback: Callable) -> int:
    global _deserializer
    if not callable(callback):
        raise param_error("Parameter must be a callable")
    _deserializer = callback
    return 0


def unset_serializers() -> int:
    global _serializer, _deserializer
    _serializer = None
    _deserializer = None
    return 0


def global_serializer() -> Callable | None:
    return _serializer


def global_deserializer() -> Callable | None:
    return _deserializer
