"""What the official 19.x client does with unusual arguments, beyond the order of its checks
(see test_argument_check_order.py): Query/Scan methods, context and expression helpers,
connect(), scan() and bin names. Every case was checked against the official client."""

import aerospike
import pytest
from aerospike import exception as ex
from aerospike_helpers import cdt_ctx
from aerospike_helpers.batch import records as br
from aerospike_helpers.expressions import base as exp_base
from aerospike_helpers.expressions import list as exp_list
from aerospike_helpers.expressions import map as exp_map
from aerospike_helpers.operations import list_operations as lo
from aerospike_helpers.operations import map_operations as mo
from aerospike_helpers.operations import operations as op
from hypothesis import given, settings
from hypothesis import strategies as st


@pytest.fixture
def one_record(client, ns, set_name):
    client.put((ns, set_name, 1), {"a": 1})
    return set_name


# -- add_ops, execute_background -----------------------------------------------------------------

@pytest.mark.parametrize("kind", ["query", "scan"])
@pytest.mark.parametrize("ops,cls,message", [
    (None, ex.ClientError, "Ops must be list."),
    ("ops", ex.ClientError, "Ops must be list."),
    ([1], ex.ParamError, "Failed to convert ops."),
    ([{}], ex.ParamError, 'Failed to convert ops. -> Operation must contain an "op" entry'),
    ([{"op": None}], ex.ParamError, "Failed to convert ops. -> Operation must be an integer"),
    ([{"op": aerospike.OPERATOR_WRITE}], ex.ParamError, "Failed to convert ops. -> Bin is not given"),
    ([op.write(5, 1)], ex.ParamError, "Failed to convert ops. -> Bin name should be of type string"),
])
def test_add_ops_converts_the_operations_at_once(client, ns, kind, ops, cls, message):
    with pytest.raises(cls) as info:
        getattr(client, kind)(ns, "s").add_ops(ops)
    assert info.value.msg == message


def test_query_background_needs_ops_or_a_udf(client, ns, set_name):
    with pytest.raises(ex.ParamError) as info:
        client.query(ns, set_name).execute_background()
    assert info.value.msg == "Background function or ops is required"
    assert isinstance(client.query(ns, set_name).add_ops([]).execute_background(), int)


def test_scan_background_without_ops_is_sent_as_a_plain_scan(client, ns, set_name):
    # The official client sends a read scan without partitions, which a node does not serve.
    with pytest.raises(ex.UnsupportedFeature) as info:
        client.scan(ns, set_name).execute_background()
    assert info.value.code == 16 and info.value.msg.endswith(" AEROSPIKE_ERR_UNSUPPORTED_FEATURE")


@pytest.mark.parametrize("kind", ["query", "scan"])
def test_background_ops_must_write(client, ns, set_name, kind):
    with pytest.raises(ex.ParamError) as info:
        getattr(client, kind)(ns, set_name).add_ops([op.read("a")]).execute_background()
    assert info.value.msg == ("Background %s operations must be write-only. Use %s for read-only operations."
                              % (kind, kind))


@pytest.mark.parametrize("kind", ["query", "scan"])
def test_background_policy_is_checked_first(client, ns, set_name, kind):
    with pytest.raises(ex.ParamError) as info:
        getattr(client, kind)(ns, set_name).execute_background(5)
    assert info.value.msg == "policy must be a dict"


# -- foreach callbacks -------------------------------------------------------------------------------

CALLBACK_WORDS = {"query": "Callback function contains an error", "scan": "Callback function raised an exception"}


@pytest.mark.parametrize("kind", ["query", "scan"])
@pytest.mark.parametrize("callback", [5, None, lambda record: 1 / 0])
def test_foreach_callback_is_checked_when_a_record_arrives(client, ns, set_name, kind, callback):
    assert getattr(client, kind)(ns, set_name).foreach(callback) is None  # no record: never called
    client.put((ns, set_name, 1), {"a": 1})
    with pytest.raises(ex.ClientError) as info:
        getattr(client, kind)(ns, set_name).foreach(callback)
    assert info.value.msg == CALLBACK_WORDS[kind]


@pytest.mark.parametrize("nodename", [None, 5, b"node"])
def test_scan_nodename_must_be_a_string_when_given(client, ns, nodename):
    for call in (lambda s: s.results(None, nodename), lambda s: s.foreach(print, None, None, nodename)):
        with pytest.raises(ex.ParamError) as info:
            call(client.scan(ns, "s"))
        assert info.value.msg == "nodename must be a string"


def test_scan_foreach_reads_no_options(client, ns, one_record):
    seen = []
    assert client.scan(ns, one_record).foreach(seen.append, None, "not options") is None
    assert len(seen) == 1


@pytest.mark.parametrize("kind", ["query", "scan"])
def test_stream_apply_arguments(client, ns, kind):
    with pytest.raises(ex.ClientError) as info:
        getattr(client, kind)(ns, "s").apply("m", "f", [object()])
    assert info.value.msg == "udf function argument type must be supported by Aerospike"


# -- where ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("predicate", [
    (0, 4, 5, 1), (0, 4, 5.5, 1), (0, 0, "a", 5), (0, 2, "a", 5), (0, 3, "a", "x")])
def test_where_adds_no_filter_for_a_bin_or_value_of_another_type(client, ns, one_record, predicate):
    query = client.query(ns, one_record)
    assert query.where(predicate) is query
    assert [bins for _, _, bins in query.results()] == [{"a": 1}]


@pytest.mark.parametrize("predicate,message", [
    ("pred", "predicate is invalid."), ((0, 4), "predicate is invalid."), ((0.5, 4, "a", 1), "predicate is invalid."),
    ((0, 4, "a", 1, 2, "x"), "predicate is invalid."), ((0, 4, "a", 1, 2, 0, 0), "predicate is invalid."),
    ((0, 4, None, 1), "Failed to add predicate"), ((0, 9, "a", 1), "Failed to add predicate"),
    ((1, 3, "a", b"x"), "Failed to add predicate")])
def test_where_refuses(client, ns, predicate, message):
    with pytest.raises(ex.ParamError) as info:
        client.query(ns, "s").where(predicate)
    assert info.value.msg == message


def test_where_with_expr_reads_the_predicate_first(client, ns):
    with pytest.raises(ex.ParamError) as info:
        client.query(ns, "s").where_with_expr(2, "not a predicate")
    assert info.value.msg == "predicate is invalid."


# -- contexts, expressions, partition ids -------------------------------------------------------------

@pytest.mark.parametrize("helper", ["cdt_ctx_list_index", "cdt_ctx_list_rank", "cdt_ctx_map_index",
                                    "cdt_ctx_map_rank"])
@pytest.mark.parametrize("value", [None, "x", 1.5, 2**64])
def test_ctx_positions_must_be_int64(client, helper, value):
    with pytest.raises(ex.ParamError) as info:
        client.get_cdtctx_base64([getattr(cdt_ctx, helper)(value)])
    assert info.value.msg == "Failed to convert ctx, value to long"


def test_ctx_bool_position_is_an_integer(client):
    assert client.get_cdtctx_base64([cdt_ctx.cdt_ctx_list_index(True)]) == \
        client.get_cdtctx_base64([cdt_ctx.cdt_ctx_list_index(1)])


@pytest.mark.parametrize("ctx,message", [
    (bytearray(b"x"), "parameter is not list type"), ([1], "Failed to convert ctx, id"),
    ([cdt_ctx.cdt_ctx_map_key(2**64)], "Failed to convert ctx, value to as_val -> integer value exceeds sys.maxsize")])
def test_get_cdtctx_base64_refuses(client, ctx, message):
    with pytest.raises(ex.ParamError) as info:
        client.get_cdtctx_base64(ctx)
    assert info.value.msg == message


WORDS = "Expressions must be a non empty list of 4 element tuples, generated by a compiled aerospike expression"


@pytest.mark.parametrize("value,message", [
    (bytearray(b"x"), "expression must be a non empty list of 4 element tuples, generated by a compiled aerospike "
                      "expression"),
    ([], WORDS + ". For Query.where_with_expr(), it can also be a base64 string."), ([1], WORDS)])
def test_get_expression_base64_refuses(client, value, message):
    with pytest.raises(ex.ParamError) as info:
        client.get_expression_base64(value)
    assert info.value.msg == message


@settings(max_examples=30, deadline=None)
@given(return_type=st.one_of(st.none(), st.text(max_size=3), st.binary(max_size=3), st.floats(allow_nan=False),
                             st.dictionaries(st.text(max_size=2), st.integers(), max_size=2)))
def test_inverted_get_by_expressions_fail_as_the_official_helpers(return_type):
    for build in (lambda: exp_list.ListGetByIndexRange(None, return_type, 0, 1, "l", inverted=True),
                  lambda: exp_map.MapGetByKeyRange(None, return_type, "a", "b", exp_base.MapBin("m"), inverted=True)):
        with pytest.raises(TypeError) as info:
            build()
        if isinstance(return_type, dict):
            assert str(info.value) == "'int' object is not iterable"
        else:
            assert str(info.value) == "unsupported operand type(s) for |=: '%s' and 'int'" % type(return_type).__name__


@pytest.mark.parametrize("args,message", [
    ((None, "s", 1), "Namespace should be a string."), (("test", None, 1), "Set should be a string or unicode."),
    (("test", "s", None), "Key is invalid."), (("test", "s", 1.5), "Key is invalid."),
    (("test", "s", b"k"), "Key is invalid.")])
def test_get_key_partition_id_refuses(client, args, message):
    with pytest.raises(ex.ParamError) as info:
        client.get_key_partition_id(*args)
    assert info.value.msg == message


# -- connect, scan, operate, bin names, udf_remove -------------------------------------------------------

@pytest.mark.parametrize("args,kwargs", [((1, 2, 3), {}), ((), {"no_such_arg": 1}), ((None,), {"x": None})])
def test_connect_ignores_arguments_it_does_not_read(client, args, kwargs):
    assert client.connect(*args, **kwargs) is client


@pytest.mark.parametrize("namespace,set_arg,message", [
    (5, None, "Parameters are incorrect"), (5, 5, "Parameters are incorrect"),
    ("a\x00b", 5, "Set should be string, unicode or None")])
def test_scan_namespace_checks(client, namespace, set_arg, message):
    with pytest.raises(ex.ParamError) as info:
        client.scan(namespace, set_arg)
    assert info.value.msg == message


def test_scan_namespace_is_read_up_to_a_nul(client):
    with pytest.raises(ex.NamespaceNotFound) as info:
        client.scan("nosuchns\x00test").results()
    assert info.value.msg == "Invalid namespace: nosuchns"


def test_operate_skips_entries_that_are_not_dicts(client, key):
    key = key(1)
    client.put(key, {"a": 1})
    assert client.operate(key, [1, op.read("a"), "x"])[2] == {"a": 1}
    with pytest.raises(ex.ParamError) as info:
        client.operate(key, [1])
    assert info.value.msg == "No operations defined"
    with pytest.raises(ex.ParamError) as info:
        client.operate(key, [{"bin": "a"}])
    assert info.value.msg == 'Operation must contain an "op" entry'


def test_batch_operate_ops_must_be_dicts(client, key):
    with pytest.raises(ex.ParamError) as info:
        client.batch_operate([key(1)], [1, op.read("a")])
    assert info.value.msg == "op should be an aerospike operation dictionary"


def test_increment_checks_the_operand_of_a_non_utf8_bytearray_bin(client, key):
    with pytest.raises(ex.ParamError) as info:
        client.increment(key(1), bytearray(b"\xff"), "x")
    assert info.value.msg == "Unsupported operand type(s) for +: only 'int' allowed"


def test_info_single_node_looks_up_the_host_before_the_command(client):
    with pytest.raises(ex.ParamError) as info:
        client.info_single_node(5, "no-such-node")
    assert info.value.msg == "Could not get node with name no-such-node."


def test_udf_remove_ignores_a_policy_that_is_not_a_dict(client, tmp_path, monkeypatch):
    # udf_put copies the module into the client's lua user_path, the working directory by default
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "argument_details.lua"
    path.write_text("function f(rec)\n  return 1\nend\n")
    client.udf_put(str(path))
    assert client.udf_remove("argument_details.lua", "not a policy") == 0


def test_admin_create_role_privileges_are_optional_but_not_none(client):
    with pytest.raises(ex.ParamError) as info:
        client.admin_create_role("r", None)
    assert info.value.msg == "Privileges should be a list"
    with pytest.raises(ex.ParamError) as info:
        client.admin_create_role(5)
    assert info.value.msg == "Role name should be a string"


@pytest.mark.parametrize("record", [
    lambda: br.Write(None, b"not ops"), lambda: br.Write({"ns": "test", "key": 1}, [op.read("a")]),
    lambda: br.Read(None, None), lambda: br.Remove(None), lambda: br.Apply(None, "m", "f", [])])
def test_batch_write_checks_each_record_key_before_its_ops(client, record):
    with pytest.raises(ex.ParamError) as info:
        client.batch_write(br.BatchRecords([record()]))
    assert info.value.msg == "py_key is NULL or not a tuple, key must be a aerospike key tuple"


# -- admin policies and privileges ---------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda c, p: c.admin_get_role(5, p), lambda c, p: c.admin_drop_user(5, p), lambda c, p: c.admin_query_roles(p)])
@pytest.mark.parametrize("policy,cls,message", [
    ({"timeout": {}}, ex.ParamError, "timeout is invalid"), ({"timeout": 1.5}, ex.ParamError, "timeout is invalid"),
    ({"timeout": 2**64}, ex.ClientError, "Unable to fetch long value from policy field")])
def test_admin_policy_is_converted_first(client, call, policy, cls, message):
    with pytest.raises(cls) as info:
        call(client, policy)
    assert info.value.msg == message


def test_admin_privileges_contents_after_the_policy_and_before_the_role(client):
    with pytest.raises(ex.ParamError) as info:
        client.admin_grant_privileges(5, [None, {}], 5)
    assert info.value.msg == "policy must be a dict"
    with pytest.raises(ex.ParamError) as info:
        client.admin_grant_privileges(5, [None, {"ns": "test"}])
    assert info.value.msg == "Code is a compulsory parameter in privileges dictionary"


_REACHES_THE_NODE = None  # the call is sent: the node answers (security is off here)


@pytest.mark.parametrize("call,cls,message", [
    # the privileges' error stands only without a policy: converting a given policy starts afresh
    (lambda c: c.admin_grant_privileges("r", [{}]), ex.ParamError,
     "Code is a compulsory parameter in privileges dictionary"),
    # (then the official client sends the unconverted privileges' uninitialized memory: not tested)
    (lambda c: c.admin_grant_privileges(5, [{}], {}), ex.ParamError, "Role name should be a string"),
    (lambda c: c.admin_revoke_privileges(5, [{"ns": "test"}], {"timeout": 100}), ex.ParamError,
     "Role name should be a string"),
    (lambda c: c.admin_grant_privileges(5, [{"code": 1, "ns": "test"}]), ex.ParamError,
     "Role name should be a string"),
    # a code that is not a C long goes on as -1, leaving a Python error the policy then meets
    (lambda c: c.admin_grant_privileges("r", [{"code": "x"}]), _REACHES_THE_NODE, None),
    (lambda c: c.admin_revoke_privileges("r", [{"code": 2**64}]), _REACHES_THE_NODE, None),
    (lambda c: c.admin_grant_privileges("r", [{"code": 1.5}], {}), ex.ClientError,
     "Unable to fetch field from policy dictionary"),
    (lambda c: c.admin_grant_privileges("r", [{"code": None}], {"timeout": -1}), ex.ClientError,
     "Unable to fetch long value from policy field"),
    (lambda c: c.admin_create_role("r", [{"code": "x"}, {}]), ex.ParamError,
     "Code is a compulsory parameter in privileges dictionary"),
    (lambda c: c.admin_create_role("r", [{"code": "x"}], {"bogus": 1}), ex.ClientError,
     "Unable to fetch field from policy dictionary"),
    (lambda c: c.admin_create_role("r", [{"code": "x"}], None, []), ex.ClientError, "Failed to get list size"),
    (lambda c: c.admin_create_role("r", [{"code": "x"}], None, None), ex.ParamError,
     "Whitelist must be a list of IP strings."),
    (lambda c: c.admin_create_role("r", [], None, ["x" * 64]), ex.ClientError, "String exceeds max length"),
    (lambda c: c.admin_set_whitelist("r", ["1.2.3.4", "x" * 64]), ex.ClientError, "String exceeds max length"),
    # a single role name is sent whole, whatever its length
    (lambda c: c.admin_create_role("x" * 100, [{"code": 10}]), _REACHES_THE_NODE, None),
    (lambda c: c.admin_drop_role("x" * 64), _REACHES_THE_NODE, None),
])
def test_admin_privileges_are_converted_in_the_official_order(client, call, cls, message):
    with pytest.raises(ex.AerospikeError) as info:
        call(client)
    if cls is _REACHES_THE_NODE:
        assert isinstance(info.value, ex.ServerError) and info.value.code > 0
    else:
        assert type(info.value) is cls and info.value.msg == message


# -- found by longer differential runs ----------------------------------------------------------------

def test_batch_operate_refuses_empty_ops_before_the_keys(client):
    with pytest.raises(ex.ParamError) as info:
        client.batch_operate(5, [])
    assert info.value.msg == "ops should be a list of op dictionaries"


def test_scan_apply_without_args_reaches_the_node(client):
    with pytest.raises(ex.NamespaceNotFound) as info:
        client.scan_apply("no_such_namespace", "s", "m", "f")
    assert info.value.msg.endswith(" AEROSPIKE_ERR_NAMESPACE_NOT_FOUND")


def test_scan_foreach_options_keys_must_be_strings(client, ns):
    with pytest.raises(ex.ParamError) as info:
        client.scan(ns, "s").foreach(print, None, {1: 2}, ())
    assert info.value.msg == "Policy key must be string"


def test_bin_name_error_names_the_key_and_bin_as_given(client, ns, set_name):
    key = {"ns": ns, "set": set_name, "key": 1}
    with pytest.raises(ex.BinNameError) as info:
        client.append(key, "x" * 20, "v")
    assert info.value.key == key and info.value.bin == "x" * 20


@pytest.mark.parametrize("call", [
    lambda c, k: c.prepend(k, None, "v", None, {"total_timeout": "x"}),
    lambda c, k: c.increment(k, None, "v", "meta", {"total_timeout": "x"}),
    lambda c, k: c.touch(k, "x", None, {"total_timeout": "x"}),
    lambda c, k: c.operate(k, [], "meta", {"total_timeout": "x"})])
def test_single_record_writes_convert_their_policy_before_meta_and_bins(client, key, call):
    with pytest.raises(ex.ParamError) as info:
        call(client, key(1))
    assert info.value.msg == "total_timeout is invalid"


@pytest.mark.parametrize("call", [
    lambda c: c.batch_remove([b""], ""), lambda c: c.batch_apply([b""], "m", "f", [], ""),
    lambda c: c.batch_operate([b""], [op.read("a")], None, "")])
def test_batch_keys_are_converted_before_the_policies(client, call):
    with pytest.raises(ex.ParamError) as info:
        call(client)
    assert info.value.msg == "key should be an aerospike key tuple"


def test_operate_ordered_refuses_entries_that_are_not_dicts(client, key):
    with pytest.raises(ex.ParamError) as info:
        client.operate_ordered(key(1), [1, op.read("a")])
    assert info.value.msg == "Operation must be a dict"


@pytest.mark.parametrize("call", [
    lambda c, ns, p: c.scan(ns, "s").results(p, 5), lambda c, ns, p: c.scan(ns, "s").foreach(print, p, None, 5),
    lambda c, ns, p: c.query(ns, "s").results(p, 5), lambda c, ns, p: c.scan(ns, "s").execute_background(p)])
@pytest.mark.parametrize("policy,message", [
    ({"total_timeout": "x"}, "total_timeout is invalid"), ({"txn": 4}, "txn is not of type aerospike.Transaction")])
def test_stream_policies_are_converted_first(client, ns, call, policy, message):
    with pytest.raises(ex.ParamError) as info:
        call(client, ns, policy)
    assert info.value.msg == message


# -- status names in messages ----------------------------------------------------------------------

def _geo_put(client, key):
    client.put(key, {"g": aerospike.geojson('{"type": "Nope"}')})


def _filtered_put(client, key):
    client.put(key, {"b": 2}, policy={"expressions": exp_base.Eq(1, 2).compile()})


def _unique_append(client, key):
    client.operate(key, [lo.list_append("l", 1, {"write_flags": aerospike.LIST_WRITE_ADD_UNIQUE})])


def _create_only_put(client, key):
    client.operate(key, [mo.map_put("m", "a", 2, {"map_write_flags": aerospike.MAP_WRITE_FLAGS_CREATE_ONLY})])


def _update_only_put(client, key):
    client.operate(key, [mo.map_put("m", "z", 2, {"map_write_flags": aerospike.MAP_WRITE_FLAGS_UPDATE_ONLY})])


@pytest.mark.parametrize("call,cls,name", [
    (_geo_put, ex.InvalidGeoJSON, "AEROSPIKE_ERR_SERVER"),  # 160: a status the C client does not name
    (_filtered_put, ex.FilteredOut, "AEROSPIKE_FILTERED_OUT"),
    (_unique_append, ex.ElementExistsError, "AEROSPIKE_ERR_FAIL_ELEMENT_EXISTS"),
    (_create_only_put, ex.ElementExistsError, "AEROSPIKE_ERR_FAIL_ELEMENT_EXISTS"),
    (_update_only_put, ex.ElementNotFoundError, "AEROSPIKE_ERR_FAIL_ELEMENT_NOT_FOUND"),
])
def test_a_server_status_is_named_as_the_c_client_names_it(client, ns, set_name, call, cls, name):
    key = (ns, set_name, "status-names")
    client.put(key, {"l": [1], "m": {"a": 1}})
    with pytest.raises(cls) as info:
        call(client, key)
    assert info.value.msg.split(" ")[-1] == name


@pytest.mark.parametrize("field", ["respond_all_keys", "allow_inline_ssd"])
@pytest.mark.parametrize("value, accepted", [("x", False), (None, False), ((1,), False), (5, True), (False, True)])
def test_batch_policy_flags_are_read_as_c_ints_before_the_records(client, ns, field, value, accepted):
    # The batch policy is converted first: a flag that is not an int is refused before the
    # (also bad) batch records are looked at; an int (a bool too) is taken.
    with pytest.raises(ex.ParamError) as info:
        client.batch_write(-1, {field: value})
    want = ("batch_records must be an aerospike_helpers.batch.records.BatchRecords instance" if accepted
            else "%s is invalid" % field)
    assert info.value.msg == want
    keys = [(ns, "policy_flags", "k")]
    if accepted:
        assert len(client.batch_read(keys, None, {field: value}).batch_records) == 1
    else:
        with pytest.raises(ex.ParamError) as info:
            client.batch_remove(keys, {field: value})
        assert info.value.msg == "%s is invalid" % field


def test_a_key_whose_set_is_a_bytearray_is_refused_after_the_same_set_as_str_was_used(client, ns):
    client.put((ns, "bytearray_set", "k"), {"a": 1})  # the set is now known to the client
    for key in ((ns, bytearray(b"bytearray_set"), "k"), (ns, ["bytearray_set"], "k")):
        with pytest.raises(ex.ParamError) as info:
            client.get(key)
        assert info.value.msg == "set must be a string"


@pytest.fixture
def closed_client(spikelite_server):
    c = aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)]})
    c.close()
    return c


@pytest.mark.parametrize("call,cls,message", [
    (lambda c: c.udf_put(None, 135), ex.ClientError, "Invalid UDF language"),
    (lambda c: c.udf_put("/nonexistent/x.lua", 0), ex.ClusterError, "No connection to aerospike cluster"),
    (lambda c: c.admin_set_quotas(), ex.ClusterError, "No connection to aerospike cluster."),
    (lambda c: c.admin_set_whitelist(role=5, no_such_arg=1), ex.ClusterError, "No connection to aerospike cluster."),
])
def test_checks_before_the_connection_check(closed_client, call, cls, message):
    with pytest.raises(cls) as info:
        call(closed_client)
    assert info.value.msg == message


@pytest.mark.parametrize("length,message", [(509, "cannot open script file"), (510, "Lua file pathname too long")])
@pytest.mark.parametrize("folder", ["", "/nonexistent/"])
def test_udf_put_limits_the_local_copy_path(client, length, message, folder):
    # the copy goes to lua.user_path ("." here, "./" + name) in a buffer of 512 bytes
    with pytest.raises(ex.AerospikeError) as info:
        client.udf_put(folder + "x" * length)
    assert info.value.msg == message


def test_udf_put_converts_its_policy_before_reading_the_file(client):
    with pytest.raises(ex.ParamError) as info:
        client.udf_put("/nonexistent/x.lua", 0, {"timeout": "x"})
    assert info.value.msg == "timeout is invalid"


@pytest.mark.parametrize("options,message", [
    ({"x": 1}, "Invalid value for scan options"), ({1: True}, "Policy key must be string"),
    ({"concurrent": True, "nobins": 1}, "Invalid value(type) for nobins")])
def test_scan_apply_options_are_checked_before_the_module(client, ns, options, message):
    with pytest.raises(ex.ParamError) as info:
        client.scan_apply(ns, "s", 5, "f", None, None, options)
    assert info.value.msg == message


def test_scan_apply_takes_none_for_its_arguments(client, ns, set_name):
    job = client.scan_apply(ns, set_name, "no_such_module", "f", None, None, {"concurrent": True})
    assert isinstance(job, int)


def test_index_cdt_create_refuses_a_none_ctx_first(client, closed_client):
    for c in (client, closed_client):
        with pytest.raises(ex.ParamError) as info:
            c.index_cdt_create(5, 0, 5, 2, 3, bytearray(b"x"), None, 5)
        assert info.value.msg == "ctx cannot be None"


@pytest.mark.parametrize("name,size", [("i" * 990, 1030), ("\u00e9" * 600, 1240)])
def test_index_remove_command_must_fit_the_c_clients_buffer(client, ns, name, size):
    # "sindex-delete:namespace=<ns>;indexname=<name>" and its NUL, in 1024 bytes
    with pytest.raises(ex.ClientError) as info:
        client.index_remove(ns, name)
    assert info.value.msg == "Index remove buffer overflow: %d" % size


@given(st.integers(0, 1500))
@settings(max_examples=15, deadline=None)
def test_error_messages_are_cut_as_the_c_clients_buffer_cuts_them(client, length):
    name = "y" * length
    with pytest.raises(ex.ParamError) as info:
        client.info_single_node("x", name)
    assert info.value.msg == ("Could not get node with name %s." % name)[:1023]
    with pytest.raises(ex.ParamError) as info:
        client.scan("test", "s").foreach(print, None, {}, name)
    assert info.value.msg == ("Invalid node name: %s" % name)[:1022]


@pytest.mark.parametrize("call,field", [
    (lambda c, k, p: c.get(k, p), "total_timeout"), (lambda c, k, p: c.put(k, {"a": 1}, policy=p), "ttl"),
    (lambda c, k, p: c.operate(k, [op.read("a")], policy=p), "socket_timeout"),
    (lambda c, k, p: c.info_all("build", p), "timeout"),
    (lambda c, k, p: c.scan(k[0], k[1]).results(p), "total_timeout"),
    (lambda c, k, p: c.query(k[0], k[1]).apply("m", "f").execute_background(p), "durable_delete")])
@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 2**64])
def test_policy_ints_must_fit_a_c_long(client, key, call, field, value):
    with pytest.raises(ex.ClientError) as info:
        call(client, key(1), {field: value})
    assert info.value.msg == "Unable to fetch long value from policy field"


@pytest.mark.parametrize("policy,cls,message", [
    ({"records_per_second": "x"}, ex.ParamError, "records_per_second is invalid"),
    ({"records_per_second": 2**63}, ex.ClientError, "Unable to fetch long value from policy field"),
    ({"max_records": 2**63}, ex.ClientError, "Unable to fetch long value from policy field")])
def test_scan_policy_throttle_and_limit_are_c_longs(client, ns, set_name, policy, cls, message):
    for call in (lambda: client.scan(ns, set_name).results(policy),
                 lambda: client.scan(ns, set_name).execute_background(policy)):
        with pytest.raises(cls) as info:
            call()
        assert info.value.msg == message


def test_scan_throttle_wraps_and_a_query_policy_has_none(client, ns, key):
    client.put(key(1), {"a": 1})
    assert len(client.scan(ns, key(1)[1]).results({"records_per_second": 2**32 + 1000})) == 1
    assert len(client.scan(ns, key(1)[1]).results({"records_per_second": -1})) == 1
    assert len(client.query(ns, key(1)[1]).results({"records_per_second": "x", "max_records": "x"})) == 1


def test_udf_get_of_an_empty_name_asks_for_a_module_named_dot(client):
    # the official client sends "udf-get:filename=.;" for ""
    with pytest.raises(ex.UDFError) as info:
        client.udf_get("")
    assert info.value.msg.startswith("error=not_found")


def test_where_with_index_name_refuses_an_embedded_nul(client, ns):
    with pytest.raises(ValueError) as info:
        client.query(ns, "s").where_with_index_name("a\x00b", aerospike.predicates.equals("a", 1))
    assert str(info.value) == "embedded null character"


@given(st.text(max_size=5), st.text(max_size=5))
@settings(max_examples=20, deadline=None)
def test_key_strings_are_c_strings_cut_at_a_nul(client, head, tail):
    # the official client copies namespace, set and a str key as C strings
    ns, set_name = "test", "nul_keys"
    head = head.replace("\x00", "")
    key = (ns, set_name + "\x00" + tail, head + "\x00" + tail)
    assert aerospike.calc_digest(ns, key[1], key[2]) == aerospike.calc_digest(ns, set_name, head)
    if not head:
        return  # an empty str key is the node's to refuse
    client.put(key, {"v": 1}, policy={"key": aerospike.POLICY_KEY_SEND})
    (_, set_back, key_back, _), _, bins = client.get((ns, set_name, head), {"key": aerospike.POLICY_KEY_SEND})
    assert (set_back, key_back, bins) == (set_name, head, {"v": 1})
    assert client.exists((ns, set_name, head + "\x00"))[0][:3] == (ns, set_name, head)
    client.remove((ns, set_name, head))


def test_an_empty_set_comes_back_as_none(client, ns):
    assert client.exists((ns, "", "k"))[0][:3] == (ns, None, "k")
    assert client.exists((ns, "\x00x", "k"))[0][:3] == (ns, None, "k")


def test_calc_digest_refuses_a_bytes_key():
    with pytest.raises(TypeError) as info:
        aerospike.calc_digest("test", "s", b"k")
    assert str(info.value) == "Key is invalid"


def test_a_hyperloglog_appended_is_raw_bytes(client, key):
    from aerospike_helpers import HyperLogLog
    client.put(key(1), {"a": 1})
    client.append(key(1), "h", HyperLogLog(b"\x00" * 8))
    client.prepend(key(1), "h", HyperLogLog(b"\x01"))
    client.operate(key(1), [op.append("p", HyperLogLog(b"\x02" * 4))])
    bins = client.get(key(1))[2]
    assert type(bins["h"]) is bytes and bins["h"] == b"\x01" + b"\x00" * 8
    assert type(bins["p"]) is bytes and bins["p"] == b"\x02" * 4


def test_batch_write_converts_its_policy_expressions_first(client):
    with pytest.raises(ex.ParamError) as info:
        client.batch_write(5, {"expressions": []})
    assert info.value.msg.startswith("Expressions must be a non empty list of 4 element tuples")


class _Unknown:
    """A value no client knows how to send."""


@pytest.mark.parametrize("value", [_Unknown(), [1, _Unknown()], {"k": _Unknown()}, {(1, 2): 1}, {_Unknown(): 1}])
def test_a_value_of_no_known_type_meets_the_serializer_setting(client, key, value):
    # a put's bins say SERIALIZER_NONE at any depth; an operation's value, the python path's words
    with pytest.raises(ex.ParamError) as info:
        client.put(key(1), {"a": value})
    assert info.value.msg == "Cannot serialize: SERIALIZER_NONE selected"
    with pytest.raises(ex.ClientError) as info:
        client.operate(key(1), [op.write("a", value)])
    assert info.value.msg == "Unable to serialize unknown Python native type."
    with pytest.raises(ex.ParamError) as info:
        client.query("test", "s").add_ops([op.write("a", value)])
    assert info.value.msg == "Failed to convert ops. -> Unable to serialize unknown Python native type."


@pytest.mark.parametrize("code", [bytearray(b""), [1], "x", None])
def test_an_operation_code_that_is_no_int(client, key, code):
    for call in (lambda: client.operate(key(1), [{"op": code, "bin": "a", "val": 1}]),
                 lambda: client.batch_operate([key(1)], [{"op": code, "bin": "a"}])):
        with pytest.raises(ex.ParamError) as info:
            call()
        assert info.value.msg == "Operation must be an integer"


@pytest.mark.parametrize("filename,cls,message", [
    ("a\x00b", ex.LuaFileNotFound, "cannot open script file"), ("\x00b", ex.ParamError, "Empty udf filename")])
def test_udf_put_reads_its_filename_as_a_c_string(client, filename, cls, message):
    with pytest.raises(cls) as info:
        client.udf_put(filename)
    assert info.value.msg == message


@pytest.mark.parametrize("policy,message", [
    ({"ttl": b"x", "records_per_second": ()}, "records_per_second is invalid"),
    ({"max_records": "x", "records_per_second": "x"}, "records_per_second is invalid"),
    ({"records_per_second": "x", "total_timeout": "x"}, "total_timeout is invalid")])
def test_scan_policy_fields_in_the_official_order(client, ns, policy, message):
    with pytest.raises(ex.ParamError) as info:
        client.scan(ns, "s").results(policy)
    assert info.value.msg == message


def test_scan_foreach_options_checked_before_the_node_name(client, ns):
    with pytest.raises(ex.ParamError) as info:
        client.scan(ns, "s").foreach(print, None, {"nobins": 1}, 5)
    assert info.value.msg == "Invalid value(type) for nobins"


def test_closed_client_words_for_shm_key_and_scan_background(closed_client):
    for call, message in ((lambda: closed_client.shm_key(), "No connection to aerospike cluster"),
                          (lambda: closed_client.scan("test", "s").execute_background(True),
                           "No connection to aerospike cluster.")):
        with pytest.raises(ex.ClusterError) as info:
            call()
        assert info.value.msg == message


@pytest.mark.parametrize("call", [lambda c: c.info_single_node(1, {}, {"timeout": []}),
                                  lambda c: c.info_random_node(command=5, policy={"timeout": []})])
def test_info_node_policy_converts_before_the_command(client, call):
    with pytest.raises(ex.ParamError) as info:
        call(client)
    assert info.value.msg == "timeout is invalid"


@pytest.mark.parametrize("name", [1.5, bytearray(b"l"), b"l", None])
def test_remove_bin_checks_its_bin_names_before_the_meta(client, key, name):
    with pytest.raises(ex.ClientError) as info:
        client.remove_bin(key(1), ["a", name], 16)
    assert info.value.msg == "Invalid bin name, bin name should be a string or unicode string"
