"""spikewire: the Aerospike wire protocol codec, the single source of truth for server and client.

framing   proto header, type-4 compression
message   AS_MSG header, info flags, fields, ops
particles particle types and bin value bytes
keys      digests, KEY field, partition ids
ripemd160 pure-Python RIPEMD-160, used by keys only when hashlib and pycryptodome have none
values    msgpack conventions for collection values
info      the info text protocol
admin     security (admin) messages: users, roles, login
results   result codes and the error carrying one

Imports nothing but the standard library and msgpack (tests/wire/test_layering.py): the client
(purespike) and the server (spikelite) both sit on top of it.
"""

from .framing import (MAX_PROTO_BODY, PROTO_HEADER_SIZE, PROTO_VERSION, ProtoType, compress,
                      decompress, frame, pack_proto_header, unpack_proto_header)
from .keys import (DIGEST_SIZE, PARTITION_COUNT, compute_digest, digest_of, key_bytes,
                   pack_key_field, partition_id, unpack_key_field)
from .message import (MAX_BIN_NAME, MSG_HEADER_SIZE, READ_OPS, FieldType, Info1, Info2, Info3,
                      Info4, Message, Op, OpType, iter_messages, parse_message, signed32)
from .particles import ParticleType
from .results import AerospikeWireError, MalformedMessage, ResultCode
from .values import GeoJSONText, pack_value, unpack_value

#: Seconds from the Unix epoch to Aerospike's (2010-01-01T00:00:00Z); void times count from it.
CITRUSLEAF_EPOCH = 1262304000

__all__ = [name for name in dir() if not name.startswith("_")]
