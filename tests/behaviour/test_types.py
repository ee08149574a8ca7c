"""Value types of the aerospike module (GeoJSON, null, CDTWildcard, CDTInfinite,
KeyOrderedDict, aerospike_helpers.HyperLogLog) and the logging functions.

No server needed except for the two log-handler tests at the end, which only need a
closed port. Every expectation was checked against the official 19.x client.
"""

import contextlib
import copy
import pickle
import re
import socket

import aerospike
import aerospike_helpers
import pytest
from aerospike import exception as ex

POINT = {"type": "Point", "coordinates": [-122.0, 37.5]}
POINT_TEXT = '{"type": "Point", "coordinates": [-122.0, 37.5]}'


@contextlib.contextmanager
def _raises(cls, code, msg):
    with pytest.raises(cls) as info:
        yield info
    assert type(info.value) is cls
    assert (info.value.code, info.value.msg) == (code, msg)


def param_error(msg):
    return _raises(ex.ParamError, -2, msg)


def client_error(msg):
    return _raises(ex.ClientError, -1, msg)


# -- GeoJSON ---------------------------------------------------------------------------------------

class TestGeoJSON:
    def test_class_is_named_geospatial(self):
        assert aerospike.GeoJSON.__name__ == "Geospatial"
        assert aerospike.GeoJSON.__module__ == "aerospike"
        assert not hasattr(aerospike, "Geospatial")
        assert aerospike.GeoJSON.__mro__[1:] == (object,)

    def test_from_dict_keeps_the_same_object(self):
        d = {"type": "Point", "coordinates": [1, 2]}
        g = aerospike.GeoJSON(d)
        assert g.geo_data is d
        assert g.unwrap() is d

    def test_from_keyword(self):
        assert aerospike.GeoJSON(geo_data=POINT).geo_data == POINT

    def test_from_string_parses_json(self):
        g = aerospike.GeoJSON('{"b":  1,"a":2}')
        assert type(g.geo_data) is dict
        assert g.geo_data == {"b": 1, "a": 2}
        assert str(g) == '{"b": 1, "a": 2}'

    def test_string_parsing_is_pythons_json(self):
        assert aerospike.GeoJSON('  {"a":1}  ').geo_data == {"a": 1}
        assert aerospike.GeoJSON('{"a":1,"a":2}').geo_data == {"a": 2}
        assert aerospike.GeoJSON('{"a": "\\u00e9"}').geo_data == {"a": "é"}

    def test_dict_subclass_is_kept(self):
        g = aerospike.GeoJSON(aerospike.KeyOrderedDict(a=1))
        assert type(g.geo_data) is aerospike.KeyOrderedDict

    def test_str_repr_dumps(self):
        g = aerospike.GeoJSON(POINT)
        assert str(g) == POINT_TEXT
        assert g.dumps() == POINT_TEXT
        assert repr(g) == "'" + POINT_TEXT + "'"

    def test_json_text_details(self):
        g = aerospike.GeoJSON({"a": {"b": [1, 2.5, "x", None, True]}, "c": (1, 2), 1: "é"})
        assert str(g) == '{"a": {"b": [1, 2.5, "x", null, true]}, "c": [1, 2], "1": "\\u00e9"}'
        assert str(aerospike.GeoJSON({"a": 1e20, "b": float("nan")})) == '{"a": 1e+20, "b": NaN}'

    def test_dumps_ignores_arguments(self):
        assert aerospike.GeoJSON({"a": 1}).dumps(1, x=2) == '{"a": 1}'

    def test_str_of_unserialisable_data(self):
        g = aerospike.GeoJSON({"a": {1, 2}})  # accepted: only the text conversion fails
        with client_error("Unable to call get data in str format"):
            str(g)
        with client_error("Unable to call get data in str format"):
            repr(g)
        with client_error("Unable to call dumps function"):
            g.dumps()

    @pytest.mark.parametrize("args, kwargs", [
        ((), {}),
        ((POINT, POINT), {}),
        ((), {"foo": POINT}),
        ((POINT,), {"geo_data": POINT}),
    ])
    def test_needs_exactly_one_argument(self, args, kwargs):
        with param_error("GeoJSON() expects exactly 1 parameter"):
            aerospike.GeoJSON(*args, **kwargs)

    @pytest.mark.parametrize("value", [None, 1, 1.5, [1], b"{}", bytearray(b"{}"), "[1, 2]", "1", "null"])
    def test_rejects_non_dict_data(self, value):
        with param_error("Geospatial data should be a dictionary or raw GeoJSON string"):
            aerospike.GeoJSON(value)

    @pytest.mark.parametrize("text", ["{bad", "", "{'a': 1}"])
    def test_rejects_invalid_json(self, text):
        with client_error("String is not GeoJSON serializable -> Unable to load GeoJSON"):
            aerospike.GeoJSON(text)

    def test_wrap(self):
        g = aerospike.GeoJSON(POINT)
        assert g.wrap({"type": "Polygon"}) == 0
        assert g.geo_data == {"type": "Polygon"}
        assert g.wrap(geodata={"z": 1}) == 0
        assert g.geo_data == {"z": 1}

    @pytest.mark.parametrize("value", ['{"a": 1}', None, [1], 5])
    def test_wrap_rejects_non_dict(self, value):
        g = aerospike.GeoJSON(POINT)
        with param_error("Geospatial data should be a dictionary or raw GeoJSON string"):
            g.wrap(value)
        assert g.geo_data == POINT

    def test_wrap_argument_errors(self):
        g = aerospike.GeoJSON(POINT)
        with pytest.raises(TypeError, match=re.escape("wrap() missing required argument 'geodata' (pos 1)")):
            g.wrap()
        with pytest.raises(TypeError, match=re.escape("wrap() takes at most 1 argument (2 given)")):
            g.wrap({}, 1)

    def test_loads(self):
        g = aerospike.GeoJSON(POINT)
        assert g.loads('{"a": [1]}') == 0
        assert g.geo_data == {"a": [1]}
        assert g.loads(geodata='{"b": 2}') == 0
        assert g.geo_data == {"b": 2}

    def test_loads_errors_leave_data_unchanged(self):
        g = aerospike.GeoJSON({"a": 1})
        with param_error("Argument should be a GeoJSON string"):
            g.loads({"b": 1})
        with param_error("Argument should be a GeoJSON string"):
            g.loads(b"{}")
        with param_error("Argument should be a GeoJSON string"):
            g.loads(None)
        with client_error("String is not GeoJSON serializable -> Unable to load GeoJSON"):
            g.loads("{bad")
        with param_error("Geospatial data should be a dictionary or raw GeoJSON string"):
            g.loads("[1]")
        assert g.geo_data == {"a": 1}

    def test_loads_argument_errors(self):
        g = aerospike.GeoJSON(POINT)
        with pytest.raises(TypeError, match=re.escape("loads() missing required argument 'geodata' (pos 1)")):
            g.loads(raw_geo="{}")
        with pytest.raises(TypeError, match=re.escape("loads() takes at most 1 argument (2 given)")):
            g.loads("{}", 1)

    def test_unwrap_takes_no_arguments(self):
        g = aerospike.GeoJSON(POINT)
        with pytest.raises(TypeError, match=re.escape("unwrap() takes at most 0 arguments (1 given)")):
            g.unwrap(1)
        with pytest.raises(TypeError, match=re.escape("unwrap() takes at most 0 keyword arguments (1 given)")):
            g.unwrap(x=1)

    def test_geo_data_is_a_plain_attribute(self):
        g = aerospike.GeoJSON({"a": 1})
        g.geo_data = 5
        assert (g.geo_data, str(g), g.dumps(), g.unwrap()) == (5, "5", "5", 5)
        g.geo_data = "abc"
        assert (str(g), repr(g)) == ('"abc"', "'\"abc\"'")
        g.geo_data = None
        assert (str(g), g.dumps()) == ("null", "null")

    def test_deleted_geo_data(self):
        g = aerospike.GeoJSON({"a": 1})
        del g.geo_data
        assert g.geo_data is None
        with client_error("Unable to call get data in str format"):
            str(g)
        with client_error("Unable to call dumps function"):
            g.dumps()

    def test_reinit(self):
        g = aerospike.GeoJSON({"a": 1})
        g.__init__('{"z": 2}')
        assert g.geo_data == {"z": 2}

    def test_identity_semantics(self):
        a, b = aerospike.GeoJSON(POINT), aerospike.GeoJSON(POINT)
        assert a != b
        assert a == a
        assert a != POINT
        assert isinstance(hash(a), int)
        with pytest.raises(TypeError):
            a < b  # noqa: B015

    def test_no_other_attributes(self):
        g = aerospike.GeoJSON(POINT)
        with pytest.raises(AttributeError):
            g.foo = 1
        with pytest.raises(AttributeError):
            g.__dict__  # noqa: B018

    @pytest.mark.parametrize("fn", [pickle.dumps, copy.copy, copy.deepcopy])
    def test_not_picklable(self, fn):
        with pytest.raises(TypeError, match=re.escape("cannot pickle 'aerospike.Geospatial' object")):
            fn(aerospike.GeoJSON(POINT))

    def test_subclassable(self):
        sub = type("MyGeo", (aerospike.GeoJSON,), {})
        assert sub({"a": 1}).geo_data == {"a": 1}

    def test_public_methods(self):
        names = sorted(n for n in dir(aerospike.GeoJSON) if not n.startswith("_"))
        assert names == ["dumps", "geo_data", "loads", "unwrap", "wrap"]


class TestGeoFactories:
    def test_geodata(self):
        g = aerospike.geodata(POINT)
        assert type(g) is aerospike.GeoJSON
        assert g.geo_data is POINT
        assert aerospike.geodata(geo_data={"a": 1}).geo_data == {"a": 1}

    @pytest.mark.parametrize("value", ['{"a": 1}', None, [1], 1])
    def test_geodata_rejects_non_dict(self, value):
        with param_error("The geospatial data should be a dictionary"):
            aerospike.geodata(value)

    def test_geodata_argument_errors(self):
        with pytest.raises(TypeError, match=re.escape("geodata() missing required argument 'geo_data' (pos 1)")):
            aerospike.geodata()
        with pytest.raises(TypeError, match=re.escape("geodata() takes at most 1 argument (2 given)")):
            aerospike.geodata({}, 1)

    def test_geojson(self):
        g = aerospike.geojson(POINT_TEXT)
        assert type(g) is aerospike.GeoJSON
        assert g.geo_data == POINT

    @pytest.mark.parametrize("value", [{"a": 1}, b"{}", None])
    def test_geojson_rejects_non_string(self, value):
        with param_error("The geospatial data should be a GeoJSON string"):
            aerospike.geojson(value)

    def test_geojson_bad_text(self):
        with client_error("String is not GeoJSON serializable -> Unable to load GeoJSON"):
            aerospike.geojson("{bad")
        with param_error("Geospatial data should be a dictionary or raw GeoJSON string"):
            aerospike.geojson("[1]")

    def test_geojson_keyword_quirk(self):
        # The keyword is accepted by geojson() itself but passed on to GeoJSON(), which rejects it.
        with param_error("GeoJSON() expects exactly 1 parameter"):
            aerospike.geojson(geojson_str="{}")
        with pytest.raises(TypeError, match=re.escape("geojson() missing required argument 'geojson_str' (pos 1)")):
            aerospike.geojson(geojson="{}")


# -- sentinels -------------------------------------------------------------------------------------

class TestNull:
    def test_null_is_a_class(self):
        assert isinstance(aerospike.null, type)
        assert aerospike.null.__module__ == "aerospike"
        assert aerospike.null.__name__ == "null"

    def test_instances(self):
        n = aerospike.null()
        assert type(n) is aerospike.null
        assert re.fullmatch(r"<aerospike\.null object at 0x[0-9a-f]+>", repr(n))
        assert str(n) == repr(n)
        assert bool(n) is True
        assert n != aerospike.null()
        assert n is not aerospike.null()
        assert n != None  # noqa: E711

    def test_any_arguments_accepted(self):
        assert type(aerospike.null(1, 2, a=3)) is aerospike.null

    def test_no_attributes(self):
        with pytest.raises(AttributeError):
            aerospike.null().x = 1

    def test_pickle_and_copy(self):
        assert type(pickle.loads(pickle.dumps(aerospike.null()))) is aerospike.null
        assert type(copy.deepcopy(aerospike.null())) is aerospike.null

    def test_subclassable(self):
        assert issubclass(type("X", (aerospike.null,), {}), aerospike.null)


@pytest.mark.parametrize("cls_name", ["CDTWildcard", "CDTInfinite"])
class TestCDTSentinels:
    def test_type(self, cls_name):
        cls = getattr(aerospike, cls_name)
        assert isinstance(cls, type)
        assert (cls.__module__, cls.__name__) == ("aerospike", cls_name)
        obj = cls()
        assert type(obj) is cls
        assert re.fullmatch(rf"<aerospike\.{cls_name} object at 0x[0-9a-f]+>", repr(obj))
        assert obj != cls()
        assert bool(obj) is True

    def test_any_arguments_accepted(self, cls_name):
        cls = getattr(aerospike, cls_name)
        assert type(cls(1, 2, a=3)) is cls

    def test_not_subclassable(self, cls_name):
        cls = getattr(aerospike, cls_name)
        with pytest.raises(TypeError, match=re.escape(f"type 'aerospike.{cls_name}' is not an acceptable base type")):
            type("X", (cls,), {})

    def test_no_attributes(self, cls_name):
        with pytest.raises(AttributeError):
            getattr(aerospike, cls_name)().x = 1

    def test_pickle(self, cls_name):
        cls = getattr(aerospike, cls_name)
        assert type(pickle.loads(pickle.dumps(cls()))) is cls


# -- KeyOrderedDict / HyperLogLog -------------------------------------------------------------------

class TestKeyOrderedDict:
    def test_is_a_dict(self):
        k = aerospike.KeyOrderedDict(b=1, a=2)
        assert isinstance(k, dict)
        assert aerospike.KeyOrderedDict.__mro__[1:] == (dict, object)
        assert aerospike.KeyOrderedDict.__module__ == "aerospike"
        assert list(k) == ["b", "a"]  # insertion order: keys are not sorted locally
        assert k == {"a": 2, "b": 1}
        assert repr(k) == "{'b': 1, 'a': 2}"
        assert str(k) == "{'b': 1, 'a': 2}"

    def test_constructor_is_dicts(self):
        assert aerospike.KeyOrderedDict() == {}
        assert aerospike.KeyOrderedDict([(1, 2)]) == {1: 2}
        with pytest.raises(TypeError):
            aerospike.KeyOrderedDict(1)

    def test_derived_values(self):
        k = aerospike.KeyOrderedDict(a=1)
        assert type(k.copy()) is dict
        assert type(k | {"b": 2}) is dict
        assert type(copy.copy(k)) is aerospike.KeyOrderedDict
        assert type(copy.deepcopy(k)) is aerospike.KeyOrderedDict
        assert type(aerospike.KeyOrderedDict.fromkeys([1])) is aerospike.KeyOrderedDict
        unpickled = pickle.loads(pickle.dumps(k))
        assert type(unpickled) is aerospike.KeyOrderedDict and unpickled == {"a": 1}

    def test_no_instance_dict(self):
        with pytest.raises(AttributeError):
            aerospike.KeyOrderedDict().x = 1


class TestHyperLogLog:
    def test_lives_in_aerospike_helpers(self):
        hll = aerospike_helpers.HyperLogLog
        assert not hasattr(aerospike, "HyperLogLog")
        assert (hll.__module__, hll.__name__) == ("aerospike_helpers", "HyperLogLog")
        assert hll.__mro__[1:] == (bytes, object)

    def test_value(self):
        h = aerospike_helpers.HyperLogLog(b"ab")
        assert isinstance(h, bytes)
        assert h == b"ab"
        assert repr(h) == "HyperLogLog(b'ab')"
        assert str(h) == "HyperLogLog(b'ab')"
        assert repr(aerospike_helpers.HyperLogLog(bytearray(b"q"))) == "HyperLogLog(b'q')"
        assert aerospike_helpers.HyperLogLog(3) == b"\x00\x00\x00"
        assert type(h + b"c") is bytes

    def test_needs_an_argument(self):
        with pytest.raises(TypeError):
            aerospike_helpers.HyperLogLog()


# -- logging ---------------------------------------------------------------------------------------

@pytest.fixture
def restore_logging():
    yield
    aerospike.set_log_handler()
    aerospike.set_log_level(aerospike.LOG_LEVEL_ERROR)


class TestLogFunctions:
    def test_level_constants(self):
        assert (aerospike.LOG_LEVEL_OFF, aerospike.LOG_LEVEL_ERROR, aerospike.LOG_LEVEL_WARN,
                aerospike.LOG_LEVEL_INFO, aerospike.LOG_LEVEL_DEBUG, aerospike.LOG_LEVEL_TRACE) == (-1, 0, 1, 2, 3, 4)

    @pytest.mark.parametrize("level", [-1, 0, 1, 2, 3, 4, -2, 5, 100, True, 2**63 - 1])
    def test_set_log_level_returns_zero(self, level, restore_logging):
        assert aerospike.set_log_level(level) == 0

    @pytest.mark.parametrize("level", ["x", 1.0, None, [1]])
    def test_set_log_level_rejects_non_int(self, level, restore_logging):
        with param_error("Invalid log level"):
            aerospike.set_log_level(level)

    @pytest.mark.parametrize("level", [2**63, 2**70, -2**70])
    def test_set_log_level_rejects_huge_int(self, level, restore_logging):
        with param_error("integer value exceeds sys.maxsize"):
            aerospike.set_log_level(level)

    def test_set_log_level_argument_errors(self, restore_logging):
        with pytest.raises(TypeError, match=re.escape("setLogLevel() missing required argument 'loglevel' (pos 1)")):
            aerospike.set_log_level()
        with pytest.raises(TypeError, match=re.escape("setLogLevel() missing required argument 'loglevel' (pos 1)")):
            aerospike.set_log_level(log_level=1)
        with pytest.raises(TypeError, match=re.escape("setLogLevel() takes at most 1 argument (2 given)")):
            aerospike.set_log_level(1, 2)
        assert aerospike.set_log_level(loglevel=1) == 0

    @pytest.mark.parametrize("handler", [None, print, lambda *a: None, 5, "x"])
    def test_set_log_handler_returns_zero(self, handler, restore_logging):
        assert aerospike.set_log_handler(handler) == 0

    def test_set_log_handler_arguments(self, restore_logging):
        assert aerospike.set_log_handler() == 0
        assert aerospike.set_log_handler(log_handler=print) == 0
        with pytest.raises(TypeError, match=re.escape("'callback' is an invalid keyword argument for setLogHandler()")):
            aerospike.set_log_handler(callback=print)
        with pytest.raises(TypeError, match=re.escape("setLogHandler() takes at most 1 argument (2 given)")):
            aerospike.set_log_handler(print, 1)


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _connect_to_nothing():
    port = _closed_port()
    with pytest.raises(ex.AerospikeError):
        aerospike.client({"hosts": [("127.0.0.1", port)], "timeout": 500})
    return port


class TestLogOutput:
    def test_callback_gets_level_func_path_line_message(self, restore_logging):
        calls = []
        aerospike.set_log_level(aerospike.LOG_LEVEL_WARN)
        aerospike.set_log_handler(lambda *args: calls.append(args))
        port = _connect_to_nothing()
        assert calls, "no log message for a failed seed connection"
        for args in calls:
            assert [type(a) for a in args] == [int, str, str, int, str]
            assert args[0] <= aerospike.LOG_LEVEL_WARN
        assert any(a[0] == aerospike.LOG_LEVEL_WARN and f"127.0.0.1 {port}" in a[4] for a in calls)

    def test_default_handler_prints_pid_and_counter_to_stdout(self, capfd, restore_logging):
        import os
        aerospike.set_log_handler()
        aerospike.set_log_level(aerospike.LOG_LEVEL_WARN)
        _connect_to_nothing()
        out = capfd.readouterr().out
        assert re.search(rf"^{os.getpid()}:\d+ Failed to connect to seed 127\.0\.0\.1 \d+", out, re.M), out

    def test_handler_none_silences_until_next_level_change(self, capfd, restore_logging):
        calls = []
        aerospike.set_log_level(aerospike.LOG_LEVEL_WARN)
        aerospike.set_log_handler(lambda *args: calls.append(args))
        aerospike.set_log_handler(None)
        _connect_to_nothing()
        assert calls == [] and capfd.readouterr().out == ""

    def test_level_off_silences(self, capfd, restore_logging):
        calls = []
        aerospike.set_log_level(aerospike.LOG_LEVEL_WARN)
        aerospike.set_log_handler(lambda *args: calls.append(args))
        aerospike.set_log_level(aerospike.LOG_LEVEL_OFF)
        _connect_to_nothing()
        assert calls == []

    def test_failing_callback_is_ignored(self, restore_logging):
        aerospike.set_log_level(aerospike.LOG_LEVEL_WARN)
        aerospike.set_log_handler(lambda level, func: None)  # wrong arity
        _connect_to_nothing()
        aerospike.set_log_handler(lambda *args: 1 / 0)
        _connect_to_nothing()
