"""Hypothesis strategies for call sequences (plain data plus markers, see markers.py).

Arguments are drawn by parameter name: a `key` is mostly a well-formed key of the
sequence's set (tuple, dict or digest form) and sometimes anything else; every parameter
can be any value of any kind; required arguments may be left out and extra positional or
unknown keyword arguments added.
"""

from __future__ import annotations

import os

from hypothesis import strategies as st

from markers import CLIENT, Build, Callback, Compiled, Config, Opaque, Ref

NS = "test"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
LUA_FILES = [os.path.join(REPO, "tests", "udf", "records.lua"), os.path.join(REPO, "tests", "udf", "streams.lua")]

# -- any value of any kind -----------------------------------------------------------------------

ints = st.one_of(
    st.integers(-5, 20),
    st.sampled_from([-(2**63), 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 2**31, -1]),
    st.integers(-(2**70), 2**70),
)
texts = st.one_of(st.text(max_size=12), st.sampled_from(["", "a", "x" * 70, "x" * 100_000, "\u00e9\u4e2d", "a\x00b"]))
binaries = st.binary(max_size=24)
scalars = st.one_of(
    st.none(), st.booleans(), ints, st.floats(allow_nan=True), texts, binaries,
    binaries.map(bytearray), st.builds(Opaque, st.integers(0, 3)),
)


def containers(children):
    return st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(st.one_of(texts, st.integers(-3, 3)), children, max_size=3),
    )


anything = st.recursive(scalars, containers, max_leaves=8)

# -- domain values -------------------------------------------------------------------------------

bin_names = st.one_of(
    st.sampled_from(["a", "b", "c", "n", "l", "m"]),
    st.sampled_from(["a", "b", "l"]).map(lambda s: bytearray(s.encode())),
    st.sampled_from(["x" * 15, "x" * 16, ""]),
    scalars,
)
hashable_bin_names = bin_names.filter(lambda b: not isinstance(b, bytearray))
bin_values = st.one_of(
    st.integers(-(2**63), 2**63 - 1), texts, binaries, binaries.map(bytearray), st.floats(allow_nan=False),
    st.lists(st.integers(-3, 3) | texts, max_size=4),
    st.dictionaries(texts | st.integers(-3, 3), st.integers(-3, 3) | texts, max_size=3),
    st.builds(Build, st.just("aerospike"), st.just("GeoJSON"),
              st.just(({"type": "Point", "coordinates": [1.5, 2.5]},))),
    st.builds(Build, st.just("aerospike"), st.sampled_from(["CDTInfinite", "CDTWildcard", "null"])),
    st.just(Build("aerospike_helpers", "HyperLogLog", (b"\x00" * 8,))),
    st.just(Build("aerospike", "KeyOrderedDict", ({"b": 1, "a": 2},))),
    anything,
)


#: A fresh transaction (its own capacities sometimes); against the suite's non-SC namespace a
#: command in it is refused by the server, and commit/abort run their client-side steps.
transactions = st.one_of(
    st.just(Build("aerospike", "Transaction")),
    st.builds(Build, st.just("aerospike"), st.just("Transaction"), st.tuples(st.integers(0, 300))),
)


def keys(set_name):
    user_keys = st.one_of(st.integers(0, 5), st.sampled_from(["k1", "k2", b"k3"]),
                          st.just(bytearray(b"k4")), scalars)
    digest = st.builds(Build, st.just("aerospike"), st.just("calc_digest"),
                       st.tuples(st.just(NS), st.just(set_name), st.integers(0, 5)))
    return st.one_of(
        st.tuples(st.just(NS), st.just(set_name), user_keys),
        st.tuples(st.just(NS), st.just(set_name), st.just(None), digest),
        st.tuples(st.just(NS), st.just(set_name), user_keys, digest),
        st.fixed_dictionaries({"ns": st.just(NS), "set": st.just(set_name), "key": user_keys}),
        st.fixed_dictionaries({"ns": st.just(NS), "set": st.just(set_name), "digest": digest}),
        st.tuples(scalars, st.just(set_name), user_keys),
        st.tuples(st.just(NS), scalars, user_keys),
        st.lists(scalars, max_size=5).map(tuple),
        scalars,
    )


POLICY_KEYS = [
    "timeout", "total_timeout", "socket_timeout", "max_retries", "sleep_between_retries", "key", "exists",
    "gen", "commit_level", "durable_delete", "replica", "read_mode_ap", "read_mode_sc", "expressions",
    "send_key", "compress", "deserialize", "max_records", "records_per_second", "fail_on_cluster_change",
    "concurrent", "allow_inline", "respond_all_keys", "ttl", "read_touch_ttl_percent", "partition_filter",
    "map_write_flags", "list_order", "write_flags", "map_order", "include_bin_data", "expected_duration",
    "txn",
]
policy_values = st.one_of(st.integers(-2, 5), st.sampled_from([1000, 2**32, 2**64]), transactions, anything)
policies = st.one_of(
    st.dictionaries(st.sampled_from(POLICY_KEYS), policy_values, max_size=3),
    st.dictionaries(st.sampled_from(POLICY_KEYS + ["no_such_key"]), anything, max_size=2),
    st.none(),
    scalars,
)
metas = st.one_of(
    st.fixed_dictionaries({}, optional={"ttl": st.integers(-3, 100) | st.booleans() | scalars,
                                        "gen": st.integers(0, 3) | st.booleans() | scalars}),
    st.tuples(st.integers(0, 3), st.integers(0, 100)),
    st.none(), scalars,
)

# Expressions and ctx are built in the worker from the helpers.
_EXPR = "aerospike_helpers.expressions"
simple_exprs = st.one_of(
    st.builds(lambda b: Build(_EXPR, "IntBin", (b,)), bin_names),
    st.builds(lambda b, v: Build(_EXPR, "Eq", (Build(_EXPR, "IntBin", (b,)), v)), bin_names, st.integers(-3, 3)),
    st.builds(lambda v: Build(_EXPR, "GT", (Build(_EXPR, "IntBin", ("a",)), v)), st.integers(-3, 3) | scalars),
    st.builds(lambda s: Build(_EXPR, "Eq", (Build(_EXPR, "StrBin", ("b",)), s)), texts),
    st.just(Build(_EXPR, "And", (Build(_EXPR, "BinExists", ("a",)), Build(_EXPR, "Not", (False,))))),
)
compiled_exprs = st.one_of(simple_exprs.map(Compiled), simple_exprs)
_CTX = "aerospike_helpers.cdt_ctx"
# path expressions (server 8.1.1+): loop variables, RemoveResult, the path contexts
loop_filters = st.builds(lambda v: Compiled(Build(_EXPR, "GT", (Build(_EXPR, "LoopVarInt", (1,)), v))),
                         st.integers(-3, 3))
path_modify_exprs = st.one_of(
    st.just(Compiled(Build(_EXPR, "RemoveResult", ()))),
    st.builds(lambda v: Compiled(Build(_EXPR, "Add", (Build(_EXPR, "LoopVarInt", (1,)), v))), st.integers(-3, 3)),
    st.builds(lambda i: Compiled(Build(_EXPR, "LoopVarStr", (i,))), st.integers(0, 2) | scalars),
)
ctxs = st.lists(st.one_of(
    st.builds(lambda i: Build(_CTX, "cdt_ctx_list_index", (i,)), st.integers(-3, 3) | scalars),
    st.builds(lambda k: Build(_CTX, "cdt_ctx_map_key", (k,)), texts | scalars),
    st.builds(lambda i: Build(_CTX, "cdt_ctx_map_index", (i,)), st.integers(-3, 3)),
    st.just(Build(_CTX, "cdt_ctx_all_children", ())),
    st.builds(lambda e: Build(_CTX, "cdt_ctx_all_children_with_filter", (e,)), loop_filters | scalars),
    st.builds(lambda e: Build(_CTX, "cdt_ctx_and_filter", (e,)), loop_filters),
    st.builds(lambda k: Build(_CTX, "cdt_ctx_map_keys_in", (k,)), st.lists(texts, max_size=2) | scalars),
), max_size=3)

_OPS = "aerospike_helpers.operations.operations"
_LOPS = "aerospike_helpers.operations.list_operations"
_MOPS = "aerospike_helpers.operations.map_operations"
single_ops = st.one_of(
    st.builds(lambda b, v: Build(_OPS, "write", (b, v)), bin_names, bin_values),
    st.builds(lambda b: Build(_OPS, "read", (b,)), bin_names),
    st.builds(lambda b, v: Build(_OPS, "increment", (b, v)), bin_names, ints | scalars),
    st.builds(lambda b, v: Build(_OPS, "append", (b, v)), bin_names, texts | scalars),
    st.just(Build(_OPS, "touch", ())),
    st.builds(lambda b, v: Build(_LOPS, "list_append", (b, v)), bin_names, bin_values),
    st.builds(lambda b, i: Build(_LOPS, "list_get", (b, i)), bin_names, st.integers(-3, 3) | scalars),
    st.builds(lambda b, k, v: Build(_MOPS, "map_put", (b, k, v)), bin_names, texts | st.integers(0, 3), bin_values),
    st.builds(lambda b: Build(_MOPS, "map_size", (b,)), bin_names),
    st.fixed_dictionaries({"op": st.sampled_from([1, 2, 5, 9, 1000]) | scalars, "bin": bin_names,
                           "val": bin_values}),
    st.builds(lambda b, c: Build(_LOPS, "list_size", (b,), {"ctx": c}), bin_names, ctxs),
    st.builds(lambda b, c, f: Build(_OPS, "select_by_path", (b, c, f)), bin_names, ctxs,
              st.integers(-1, 20) | scalars),
    st.builds(lambda b, c, e, f: Build(_OPS, "modify_by_path", (b, c, e, f)), bin_names, ctxs,
              path_modify_exprs | scalars, st.sampled_from([0, 16, 1]) | scalars),
)
op_lists = st.one_of(st.lists(single_ops, max_size=4), st.lists(single_ops, max_size=2).map(tuple), scalars)

predicates = st.one_of(
    st.builds(lambda b, v: Build("aerospike.predicates", "equals", (b, v)), bin_names, st.integers(0, 5) | texts),
    st.builds(lambda b, lo, hi: Build("aerospike.predicates", "between", (b, lo, hi)), bin_names, ints, ints),
    st.builds(lambda b, v: Build("aerospike.predicates", "contains", (b, 1, v)), bin_names, st.integers(0, 5)),
    st.tuples(st.integers(0, 3), st.integers(0, 3), bin_names, scalars),
    scalars,
)
callbacks = st.one_of(st.builds(Callback, st.sampled_from(["collect", "stop", "fail"])), scalars)
serializers = st.one_of(st.builds(Callback, st.sampled_from(["identity", "none", "fail"])), scalars)
batch_records = st.builds(
    lambda rows: Build("aerospike_helpers.batch.records", "BatchRecords", (rows,)),
    st.lists(st.one_of(
        st.builds(lambda k, o: Build("aerospike_helpers.batch.records", "Write", (k, o)), st.just(None), op_lists),
        st.builds(lambda k, o: Build("aerospike_helpers.batch.records", "Read", (k, o)), st.just(None), op_lists),
        scalars,
    ), max_size=3))

CONFIG_KEYS = {
    "policies": st.dictionaries(st.sampled_from(["read", "write", "apply", "operate", "remove", "query", "scan",
                                                 "batch", "info", "total_timeout", "bogus"]),
                                policies, max_size=2),
    "lua": st.fixed_dictionaries({}, optional={"user_path": texts | scalars, "system_path": texts | scalars}),
    "serialization": st.tuples(serializers, serializers) | scalars,
    "compression_threshold": ints | scalars,
    "validate_keys": st.booleans() | scalars,
    "app_id": texts | scalars,
    "max_conns_per_node": st.integers(-1, 500) | scalars,
    "use_shared_connection": st.booleans() | scalars,
    "send_bool_as": st.integers(-1, 3) | scalars,
    "tend_interval": st.integers(-1, 2000) | scalars,
    "strict_types": st.booleans() | scalars,
    "shm": st.dictionaries(st.sampled_from(["max_nodes", "bogus"]), scalars, max_size=1),
    "user": texts | scalars,
    "bogus_key": anything,
}
configs = st.builds(Config, st.dictionaries(st.sampled_from(sorted(CONFIG_KEYS)), st.none(), max_size=3)
                    .flatmap(lambda d: st.fixed_dictionaries({k: CONFIG_KEYS[k] for k in d})))


def values_for(name: str, set_name: str):
    """The strategy for a parameter called `name`."""
    n = name.lower()
    if n in ("key",):
        return keys(set_name)
    if n in ("keys",):
        return st.lists(keys(set_name), max_size=3) | scalars
    if n == "bins":
        return st.dictionaries(hashable_bin_names, bin_values, max_size=3) | st.lists(bin_names, max_size=3) | scalars
    if n in ("bin", "bin_name", "bin1", "bin2"):
        return bin_names
    if n in ("val", "value", "offset", "values"):
        return bin_values
    if n == "meta":
        return metas
    if "policy" in n or n == "policies":
        return policies
    if n in ("list", "ops", "operations"):
        return op_lists | st.lists(bin_names, max_size=3)
    if n in ("ns", "namespace"):
        return st.just(NS) | st.sampled_from(["nope", ""]) | scalars
    if n in ("set", "set_name"):
        return st.just(set_name) | st.none() | scalars
    if n in ("module",):
        return st.sampled_from(["records", "streams", "nope", "scan", "query"]) | scalars
    if n in ("function",):
        return st.sampled_from(["put_bin", "get_bin", "nope"]) | scalars
    if n in ("args", "arguments"):
        return st.lists(bin_values, max_size=3) | scalars
    if n in ("filename",):
        return st.sampled_from(LUA_FILES + ["/nonexistent/x.lua", ""]) | scalars
    if n in ("udf_type", "language", "index_type", "index_datatype", "datatype"):
        return st.integers(-1, 5) | scalars
    if n in ("ctx", "cdt_ctx"):
        return ctxs | scalars
    if "expr" in n:
        return compiled_exprs | scalars
    if n in ("callback",):
        return callbacks
    if n in ("serializer", "deserializer"):
        return serializers
    if n in ("predicate",):
        return predicates
    if n == "config":
        return configs | scalars
    if n == "batch_records":
        return batch_records | scalars
    if n in ("command", "request"):
        return st.sampled_from(["namespaces", "build", "status", "sets/test", "nonsense"]) | scalars
    if n in ("name", "index_name"):
        return st.sampled_from(["idx_a", "idx_b"]) | scalars
    if n in ("transaction", "txn"):
        return transactions | scalars
    if n in ("reads_capacity", "writes_capacity"):
        return ints | scalars
    if n in ("nanos", "job_id", "index", "rank", "count", "return_type", "ttl"):
        return ints | scalars
    return anything


def build_call(draw, params, set_name):
    """(args, kwargs) for a parameter list: valid-looking, or with arguments left out or added."""
    params = params if params is not None else [("arg%d" % i, False, "any") for i in range(draw(st.integers(0, 3)))]
    params = [p for p in params if p[2] not in ("*", "**")]
    args, kwargs = [], {}
    use_kwargs = draw(st.integers(0, 4)) == 0
    for name, required, kind in params:
        if not required and draw(st.booleans()):
            continue
        if required and draw(st.integers(0, 15)) == 0:
            continue  # a missing argument
        value = draw(values_for(name, set_name))
        if kind == "kw" or use_kwargs or kwargs:
            kwargs[name] = value
        else:
            args.append(value)
    extra = draw(st.integers(0, 15))
    if extra == 0:
        args.append(draw(scalars))
    elif extra == 1:
        kwargs["no_such_arg"] = draw(scalars)
    return tuple(args), kwargs


def sequences(catalog, set_name, max_steps=6):
    """A list of steps (target, name, args, kwargs, label); a sequence starts with a few puts.
    `label` names what the target is (Client, Query, Scan or a module path)."""
    return st.composite(lambda draw: _sequence(draw, catalog, set_name, max_steps))()


def _sequence(draw, catalog, set_name, max_steps):
    steps = []
    for i in range(draw(st.integers(0, 2))):
        steps.append((CLIENT, "put", ((NS, set_name, i), {"a": i, "b": "s%d" % i, "l": [i, "x"]}), {}, "Client"))
    for _ in range(draw(st.integers(1, max_steps))):
        # Index draws: sampled_from favours the first entries far more.
        holder, name, params = catalog[draw(st.integers(0, len(catalog) - 1))]
        args, kwargs = build_call(draw, params, set_name)
        if holder == "Client":
            steps.append((CLIENT, name, args, kwargs, holder))
        elif holder in ("Query", "Scan"):
            steps.append((CLIENT, holder.lower(), (NS, set_name), {}, "Client"))
            obj = Ref(len(steps) - 1)
            if draw(st.booleans()):
                steps.append((obj, "select", ("a", "l"), {}, holder))
            steps.append((obj, name, args, kwargs, holder))
        else:
            steps.append((holder, name, args, kwargs, holder))
    return steps


def shape(step) -> str:
    """`Client.put(tuple,dict,policy=dict)`: the call and the kinds of its arguments."""
    _, name, args, kwargs, where = step

    def kind(v):
        if isinstance(v, Build):
            return v.name
        if isinstance(v, Compiled):
            return "compiled"
        return type(v).__name__

    parts = [kind(a) for a in args] + ["%s=%s" % (k, kind(v)) for k, v in sorted(kwargs.items())]
    return "%s.%s(%s)" % (where, name, ",".join(parts))
