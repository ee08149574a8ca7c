"""Missing, extra, duplicated and unknown arguments raise TypeError worded as the official
client's C functions word it (CPython's PyArg_ParseTupleAndKeywords), for every Client
method that binds arguments that way."""

import warnings

import aerospike
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

# method: (name the C function reports, its keyword list, how many are required)
CLIENT_METHODS = {
    "get": ("get", ["key", "policy"], 1),
    "exists": ("exists", ["key", "policy"], 1),
    "select": ("select", ["key", "bins", "policy"], 2),
    "put": ("put", ["key", "bins", "meta", "policy", "serializer"], 2),
    "remove": ("remove", ["key", "meta", "policy"], 1),
    "touch": ("touch", ["key", "val", "meta", "policy"], 1),
    "append": ("append", ["key", "bin", "val", "meta", "policy"], 3),
    "increment": ("increment", ["key", "bin", "offset", "meta", "policy"], 3),
    "operate": ("operate", ["key", "list", "meta", "policy"], 2),
    "remove_bin": ("remove_bin", ["key", "list", "meta", "policy"], 2),
    "apply": ("apply", ["key", "module", "function", "args", "policy"], 4),
    "batch_read": ("batch_read", ["keys", "bins", "policy"], 1),
    "batch_write": ("batch_write", ["batch_records", "policy_batch"], 1),
    "batch_operate": ("batch_Operate", ["keys", "ops", "policy_batch", "policy_batch_write", "ttl"], 2),
    "info_all": ("info_all", ["command", "policy"], 1),
    "info_single_node": ("info_single_node", ["command", "host", "policy"], 2),
    "truncate": ("truncate", ["namespace", "set", "nanos", "policy"], 3),
    "udf_put": ("udf_put", ["filename", "udf_type", "policy"], 1),
    "udf_remove": ("udf_remove", ["filename", "policy"], 1),
    "index_blob_create": ("index_integer_create", ["ns", "set", "bin", "name", "policy"], 4),
    "index_cdt_create": ("index_list_create", ["ns", "set", "bin", "index_type", "index_datatype", "name",
                                               "ctx", "policy"], 7),
    "index_map_keys_create": ("index_map_keys_create", ["ns", "set", "bin", "index_datatype", "name",
                                                        "policy", "ctx"], 5),
    "index_remove": ("index_remove", ["ns", "name", "policy"], 2),
    "admin_create_user": ("admin_create_user", ["user", "password", "roles", "policy"], 3),
    "admin_create_role": ("admin_create_role", ["role", "privileges", "policy", "whitelist", "read_quota",
                                                "write_quota"], 1),
    "admin_get_roles": ("admin_get_roles", ["policy"], 0),
    "get_cdtctx_base64": ("get_cdtctx_base64", ["ctx"], 1),
    "get_key_partition_id": ("get_key_partition_id", ["ns", "set", "key"], 3),
}


def call(client, method, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(TypeError) as info:
            getattr(client, method)(*args, **kwargs)
    return str(info.value)


@pytest.mark.parametrize("method", sorted(CLIENT_METHODS))
def test_too_many_and_missing_arguments(client, method):
    fname, names, required = CLIENT_METHODS[method]
    n = len(names)
    plural = "" if n == 1 else "s"
    assert call(client, method, *[None] * (n + 1)) == "%s() takes at most %d argument%s (%d given)" % (
        fname, n, plural, n + 1)
    kwargs = {"k%d" % i: None for i in range(n + 1)}
    assert call(client, method, **kwargs) == "%s() takes at most %d keyword argument%s (%d given)" % (
        fname, n, plural, n + 1)
    if required:
        assert call(client, method) == "%s() missing required argument '%s' (pos 1)" % (fname, names[0])
        last = required - 1
        assert call(client, method, *[None] * last) == "%s() missing required argument '%s' (pos %d)" % (
            fname, names[last], required)


@settings(max_examples=40, deadline=None)
@given(method=st.sampled_from(sorted(CLIENT_METHODS)), data=st.data())
def test_unknown_and_duplicated_keywords(client, method, data):
    fname, names, required = CLIENT_METHODS[method]
    given_count = data.draw(st.integers(max(required, 1), len(names)))
    args = [0] * given_count  # 0 passes every conversion (O, l, i, K), so binding errors show
    if given_count < len(names):
        # everything required is there: an unknown keyword is named as such
        assert call(client, method, *args, no_such_arg=1) == (
            "'no_such_arg' is an invalid keyword argument for %s()" % fname)
    dup = data.draw(st.integers(0, given_count - 1))
    if given_count < len(names):
        message = call(client, method, *args, **{names[dup]: 1})
        assert message == "argument for %s() given by name ('%s') and position (%d)" % (fname, names[dup], dup + 1)


def test_query_and_scan_methods(client):
    q = client.query("test", "s")
    s = client.scan("test", "s")
    with pytest.raises(TypeError, match=r"^where\(\) takes at least 1 argument \(0 given\)$"):
        q.where()
    with pytest.raises(TypeError, match=r"^where_with_expr\(\) takes exactly 2 arguments \(1 given\)$"):
        q.where_with_expr(1)
    with pytest.raises(TypeError, match=r"^Query\.paginate\(\) takes no arguments \(1 given\)$"):
        q.paginate(1)
    with pytest.raises(TypeError, match=r"^foreach\(\) missing required argument 'callback' \(pos 1\)$"):
        s.foreach()
    with pytest.raises(TypeError, match=r"^ops\(\) takes at most 1 argument \(2 given\)$"):
        s.add_ops([], [])
    with pytest.raises(TypeError, match=r"^'zz' is an invalid keyword argument for results\(\)$"):
        q.results(zz=1)


def test_converted_arguments(client):
    with pytest.raises(TypeError, match=r"^job_info\(\) argument 1 must be int, not str$"):
        client.job_info("1", "scan")
    with pytest.raises(TypeError, match=r"^job_info\(\) argument 2 must be str, not int$"):
        client.job_info(1, 2)
    with pytest.raises(TypeError, match=r"^'float' object cannot be interpreted as an integer$"):
        client.udf_put("x.lua", 1.5)


def test_module_functions():
    with pytest.raises(TypeError, match=r"^calc_digest\(\) missing required argument 'ns' \(pos 1\)$"):
        aerospike.calc_digest()
    with pytest.raises(TypeError, match=r"^unset_serializers\(\) takes at most 0 arguments \(1 given\)$"):
        aerospike.unset_serializers(1)
    with pytest.raises(TypeError, match=r"^set_serializer\(\) takes at most 1 argument \(2 given\)$"):
        aerospike.set_serializer(1, 2)


def test_methods_ignoring_their_arguments(client):
    assert client.is_connected(1, 2, x=3) is True
    assert isinstance(client.get_nodes(None, zz=1), list)
    assert isinstance(client.get_node_names(no_such_arg=1), list)


def test_chaining_and_return_values(client):
    q = client.query("test", "s")
    assert q.select("a") is q
    assert q.paginate() is True
    assert q.apply("m", "f") is q
    assert q.add_ops([]) is q
    s = client.scan("test", "s")
    assert s.select("a") is s
    assert aerospike.unset_serializers() == 0
    assert aerospike.set_serializer(lambda v: v) == 0
    assert aerospike.set_deserializer(lambda v: v) == 0
    aerospike.unset_serializers()


@pytest.mark.parametrize("call, message", [
    (lambda c: c.query(), "query() expects atleast 1 parameter"),
    (lambda c: c.query("test", zz=1), "query() expects atleast 1 parameter"),
    (lambda c: c.query("test", "s", 1), "query() expects atleast 1 parameter"),
    (lambda c: c.query(1), "Namespace should be a string"),
    (lambda c: c.query("test", 1), "Set should be string, unicode or None"),
    (lambda c: c.scan(), "Parameters are incorrect"),
    (lambda c: c.scan(1), "Parameters are incorrect"),
    (lambda c: c.scan("test", "s", 1), "Parameters are incorrect"),
    (lambda c: c.scan("test", 1), "Set should be string, unicode or None"),
    (lambda c: aerospike.client(), "No config argument"),
    (lambda c: aerospike.client({}, {}), "No config argument"),
    (lambda c: aerospike.Client(zz=1), "No config argument"),
])
def test_query_scan_and_client_argument_errors_are_param_errors(client, call, message):
    with pytest.raises(aerospike.exception.ParamError) as info:
        call(client)
    assert info.value.msg == message


def test_select_takes_bytearray_bin_names_and_ignores_keywords(client, ns, set_name):
    client.put((ns, set_name, 1), {"a": 1, "b": 2})
    q = client.query(ns, set_name)
    assert q.select(bytearray(b"a"), zz=1) is q
    assert [bins for _, _, bins in q.results()] == [{"a": 1}]
    s = client.scan(ns, set_name)
    assert s.select("b", bin1="ignored") is s
    assert [bins for _, _, bins in s.results()] == [{"b": 2}]


@pytest.mark.parametrize("call, message", [
    (lambda c: c.get(None), "No connection to aerospike cluster"),
    (lambda c: c.put(None, 1), "No connection to aerospike cluster"),
    (lambda c: c.select(None, 1), "No connection to aerospike cluster"),
    (lambda c: c.operate(None, 1), "No connection to aerospike cluster"),
    (lambda c: c.truncate(None, None, None), "No connection to aerospike cluster"),
    (lambda c: c.udf_put(None), "No connection to aerospike cluster"),
    (lambda c: c.index_remove(None, None), "No connection to aerospike cluster"),
    (lambda c: c.admin_drop_user(None), "No connection to aerospike cluster"),
    (lambda c: c.info_random_node(None), "No connection to aerospike cluster."),
    (lambda c: c.info_single_node(None, None), "No connection to aerospike cluster."),
])
def test_closed_client_refuses_before_looking_at_arguments(spikelite_server, call, message):
    c = aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)]})
    c.close()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(aerospike.exception.ClusterError) as info:
            call(c)
    assert info.value.code == 11 and info.value.msg == message
    assert type(c.query("test", "s")).__name__ == "Query"  # made without a connection
    assert type(c.scan("test", "s")).__name__ == "Scan"


def test_select_bins_must_be_a_list_or_tuple(client):
    with pytest.raises(aerospike.exception.ParamError) as info:
        client.select(("test", "s", 1), "a")
    assert info.value.msg == "not a list or tuple"


@pytest.mark.parametrize("call, message", [
    (lambda q, s: q.select("a"), "No connection to aerospike cluster"),
    (lambda q, s: s.select("a"), "No connection to aerospike cluster"),
    (lambda q, s: q.where(aerospike.predicates.equals("a", 1)), "No connection to aerospike cluster"),
    (lambda q, s: q.results(), "No connection to aerospike cluster"),
    (lambda q, s: s.foreach(print), "No connection to aerospike cluster"),
    (lambda q, s: q.apply("m", "f"), "No connection to aerospike cluster"),
    (lambda q, s: s.apply("m", "f", []), "No connection to aerospike cluster."),
    (lambda q, s: q.add_ops([]), "No connection to aerospike cluster."),
    (lambda q, s: s.paginate(), "No connection to aerospike cluster."),
    (lambda q, s: q.is_done(), "No connection to aerospike cluster."),
])
def test_query_and_scan_of_a_closed_client(spikelite_server, call, message):
    c = aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)]})
    q, s = c.query("test", "s"), c.scan("test", "s")
    c.close()
    with pytest.raises(aerospike.exception.ClusterError) as info:
        call(q, s)
    assert info.value.msg == message
    assert q.get_partitions_status() == {}
