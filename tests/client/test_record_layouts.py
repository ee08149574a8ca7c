"""Record messages read through a compiled `Layout` (one unpack of a record shaped like the one
before) give exactly what reading them field by field gives: generated reply bodies of records
with repeated and varying shapes, every particle type, digest/set/key/bval/version fields,
result codes and flags; corrupted bodies fail alike."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st
from spikewire import FieldType, Message, ParticleType
from spikewire.message import Op

from aerospike import _single_record as sr
from aerospike._stream_records import iter_records
from aerospike._values import Decoder, Encoder

_encoder = Encoder()
_values = st.one_of(st.integers(-(1 << 63), (1 << 63) - 1), st.text(max_size=6), st.binary(max_size=6),
                    st.floats(allow_nan=False), st.booleans(), st.lists(st.integers(0, 9), max_size=3),
                    st.dictionaries(st.text(max_size=3), st.integers(0, 9), max_size=2))
_bins = st.lists(st.tuples(st.sampled_from(["a", "b", "bin", "n", "\u00e9t\u00e9"]), _values), max_size=4)
_fields = st.lists(st.sampled_from([(FieldType.NAMESPACE, b"test"), (FieldType.SET, b"s1"),
                                    (FieldType.SET, b"other"), (FieldType.DIGEST, bytes(range(20))),
                                    (FieldType.DIGEST, bytes(20)), (FieldType.KEY, b"\x03k1"),
                                    (FieldType.KEY, b"\x01" + bytes(8)), (FieldType.BVAL_ARRAY, bytes(range(9))),
                                    (FieldType.RECORD_VERSION, bytes(7)), (FieldType.TRID, b"")]), max_size=4)
_records = st.tuples(_fields, _bins, st.sampled_from([0, 0, 0, 2, 1, 4]), st.sampled_from([0, 0, 1, 8]),
                     st.integers(0, 5), st.integers(0, 1 << 31), st.integers(0, 999))


def _message(record) -> bytes:
    fields, bins, result, info3, generation, void_time, index = record
    ops = []
    for name, value in bins:
        ptype, data = _encoder.particle(value)
        ops.append(Op(1, ptype, name, data))
    return Message(info3=info3, result_code=result, generation=generation, record_ttl=void_time,
                   transaction_ttl=index, fields=list(fields), ops=ops).encode()


def _read(body: bytes, versions: bool, layouts: bool):
    """The records read, as their repr: a changed byte can make a float NaN, which equals nothing,
    while its repr compares (and tells -0.0 from 0.0)."""
    try:
        return repr(list(iter_records(body, Decoder(), sr.value_of, versions, layouts)))
    except Exception as exc:  # noqa: BLE001 - both ways must fail alike
        return type(exc)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_records, st.integers(1, 4)), min_size=1, max_size=5), st.booleans(),
       st.integers(0, 40), st.integers(0, 255))
def test_records_read_through_layouts_equal_records_read_field_by_field(runs, versions, cut, junk):
    body = b"".join(_message(record) * times for record, times in runs)
    expected = _read(body, versions, False)
    assert not isinstance(expected, type)
    assert _read(body, versions, True) == expected
    assert _read(body, versions, True) == expected  # again, starting from the last layout
    broken = body[:max(0, len(body) - cut)]  # a body cut short, or with a byte changed
    assert _read(broken, versions, True) == _read(broken, versions, False)
    changed = bytearray(body)
    changed[cut % len(body)] = junk
    assert _read(bytes(changed), versions, True) == _read(bytes(changed), versions, False)
