"""User serializers: a client's `serialization` config is used on put and get without any
serializer argument; aerospike.set_serializer()/set_deserializer() only with
SERIALIZER_USER (put) and for every blob read by a client without its own; a serializer
returns a str, stored as a blob; a deserializer gets every blob as a str."""

import aerospike
import pytest
from aerospike import exception as ex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


class Thing:
    def __init__(self, v):
        self.v = v


def ser(thing):
    return "T:%s" % (thing.v,)


def deser(text):
    return ("D", text)


@pytest.fixture
def make_client(spikelite_server):
    made = []

    def make(**config):
        c = aerospike.client(dict(config, hosts=[(spikelite_server.host, spikelite_server.port)]))
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()
    aerospike.unset_serializers()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(v=st.one_of(st.integers(), st.text(alphabet="abcxyz", max_size=5)))
def test_client_serializer_is_used_without_asking(make_client, key, v):
    c = make_client(serialization=(ser, deser))
    c.put(key(1), {"o": Thing(v), "l": [Thing(v), 1]})
    assert c.get(key(1))[2] == {"o": ("D", "T:%s" % v), "l": [("D", "T:%s" % v), 1]}
    plain = make_client()
    assert plain.get(key(1))[2]["o"] == ("T:%s" % v).encode()  # stored as a plain blob


def test_every_blob_goes_through_the_deserializer(make_client, key):
    c = make_client(serialization=(ser, deser))
    c.put(key(1), {"b": b"raw"})
    # (A blob that is no UTF-8 crashes the official client here; purespike gives the bytes.)
    assert c.get(key(1))[2] == {"b": ("D", "raw")}


def test_failing_deserializer_gives_the_bytes(make_client, key):
    def broken(text):
        raise ValueError(text)

    make_client().put(key(1), {"b": b"raw"})
    assert make_client(serialization=(None, broken)).get(key(1))[2] == {"b": b"raw"}


def test_global_serializers(make_client, key):
    c = make_client()
    with pytest.raises(ex.ParamError) as info:
        c.put(key(1), {"o": Thing(1)})
    assert info.value.msg == "Cannot serialize: SERIALIZER_NONE selected"
    with pytest.raises(ex.ClientError) as info:
        c.put(key(1), {"o": Thing(1)}, serializer=aerospike.SERIALIZER_USER)
    assert info.value.msg == "No serializer callback registered"
    assert aerospike.set_serializer(ser) == 0 and aerospike.set_deserializer(deser) == 0
    with pytest.raises(ex.ParamError):
        c.put(key(1), {"o": Thing(1)})  # the global serializer only when asked for
    assert c.put(key(1), {"o": Thing(1)}, serializer=aerospike.SERIALIZER_USER) == 0
    assert c.get(key(1))[2] == {"o": ("D", "T:1")}
    aerospike.unset_serializers()
    assert c.get(key(1))[2] == {"o": b"T:1"}


@pytest.mark.parametrize("serializer, cls, message", [
    (lambda v: 1 / 0, ex.ClientError, "Unable to call user's registered serializer callback"),
    (lambda v: b"bytes", ex.ClientError, "Unable to set as_bytes"),
])
def test_serializer_failures(make_client, key, serializer, cls, message):
    with pytest.raises(cls) as info:
        make_client(serialization=(serializer, None)).put(key(1), {"o": Thing(1)})
    assert info.value.msg == message


def test_serializer_none_argument_wins(make_client, key):
    with pytest.raises(ex.ParamError) as info:
        make_client(serialization=(ser, deser)).put(key(1), {"o": Thing(1)}, serializer=aerospike.SERIALIZER_NONE)
    assert info.value.msg == "Cannot serialize: SERIALIZER_NONE selected"


@pytest.mark.parametrize("option, message", [
    ((1, None), "Serializer must be callable"),
    ((None, "x"), "Deserializer must be callable"),
])
def test_serialization_config_checks(make_client, option, message):
    with pytest.raises(ex.ParamError) as info:
        make_client(serialization=option)
    assert info.value.msg == message


def test_serialization_config_not_a_tuple_is_ignored(make_client, key):
    c = make_client(serialization=[ser, deser])
    with pytest.raises(ex.ParamError):
        c.put(key(1), {"o": Thing(1)})
