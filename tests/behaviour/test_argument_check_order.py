"""The order in which a call checks its arguments, and its words, as the official 19.x client.

Given several bad arguments at once, a call reports the one the official client checks first
(often the policy, whatever its position). `ORDER` lists, per method, the arguments checked
before anything is sent, in the official order, each with a good value and the error its bad
value gives (learnt from the official client, which passes this file too). Hypothesis picks
which arguments are bad; the error must be that of the first bad one in the list.
"""

import aerospike
import pytest
from aerospike import exception as ex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


class Bad:
    """A value no argument accepts."""

    def __repr__(self):
        return "Bad()"


BAD = Bad()
POLICY = ("policy", {}, BAD, ex.ParamError, "policy must be a dict")


def _key(ns, set_name):
    return ("key", (ns, set_name, "k"), BAD, ex.ParamError, "key is invalid")


def _index_create(typed):
    head = [("index_datatype", 1, BAD, ex.ParamError, "index_datatype must be an integer.")] if typed else []
    return head + [POLICY,
                   ("ns", "test", BAD, ex.ParamError, "Namespace should be a string"),
                   ("set", "s", BAD, ex.ParamError, "Set should be string, unicode or None"),
                   ("bin", "b", BAD, ex.ParamError, "Bin should be a string"),
                   ("name", "i", BAD, ex.ParamError, "Index name should be string or unicode")]


USER = ("user", "u", BAD, ex.ParamError, "Username should be a string")
PASSWORD = ("password", "p", BAD, ex.ParamError, "Password should be a string")
ROLE = ("role", "r", BAD, ex.ParamError, "Role name should be a string")
ROLE_DOT = ("role", "r", BAD, ex.ParamError, "Role name should be a string.")
PRIVILEGES = ("privileges", [{"code": 10}], BAD, ex.ParamError, "Privileges should be a list")
META = ("meta", {}, BAD, ex.ParamError, "Metadata should be of type dictionary")
KEYS = ("keys", [("test", "s", 1)], BAD, ex.ParamError, "keys should be a list of aerospike key tuples")
STREAM_APPLY = [("module", "m", BAD, ex.ClientError, "udf module argument must be a string or unicode string"),
                ("function", "f", BAD, ex.ClientError, "udf function argument must be a string or unicode string"),
                ("arguments", [], BAD, ex.ClientError, "udf function arguments must be enclosed in a list")]
BACKGROUND_APPLY = [("args", [], BAD, ex.ParamError, "Arguments should be a list"),
                    ("set", "s", BAD, ex.ParamError, "Set name should be string"), POLICY,
                    ("module", "m", BAD, ex.ParamError, "Module name should be string"),
                    ("function", "f", BAD, ex.ParamError, "Function name should be string")]

#: method -> [(argument, good value, bad value, exception class, message)] in the official order.
CLIENT_ORDER = {
    "admin_create_user": [("roles", ["r"], BAD, ex.ParamError, "Roles should be a list"), USER, PASSWORD, POLICY],
    "admin_create_pki_user": [("roles", ["r"], BAD, ex.ParamError, "Roles should be a list"), USER, POLICY],
    "admin_drop_user": [POLICY, USER],
    "admin_set_password": [POLICY, USER, PASSWORD],
    "admin_change_password": [POLICY, USER, PASSWORD],
    "admin_grant_roles": [("roles", ["r"], BAD, ex.ClientError, "not a list"), USER, POLICY],
    "admin_revoke_roles": [("roles", ["r"], BAD, ex.ClientError, "not a list"), USER, POLICY],
    "admin_query_user_info": [POLICY, USER],
    "admin_create_role": [ROLE, PRIVILEGES, POLICY,
                          ("whitelist", ["1.2.3.4"], None, ex.ParamError, "Whitelist must be a list of IP strings.")],
    "admin_set_whitelist": [ROLE_DOT, ("whitelist", ["1.2.3.4"], BAD, ex.ParamError,
                                       "Whitelist must be a list of IP strings, or None."), POLICY],
    "admin_set_quotas": [ROLE_DOT, ("read_quota", 1, BAD, ex.ParamError, "py_read_quota must be an integer."),
                         ("write_quota", 1, BAD, ex.ParamError, "py_write_quota must be an integer."), POLICY],
    "admin_drop_role": [POLICY, ROLE],
    "admin_grant_privileges": [PRIVILEGES, POLICY, ROLE],
    "admin_revoke_privileges": [PRIVILEGES, POLICY, ROLE],
    "admin_query_role": [POLICY, ROLE],
    "admin_get_role": [POLICY, ROLE],
    "apply": [("args", [], BAD, TypeError, "expected UDF method arguments in a 'list'"), _key("test", "s"), POLICY,
              ("module", "m", BAD, ex.ClientError, "udf module argument must be a string or unicode string"),
              ("function", "f", BAD, ex.ClientError, "function name must be a string or unicode string")],
    "batch_apply": [KEYS, ("module", "m", BAD, ex.ParamError, "module must be a string"),
                    ("function", "f", BAD, ex.ParamError, "function must be a string"),
                    ("args", [], BAD, ex.ParamError, "args must be a list of arguments for the UDF"),
                    ("policy_batch", {}, BAD, ex.ParamError, "policy must be a dict"),
                    ("policy_batch_apply", {}, BAD, ex.ParamError, "policy must be a dict")],
    "batch_operate": [("ops", [{"op": 1, "bin": "a"}], BAD, ex.ParamError, "ops should be a list of op dictionaries"),
                      KEYS, ("ttl", 1, BAD, ex.ParamError, "ttl should be an integer")],
    "batch_read": [KEYS, POLICY, ("bins", ["a"], BAD, ex.ParamError, "Bins argument should be a list.")],
    "get_key_partition_id": [("ns", "test", BAD, ex.ParamError, "Namespace should be a string."),
                             ("set", "s", None, ex.ParamError, "Set should be a string or unicode."),
                             ("key", 1, BAD, ex.ParamError, "Key is invalid.")],
    "info_all": [POLICY, ("command", "status", BAD, ex.ParamError, "Request must be a string")],
    "info_random_node": [POLICY, ("command", "status", BAD, ex.ParamError, "Request should be a string.")],
    "info_single_node": [POLICY, ("host", "no-such-node", BAD, ex.ParamError, "Host must be a string.")],
    "operate": [_key("test", "s"), ("list", [], BAD, ex.ParamError, "Operations should be of type list"), POLICY,
                META],
    "increment": [_key("test", "s"), POLICY, META,
                  ("bin", "a", BAD, ex.ParamError, "Bin name should be of type string"),
                  ("offset", 1, "x", ex.ParamError, "Unsupported operand type(s) for +: only 'int' allowed")],
    "append": [_key("test", "s"), POLICY, META,
               ("bin", "a", BAD, ex.ParamError, "Bin name should be of type string"),
               ("val", "x", 5, ex.ParamError, "Cannot concatenate 'str' and 'non-str' objects")],
    "touch": [_key("test", "s"), POLICY, META,
              ("val", 1, "x", ex.ParamError, "Unsupported operand type(s) for touch : only int or long allowed")],
    "remove_bin": [("list", ["a"], BAD, ex.ParamError, "Bins should be a list"), _key("test", "s"),
                   ("policy", {}, BAD, ex.ClientError, "Incorrect policy -> policy must be a dict"), META],
    "query_apply": BACKGROUND_APPLY,
    "scan_apply": BACKGROUND_APPLY,
    "index_integer_create": _index_create(False),
    "index_single_value_create": _index_create(True),
    "index_map_keys_create": _index_create(True),
    "index_cdt_create": [("index_type", 1, BAD, ex.ParamError, "index_type must be an integer.")]
    + _index_create(True) + [("ctx", [], BAD, ex.ParamError, "Failed to convert ctx")],
    "index_remove": [POLICY, ("ns", "test", BAD, ex.ParamError, "Namespace should be a string"),
                     ("name", "i", BAD, ex.ParamError, "Index name should be string or unicode")],
    "truncate": [("namespace", "test", BAD, ex.ParamError, "Namespace must be unicode or string type"),
                 ("set", "s", BAD, ex.ParamError, "Set must be None, or unicode or string type"),
                 ("nanos", 0, BAD, ex.ParamError, "Nanoseconds must be a long type"),
                 ("policy", {}, BAD, ex.ClientError, "Incorrect Policy -> policy must be a dict")],
    "udf_put": [("udf_type", 0, 5, ex.ClientError, "Invalid UDF language"),
                ("filename", "x.lua", BAD, ex.ParamError, "Filename should be a string"), POLICY],
    "udf_get": [("language", 0, 5, ex.ClientError, "Invalid language"),
                ("module", "x.lua", BAD, ex.ClientError, "Module name should be a string or unicode string."), POLICY],
    "job_info": [POLICY],
}

#: Query/Scan methods: the same, on a fresh query or scan.
STREAM_ORDER = {
    ("query", "foreach"): [POLICY, ("options", {}, BAD, ex.ParamError, "query options must be a dictionary")],
    ("query", "results"): [POLICY, ("options", {}, BAD, ex.ParamError, "query options must be a dictionary")],
    ("scan", "foreach"): [POLICY, ("nodename", "n", None, ex.ParamError, "nodename must be a string")],
    ("scan", "results"): [POLICY, ("nodename", "n", None, ex.ParamError, "nodename must be a string")],
    ("query", "apply"): STREAM_APPLY,
    ("scan", "apply"): STREAM_APPLY,
}

#: Arguments a call needs that ORDER does not list (given good values).
REQUIRED = {"job_info": {"job_id": 1, "module": "scan"}, "info_single_node": {"command": "status"}, "query_apply": {"ns": "test", "predicate": None},
            "scan_apply": {"ns": "test"}, "index_cdt_create": {"bin": "b"}, "batch_read": {},
            ("query", "foreach"): {"callback": print}, ("scan", "foreach"): {"callback": print}}


def _check_order(call, order, bad_mask, required):
    """Call with the arguments of `bad_mask` bad (the others good): the first bad one's error."""
    kwargs = dict(required)
    for (name, good, bad, _, _), is_bad in zip(order, bad_mask):
        kwargs[name] = bad if is_bad else good
    first = bad_mask.index(True)
    cls, message = order[first][3], order[first][4]
    with pytest.raises(Exception) as info:
        call(**kwargs)
    assert type(info.value) is cls, (kwargs, info.value)
    assert (str(info.value) if cls is TypeError else info.value.msg) == message, kwargs


def _masks(size):
    return st.lists(st.booleans(), min_size=size, max_size=size).filter(any)


@pytest.mark.parametrize("method", sorted(CLIENT_ORDER))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_client_method_reports_the_first_bad_argument_in_the_official_order(client, method, data):
    order = CLIENT_ORDER[method]
    _check_order(getattr(client, method), order, data.draw(_masks(len(order))), REQUIRED.get(method, {}))


@pytest.mark.parametrize("kind,method", sorted(STREAM_ORDER))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_query_and_scan_methods_report_the_first_bad_argument_in_the_official_order(client, kind, method, data):
    order = STREAM_ORDER[(kind, method)]
    stream = getattr(client, kind)("test", "never_written")
    _check_order(getattr(stream, method), order, data.draw(_masks(len(order))), REQUIRED.get((kind, method), {}))


_NOT_AN_EXPRESSION = ("Expressions must be a non empty list of 4 element tuples, generated by a compiled aerospike "
                      "expression. For Query.where_with_expr(), it can also be a base64 string.")


@pytest.mark.parametrize("kind,method", sorted(k for k in STREAM_ORDER if k[1] != "apply"))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(expressions=st.one_of(st.none(), st.just([]), st.integers(), st.text(max_size=4), st.binary(max_size=4)),
       data=st.data())
def test_a_policys_expressions_are_checked_before_the_later_arguments(client, kind, method, expressions, data):
    # The policy's expressions are converted with the policy (after its values and txn), so a bad one
    # is reported before bad options or a bad node name.
    order = STREAM_ORDER[(kind, method)]
    kwargs = dict(REQUIRED.get((kind, method), {}), policy={"expressions": expressions})
    for name, good, bad, _, _ in order[1:]:
        kwargs[name] = data.draw(st.sampled_from([good, bad]))
    stream = getattr(client, kind)("test", "never_written")
    with pytest.raises(ex.ParamError) as info:
        getattr(stream, method)(**kwargs)
    assert info.value.msg == _NOT_AN_EXPRESSION


@pytest.mark.parametrize("name", ["Query", "Scan"])
@pytest.mark.parametrize("args", [(), ("test",), (None, "test", "s")])
def test_query_and_scan_cannot_be_created_directly(name, args):
    with pytest.raises(TypeError) as info:
        getattr(aerospike, name)(*args)
    assert str(info.value) == "cannot create 'aerospike.%s' instances" % name


def test_client_query_and_scan_are_instances_of_the_module_types(client):
    assert isinstance(client.query("test", "s"), aerospike.Query)
    assert isinstance(client.scan("test", "s"), aerospike.Scan)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_set_xdr_filter_checks_its_arguments_before_the_connection(spikelite_server, data):
    # On a closed client too: the first bad argument is reported (the official client crashes when
    # all of them are good, so one at least is bad here).
    closed = aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)]})
    closed.close()
    order = [("data_center", "dc", 5, ex.ParamError, "Data_center should be a string."),
             ("namespace", "test", 5, ex.ParamError, "Namespace should be a string."),
             ("expression_filter", None, 5, ex.ParamError, _NOT_AN_EXPRESSION),
             POLICY]
    _check_order(closed.set_xdr_filter, order, data.draw(_masks(len(order))), {})
