"""The bytes a put stores for collection values are the official client's: dict keys sorted
(integers, strings, bytes), HyperLogLogs inside lists with particle type 18, key-ordered maps with
their flag header. Read back raw from the server with spikewire (expected hex recorded from
the official aerospike 19.3.0 client)."""

import socket

import pytest

import aerospike
from aerospike_helpers import HyperLogLog
import spikewire as wire

EXPECTED = {
    "m": (19, "8403a20378a2036102a2036201a2046bcb3ff8000000000000"),
    "l": (20, "94a312000182a20379920102a2037a01c0c3"),
    "nested": (19, "81a2036b82a2036102a2037a01"),
    "kod": (19, "83c70001c0a2036102a2037a01"),
}


def raw_bins(server, ns, set_name, key):
    digest = wire.compute_digest(set_name, key)
    msg = wire.Message(info1=wire.Info1.READ | wire.Info1.GET_ALL,
                       fields=[(wire.FieldType.NAMESPACE, ns.encode()), (wire.FieldType.SET, set_name.encode()),
                               (wire.FieldType.DIGEST, digest)])
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(msg.to_proto())
        header = sock.recv(8, socket.MSG_WAITALL)
        _, _, size = wire.unpack_proto_header(header)
        body = sock.recv(size, socket.MSG_WAITALL)
    reply, _ = wire.parse_message(body)
    return {op.name: (op.particle_type, op.value.hex()) for op in reply.ops}


def test_collection_values_are_stored_as_the_official_client_packs_them(client, spikelite_server, ns, set_name):
    client.put((ns, set_name, 1), {
        "m": {"b": 1, "a": 2, 3: "x", b"k": 1.5},
        "l": [HyperLogLog(b"\x00\x01"), {"z": 1, "y": [1, 2]}, None, True],
        "nested": {"k": {"z": 1, "a": 2}},
        "kod": aerospike.KeyOrderedDict({"z": 1, "a": 2}),
    })
    assert raw_bins(spikelite_server, ns, set_name, 1) == EXPECTED
