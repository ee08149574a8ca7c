"""Secondary indexes on a CDT context and on an expression: sindex-create checks and what each
index takes from a record (tests/behaviour/test_context_and_expression_indexes.py covers queries)."""

from __future__ import annotations

import base64
import pytest

from spikelite.binops.cdt import values as V
from spikelite.store.record import Record
from spikelite.store.sindex import IndexDefinition, SecondaryIndex
from spikelite.wire import ParticleType

CTX_LIST_0 = "khAA"  # [list_index 0]
CTX_MAP_A = base64.b64encode(b"\x92\x22\xa2\x03a").decode()  # [map_key "a"]
EXP_A_PLUS_1 = "kxSTUQKhYQE="  # Add(IntBin("a"), 1)


def _create(conn, params: str) -> str:
    command = "sindex-create:ns=test;set=cx;" + params
    return conn.info(command)[command]


@pytest.mark.parametrize("params, code", [
    ("indexname=c1;context=%%%;bin=l;type=numeric", "4"),  # not base64
    ("indexname=c1;context=kA==;bin=l;type=numeric", "4"),  # empty context
    ("indexname=c1;context=kRA=;bin=l;type=numeric", "4"),  # odd item count
    ("indexname=c1;exp=%s;bin=l;type=numeric" % EXP_A_PLUS_1, "4"),  # exp and bin
    ("indexname=c1;exp=%s;context=khAA;type=numeric" % EXP_A_PLUS_1, "4"),  # exp and context
    ("indexname=c1;exp=kQ==;type=numeric", "4"),  # not an expression
])
def test_create_refuses_bad_context_and_expression(conn, params, code):
    assert _create(conn, params).startswith("ERROR:%s:" % code)


def test_create_and_list(conn):
    assert _create(conn, "indexname=cx_ctx;context=%s;indextype=list;bin=m;type=string" % CTX_MAP_A) == "ok"
    assert _create(conn, "indexname=cx_exp;exp=%s;type=numeric" % EXP_A_PLUS_1) == "ok"
    assert _create(conn, "indexname=cx_exp;exp=%s;type=numeric" % EXP_A_PLUS_1) == "ok"  # same again
    listing = conn.info("sindex-list:ns=test")["sindex-list:ns=test"].split(";")
    assert ("ns=test:indexname=cx_ctx:set=cx:bin=m:type=string:indextype=list:context=[map_key(<string#1>)]"
            ":exp=null:state=RW") in listing  # a context as a real node shows it
    listing = conn.info("sindex-list:ns=test;b64=true")["sindex-list:ns=test;b64=true"].split(";")
    assert ("ns=test:indexname=cx_ctx:set=cx:bin=m:type=string:indextype=list:context=%s:exp=null:state=RW"
            % CTX_MAP_A) in listing
    assert ("ns=test:indexname=cx_exp:set=cx:bin=null:type=numeric:indextype=default:context=null:exp=%s:state=RW"
            % EXP_A_PLUS_1) in listing
    # the same definition under a new name renames the index, as on a real 8.1 node
    assert _create(conn, "indexname=other;exp=%s;type=numeric" % EXP_A_PLUS_1) == "ok"
    names = conn.info("sindex-list:ns=test")["sindex-list:ns=test"]
    assert "indexname=other:" in names and "indexname=cx_exp:" not in names
    assert _create(conn, "indexname=other;exp=%s;type=string" % EXP_A_PLUS_1) == (
        "ERROR:200:'indexname' already exists with different definition")
    for name in ("cx_ctx", "cx_exp", "other"):
        conn.info("sindex-delete:ns=test;indexname=%s" % name)


def _record(**bins):
    encoded = {}
    for name, value in bins.items():
        if isinstance(value, int):
            encoded[name] = (ParticleType.INTEGER, value.to_bytes(8, "big", signed=True))
        elif isinstance(value, V.CdtMap):
            encoded[name] = (ParticleType.MAP, V.pack(value))
        elif isinstance(value, list):
            encoded[name] = (ParticleType.LIST, V.pack(V.CdtList(value)))
        else:
            encoded[name] = (ParticleType.STRING, value.encode())
    return Record(encoded, 1, 0, 0, None, "cx")


def _index(ktype, itype="default", context=None, expression=None, bin_name="b"):
    return SecondaryIndex(IndexDefinition("i", "cx", None if expression else bin_name, ktype, itype,
                                          context, expression))


def test_context_index_takes_the_element_at_the_path():
    index = _index("numeric", context=CTX_LIST_0)
    assert index.values_of(_record(b=[7, 8])) == [7]
    assert index.values_of(_record(b=["x", 8])) == []  # another type
    assert index.values_of(_record(b=[])) == []  # no element there
    assert index.values_of(_record(b=5)) == []  # not a collection
    assert index.values_of(_record(c=[1])) == []  # no bin


def test_context_index_with_collection_types():
    inner = V.CdtMap([("a", V.CdtMap([("k1", 1), ("k2", "two")])), ("z", 0)])
    assert _index("string", "mapkeys", CTX_MAP_A).values_of(_record(b=inner)) == [b"k1", b"k2"]
    assert _index("numeric", "mapvalues", CTX_MAP_A).values_of(_record(b=inner)) == [1]
    listed = V.CdtMap([("a", V.CdtList([3, "s", 3, 4]))])
    assert _index("numeric", "list", CTX_MAP_A).values_of(_record(b=listed)) == [3, 4]
    assert _index("numeric", "mapkeys", CTX_MAP_A).values_of(_record(b=listed)) == []  # a list, not a map


def test_expression_index_takes_the_value_per_record():
    index = _index("numeric", expression=EXP_A_PLUS_1)
    assert index.values_of(_record(a=41), b"\0" * 20) == [42]
    assert index.values_of(_record(a="text"), b"\0" * 20) == []  # the expression fails: no entry
    assert index.values_of(_record(b=1), b"\0" * 20) == []  # no bin a
