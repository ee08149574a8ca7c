"""User-defined functions: module registration and record UDFs (apply, batch_apply, batch Apply).

The Lua modules live in tests/udf. The client gets its own `lua.user_path` (a temporary
directory): the official client copies every module it registers there.
"""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

import aerospike
import pytest
from aerospike import exception as ex
from aerospike import predicates
from aerospike_helpers.batch import records as br

UDF_DIR = Path(__file__).resolve().parent.parent / "udf"
MODULE = "records"


@pytest.fixture(scope="module")
def lua_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("lua")
    shutil.copy(UDF_DIR / "streams.lua", path / "streams.lua")
    return path


@pytest.fixture(scope="module")
def udf_client(spikelite_server, lua_dir):
    c = aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)],
                          "lua": {"user_path": str(lua_dir)}})
    assert c.udf_put(str(UDF_DIR / "records.lua")) == 0
    assert c.udf_put(str(UDF_DIR / "streams.lua")) == 0
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def module_file(tmp_path):
    """write(source) -> path of a uniquely named module file."""

    def write(source: str) -> Path:
        path = tmp_path / ("m%s.lua" % secrets.token_hex(4))
        path.write_text(source)
        return path

    return write


# -- registration ---------------------------------------------------------------------------------

def test_udf_put_list_get_remove(udf_client, module_file):
    source = "function hello(rec, who)\n  return 'hello ' .. who\nend\n"
    path = module_file(source)
    assert udf_client.udf_put(str(path)) == 0
    entries = {entry["name"]: entry for entry in udf_client.udf_list()}
    entry = entries[path.name]
    assert entry["type"] == aerospike.UDF_TYPE_LUA
    assert isinstance(entry["hash"], bytearray) and len(entry["hash"]) == 40
    assert udf_client.udf_get(path.name) == source
    assert udf_client.apply(("test", "udf", "h"), path.stem, "hello", ["you"]) == "hello you"
    assert udf_client.udf_remove(path.name) == 0
    assert path.name not in {entry["name"] for entry in udf_client.udf_list()}
    with pytest.raises(ex.UDFError) as info:
        udf_client.udf_get(path.name)
    assert info.value.code == 100
    assert info.value.msg.startswith("error=not_found")


def test_udf_put_again_replaces_module(udf_client, module_file):
    path = module_file("function v(rec) return 1 end\n")
    udf_client.udf_put(str(path))
    first = {e["name"]: e["hash"] for e in udf_client.udf_list()}[path.name]
    path.write_text("function v(rec) return 2 end\n")
    udf_client.udf_put(str(path))
    second = {e["name"]: e["hash"] for e in udf_client.udf_list()}[path.name]
    assert first != second
    assert udf_client.apply(("test", "udf", "v"), path.stem, "v", []) == 2
    udf_client.udf_remove(path.name)


def test_udf_put_syntax_error_raises_udf_error(udf_client, module_file):
    path = module_file("function broken(rec)\n  return 1 +\nend\n")
    with pytest.raises(ex.UDFError) as info:
        udf_client.udf_put(str(path))
    assert info.value.code == 100
    assert info.value.msg.startswith(
        "error=compile_error;file=%s;line=3;message=unexpected symbol near 'end'" % path.name)
    assert path.name not in {entry["name"] for entry in udf_client.udf_list()}


def test_udf_put_argument_errors(udf_client, tmp_path):
    with pytest.raises(ex.LuaFileNotFound) as info:
        udf_client.udf_put(str(tmp_path / "missing.lua"))
    assert info.value.code == 1302
    with pytest.raises(ex.ParamError):
        udf_client.udf_put(5)
    with pytest.raises(ex.ClientError):
        udf_client.udf_put(str(UDF_DIR / "records.lua"), 1)
    with pytest.raises(ex.ParamError):
        udf_client.udf_remove(5)
    with pytest.raises(ex.ClientError):
        udf_client.udf_get(5)


def test_udf_put_copies_module_to_lua_user_path(spikelite_server, tmp_path):
    lua_dir = tmp_path / "lua"
    lua_dir.mkdir()
    source = tmp_path / "copied_module.lua"
    shutil.copy(UDF_DIR / "records.lua", source)
    c = aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)],
                          "lua": {"user_path": str(lua_dir)}})
    try:
        c.udf_put(str(source))
        assert (lua_dir / "copied_module.lua").read_bytes() == source.read_bytes()
        c.udf_remove("copied_module.lua")
    finally:
        c.close()


# -- arguments and results ------------------------------------------------------------------------

@pytest.mark.parametrize("value, lua_type", [
    (7, "integer"), (-(2 ** 63), "integer"), (1.5, "float"), (2.0, "float"), ("text", "string"),
    ("", "string"), (b"\x00\x01", "userdata:bytes"), (bytearray(b"ab"), "userdata:bytes"),
    ([1, "a", [2.5]], "userdata:list"), ({"a": 1, "b": [1, 2]}, "userdata:map"), (True, "boolean"),
    (False, "boolean"), (None, "nil"),
])
def test_arguments_arrive_with_their_lua_type_and_come_back(udf_client, key, value, lua_type):
    k = key("args")
    assert udf_client.apply(k, MODULE, "type_of", [value]) == lua_type
    expected = bytes(value) if isinstance(value, bytearray) else value
    assert udf_client.apply(k, MODULE, "echo", [value]) == expected


def test_several_arguments(udf_client, key):
    assert udf_client.apply(key("many"), MODULE, "echo_all", [1, "two", 3.0, [4], {"five": 5}]) == \
        [1, "two", 3.0, [4], {"five": 5}]
    assert udf_client.apply(key("many"), MODULE, "echo_all", []) == []


def test_return_values_built_in_lua(udf_client, key):
    assert udf_client.apply(key("build"), MODULE, "build", []) == {
        "a": 1, "b": [0, 1, 2, 3, "four"], "c": 1.5, "d": b"\xca\xfe", "e": True}
    assert udf_client.apply(key("build"), MODULE, "list_ops", [[1, 2, 3]]) == [2, 4, 6, 3, 3]
    assert udf_client.apply(key("build"), MODULE, "map_ops", [{"x": 1, "y": 2}]) == {"x": 2, "y": 3, "size": 2}


def test_logging_functions(udf_client, key):
    assert udf_client.apply(key("log"), MODULE, "log_all", []) == 1


# -- the record API -------------------------------------------------------------------------------

def test_create_update_and_read_bins(udf_client, key):
    k = key("rw")
    assert udf_client.apply(k, MODULE, "exists", []) is False
    assert udf_client.apply(k, MODULE, "set_bin", ["a", 5]) == 0
    _, meta, bins = udf_client.get(k)
    assert bins == {"a": 5} and meta["gen"] == 1
    assert udf_client.apply(k, MODULE, "exists", []) is True
    assert udf_client.apply(k, MODULE, "add", ["a", 3]) == 8
    assert udf_client.apply(k, MODULE, "get_bin", ["a"]) == 8
    assert udf_client.apply(k, MODULE, "get_bin", ["nothing"]) is None
    assert udf_client.apply(k, MODULE, "set_bin", ["l", [1, {"m": "n"}]]) == 0
    _, meta, bins = udf_client.get(k)
    assert bins == {"a": 8, "l": [1, {"m": "n"}]} and meta["gen"] == 3


def test_bin_read_from_put_values(udf_client, key):
    k = key("types")
    udf_client.put(k, {"i": 1, "f": 2.5, "s": "x", "b": b"y", "l": [1, 2], "m": {"k": "v"}})
    for name, value in [("i", 1), ("f", 2.5), ("s", "x"), ("b", b"y"), ("l", [1, 2]), ("m", {"k": "v"})]:
        assert udf_client.apply(k, MODULE, "get_bin", [name]) == value


def test_setting_nil_deletes_a_bin(udf_client, key):
    k = key("nil")
    udf_client.put(k, {"a": 1, "b": 2})
    assert udf_client.apply(k, MODULE, "set_bin", ["a", None]) == 0
    assert udf_client.get(k)[2] == {"b": 2}


def test_changes_without_update_are_not_written(udf_client, key):
    k = key("nocommit")
    udf_client.put(k, {"a": 1})
    assert udf_client.apply(k, MODULE, "set_without_commit", ["a", 2]) == 0
    _, meta, bins = udf_client.get(k)
    assert bins == {"a": 1} and meta["gen"] == 1


def test_create_of_existing_record_and_update_of_missing_record(udf_client, key):
    k = key("create")
    assert udf_client.apply(k, MODULE, "create_only", ["a", 1]) == 0
    assert udf_client.apply(k, MODULE, "create_only", ["a", 2]) == 1
    assert udf_client.get(k)[2] == {"a": 1}
    missing = key("missing")
    assert udf_client.apply(missing, MODULE, "update_only", ["a", 1]) == -2
    assert udf_client.exists(missing)[1] is None


def test_remove_record(udf_client, key):
    k = key("remove")
    udf_client.put(k, {"a": 1})
    assert udf_client.apply(k, MODULE, "remove_record", []) == 0
    assert udf_client.exists(k)[1] is None
    assert udf_client.apply(k, MODULE, "remove_record", []) == 1


def test_record_metadata(udf_client, key, set_name):
    k = key("meta")
    udf_client.put(k, {"a": 1, "b": 2})
    udf_client.put(k, {"a": 3})
    meta = udf_client.apply(k, MODULE, "meta", [])
    assert meta["gen"] == 2 and meta["numbins"] == 2 and meta["setname"] == set_name
    assert sorted(meta["bin_names"]) == ["a", "b"] and meta["digest_size"] == 20
    # no key stored without POLICY_KEY_SEND: record.key is nil, and a map keeps a nil-valued entry
    assert meta["ttl"] == 0 and "key" in meta and meta["key"] is None
    sent = key("meta_key")
    udf_client.put(sent, {"a": 1}, policy={"key": aerospike.POLICY_KEY_SEND})
    assert udf_client.apply(sent, MODULE, "meta", [])["key"] == "meta_key"


def test_set_ttl(udf_client, key):
    k = key("ttl")
    udf_client.put(k, {"a": 1})
    assert udf_client.apply(k, MODULE, "touch_with_ttl", [1000]) == 0
    _, meta = udf_client.exists(k)
    assert 990 <= meta["ttl"] <= 1000 and meta["gen"] == 2
    assert 990 <= udf_client.apply(k, MODULE, "meta", [])["ttl"] <= 1000


def test_apply_policy_ttl(udf_client, key):
    k = key("policy_ttl")
    udf_client.apply(k, MODULE, "set_bin", ["a", 1], {"ttl": 500})
    assert 490 <= udf_client.exists(k)[1]["ttl"] <= 500


# -- errors ---------------------------------------------------------------------------------------

def test_lua_error_raises_udf_error(udf_client, key):
    with pytest.raises(ex.UDFError) as info:
        udf_client.apply(key("err"), MODULE, "fail", ["boom"])
    err = info.value
    assert err.code == 100 and not err.in_doubt
    assert err.msg.endswith("records.lua:116: boom")
    assert err.module == MODULE and err.func == "fail"


def test_runtime_error_message(udf_client, key):
    with pytest.raises(ex.UDFError) as info:
        udf_client.apply(key("err"), MODULE, "bad_arith", [])
    assert "attempt to perform arithmetic on a nil value" in info.value.msg


def test_missing_function_and_module(udf_client, key):
    with pytest.raises(ex.UDFError) as info:
        udf_client.apply(key("err"), MODULE, "no_such_function", [])
    assert info.value.msg.endswith(" function not found")
    with pytest.raises(ex.UDFError) as info:
        udf_client.apply(key("err"), "no_such_module", "f", [])
    assert info.value.msg.endswith(" UDF: Execution Error 1")


def test_setting_a_bin_to_a_plain_table_fails(udf_client, key):
    k = key("table_bin")
    udf_client.put(k, {"a": 1})
    with pytest.raises(ex.UDFError) as info:
        udf_client.apply(k, MODULE, "set_table_bin", [])
    assert info.value.msg.endswith(" can't set bin t to unsupported type")
    assert udf_client.get(k)[2] == {"a": 1}


def test_error_with_table_value(udf_client, key):
    with pytest.raises(ex.UDFError) as info:
        udf_client.apply(key("err"), MODULE, "fail_table", [])
    assert info.value.msg.endswith(" result value type unexpected")


def test_failed_udf_writes_nothing(udf_client, key, module_file):
    path = module_file("function f(rec)\n  rec['a'] = 2\n  aerospike:update(rec)\n  error('late')\nend\n")
    udf_client.udf_put(str(path))
    k = key("nowrite")
    udf_client.put(k, {"a": 1})
    with pytest.raises(ex.UDFError):
        udf_client.apply(k, path.stem, "f", [])
    assert udf_client.get(k)[2] == {"a": 1}
    udf_client.udf_remove(path.name)


def test_apply_argument_errors(udf_client, key):
    k = key("args")
    with pytest.raises(ex.ClientError):
        udf_client.apply(k, 5, "echo", [1])
    with pytest.raises(ex.ClientError):
        udf_client.apply(k, MODULE, 5, [1])
    with pytest.raises(TypeError):
        udf_client.apply(k, MODULE, "echo", "not a list")
    with pytest.raises(ex.ParamError):
        udf_client.apply(("test",), MODULE, "echo", [])
    # (an argument beyond 64 bits raises ParamError too, but corrupts the official client's heap)


def test_sandbox_hides_dangerous_globals(udf_client, key):
    seen = udf_client.apply(key("sandbox"), MODULE, "sandbox", [])
    assert seen["os"] == "table"
    for name in ("os.execute", "io", "loadfile", "dofile", "string.dump", "collectgarbage"):
        assert seen[name] == "nil", name


# -- batches --------------------------------------------------------------------------------------

def test_batch_apply(udf_client, key):
    keys = [key("b1"), key("b2"), key("b3")]
    udf_client.put(keys[0], {"a": 1})
    udf_client.put(keys[1], {"a": 2})
    result = udf_client.batch_apply(keys, MODULE, "get_bin", ["a"])
    assert result.result == 0
    rows = result.batch_records
    assert [r.result for r in rows] == [0, 0, 0]
    assert [r.record[2] for r in rows] == [{"SUCCESS": 1}, {"SUCCESS": 2}, {"SUCCESS": None}]
    assert [r.key[:3] for r in rows] == [k for k in keys]


def test_batch_apply_writes_and_errors(udf_client, key):
    keys = [key("bw1"), key("bw2")]
    result = udf_client.batch_apply(keys, MODULE, "set_bin", ["x", 9])
    assert [r.result for r in result.batch_records] == [0, 0]
    assert [udf_client.get(k)[2] for k in keys] == [{"x": 9}, {"x": 9}]
    result = udf_client.batch_apply(keys, MODULE, "fail", ["no"])
    assert [(r.result, r.record) for r in result.batch_records] == [(100, None), (100, None)]
    with pytest.raises(ex.ParamError):
        udf_client.batch_apply(keys, MODULE, "fail", "no")


def test_batch_write_apply_records(udf_client, key):
    k = key("bwa")
    udf_client.put(k, {"a": 1})
    batch = br.BatchRecords([
        br.Apply(k, MODULE, "add", ["a", 4]),
        br.Apply(key("bwa_missing"), MODULE, "get_bin", ["a"]),
        br.Apply(k, MODULE, "fail", ["x"]),
    ])
    result = udf_client.batch_write(batch)
    rows = result.batch_records
    assert [r.result for r in rows] == [0, 0, 100]
    assert rows[0].record[2] == {"SUCCESS": 5}
    assert rows[1].record[2] == {"SUCCESS": None}
    assert rows[2].record is None
    assert udf_client.get(k)[2] == {"a": 5}


# -- background UDFs ------------------------------------------------------------------------------

def _wait_job(client, job_id, module, eventually):
    eventually(lambda: client.job_info(job_id, module)["status"] == aerospike.JOB_STATUS_COMPLETED)


def _values(client, ns, set_name, bin_name="a"):
    return sorted(rec[2].get(bin_name) for rec in client.scan(ns, set_name).results())


def test_scan_apply_runs_a_record_udf_on_every_record(udf_client, ns, set_name, key, eventually):
    for i in range(5):
        udf_client.put(key(i), {"a": i})
    job_id = udf_client.scan_apply(ns, set_name, MODULE, "add", ["a", 10])
    assert isinstance(job_id, int)
    _wait_job(udf_client, job_id, aerospike.JOB_SCAN, eventually)
    assert _values(udf_client, ns, set_name) == [10, 11, 12, 13, 14]
    info = udf_client.job_info(job_id, aerospike.JOB_SCAN)
    assert info["progress_pct"] == 100


def test_query_apply_execute_background(udf_client, ns, set_name, key, eventually):
    for i in range(4):
        udf_client.put(key(i), {"a": i})
    query = udf_client.query(ns, set_name)
    query.apply(MODULE, "set_bin", ["b", "done"])
    job_id = query.execute_background()
    _wait_job(udf_client, job_id, aerospike.JOB_QUERY, eventually)
    assert _values(udf_client, ns, set_name, "b") == ["done"] * 4


def test_query_apply_with_a_predicate(udf_client, ns, set_name, key, eventually):
    index = "idx_" + set_name
    udf_client.index_integer_create(ns, set_name, "a", index)
    try:
        for i in range(6):
            udf_client.put(key(i), {"a": i})
        eventually(lambda: len(udf_client.query(ns, set_name).results()) == 6)
        job_id = udf_client.query_apply(ns, set_name, predicates.between("a", 2, 3), MODULE, "add", ["a", 100])
        _wait_job(udf_client, job_id, aerospike.JOB_QUERY, eventually)
        eventually(lambda: _values(udf_client, ns, set_name) == [0, 1, 4, 5, 102, 103])
        with pytest.raises(ex.ParamError):
            udf_client.query_apply(ns, set_name, None, MODULE, "add", ["a", 1])
    finally:
        udf_client.index_remove(ns, index)


# -- stream UDFs (aggregation) ---------------------------------------------------------------------

@pytest.fixture(autouse=False)
def in_lua_dir(lua_dir, monkeypatch):
    """The official client reads stream modules from the lua.user_path of the first client the
    process created (process-wide Lua settings; "." by default): run from the module directory."""
    monkeypatch.chdir(lua_dir)


@pytest.fixture
def numbers(udf_client, key, ns, set_name, in_lua_dir):
    for i in range(1, 11):
        udf_client.put(key(i), {"a": i})
    return ns, set_name


def _aggregate(client, ns, set_name, function, args):
    query = client.query(ns, set_name)
    query.apply("streams", function, args)
    return query.results()


@pytest.mark.parametrize("function, args, expected", [
    ("sum", ["a"], [55]),
    ("count", [], [10]),
    ("stats", ["a"], [{"count": 10, "sum": 55, "max": 10}]),
    ("sum_then_double", ["a"], [110]),
])
def test_aggregation_results(udf_client, numbers, function, args, expected):
    assert _aggregate(udf_client, *numbers, function, args) == expected


def test_map_and_filter_stream(udf_client, numbers):
    assert sorted(_aggregate(udf_client, *numbers, "values", ["a"])) == list(range(1, 11))
    assert sorted(_aggregate(udf_client, *numbers, "above", ["a", 7])) == [8, 9, 10]


def test_groupby_stream(udf_client, numbers):
    (groups,) = _aggregate(udf_client, *numbers, "by_parity", ["a"])
    assert sorted(groups["even"]) == [2, 4, 6, 8, 10] and sorted(groups["odd"]) == [1, 3, 5, 7, 9]


def test_aggregation_foreach(udf_client, numbers):
    query = udf_client.query(*numbers)
    query.apply("streams", "sum", ["a"])
    seen = []
    query.foreach(seen.append)
    assert seen == [55]


def _leaves(value):
    """The groups inside nested ["pair", a, b] results."""
    if isinstance(value, list) and value[:1] == ["pair"]:
        return _leaves(value[1]) + _leaves(value[2])
    return [value]


def test_aggregation_runs_per_partition_and_reduces_partials(udf_client, numbers):
    """A real node runs the stream over each partition's records separately and folds the
    partitions' results with the reduce; without a reduce every partition's result comes back."""
    ns, set_name = numbers
    by_partition = {}
    for i in range(1, 11):
        pid = udf_client.get_key_partition_id(ns, set_name, i)
        by_partition.setdefault(pid, []).append(i)
    assert sorted(_aggregate(udf_client, ns, set_name, "partition_counts", [])) == sorted(
        len(group) for group in by_partition.values())
    (result,) = _aggregate(udf_client, ns, set_name, "partition_groups", ["a"])
    assert sorted(sorted(group) for group in _leaves(result)) == sorted(
        sorted(group) for group in by_partition.values())


def test_aggregation_over_an_empty_set(udf_client, ns, set_name, in_lua_dir):
    assert _aggregate(udf_client, ns, set_name, "sum", ["a"]) == []


def test_aggregation_over_a_set_that_does_not_exist(udf_client, ns, in_lua_dir):
    """A real node answers one message with result 2 (not found): no values, not an error."""
    missing = "no_such_set_" + secrets.token_hex(4)
    for function, args in (("sum", ["a"]), ("count", []), ("values", ["a"]), ("stats", ["a"])):
        assert _aggregate(udf_client, ns, missing, function, args) == []
    seen = []
    query = udf_client.query(ns, missing)
    query.apply("streams", "sum", ["a"])
    query.foreach(seen.append)
    assert seen == []


def test_lua_error_in_an_aggregation(udf_client, numbers):
    """A Lua error in the stream arrives as a record with a FAILURE bin: the official client
    raises ClientError with the bin's text."""
    with pytest.raises(ex.ClientError) as info:
        _aggregate(udf_client, *numbers, "broken", [])
    assert type(info.value) is ex.ClientError and info.value.code == -1
    assert info.value.msg.startswith("UDF: Execution Error 2 : ")
    assert info.value.msg.endswith(":54: stream boom")  # the module's line, then error()'s message


def test_aggregation_of_a_missing_function(udf_client, numbers):
    # The official client runs the final stage in its own Lua while the nodes' replies arrive: its
    # own "function not found" (UDFError 100) and the node's FAILURE record (ClientError -1, the
    # same text) race, and either one is raised.
    with pytest.raises((ex.UDFError, ex.ClientError)) as info:
        _aggregate(udf_client, *numbers, "no_such_function", [])
    assert (type(info.value), info.value.code) in ((ex.UDFError, 100), (ex.ClientError, -1))
    assert info.value.msg == "UDF: Execution Error 2 : function not found"
