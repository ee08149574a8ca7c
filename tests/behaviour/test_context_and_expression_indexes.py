"""Secondary indexes on a CDT context of a bin (the element a cdt_ctx path leads to) and on an
expression (its value for each record); the query forms that pick them: ``where(predicate, ctx)``,
``where_with_expr(expr, predicate)`` and ``where_with_index_name(name, predicate)``."""

import warnings

import pytest

import aerospike
from aerospike import exception as ex
from aerospike import predicates as p
from aerospike_helpers import cdt_ctx
from aerospike_helpers import expressions as exp

N = 40
CTX_L0 = [cdt_ctx.cdt_ctx_list_index(0)]
CTX_L1 = [cdt_ctx.cdt_ctx_list_index(1)]
CTX_INNER = [cdt_ctx.cdt_ctx_map_key("inner")]
CTX_TAGS = [cdt_ctx.cdt_ctx_map_key("tags")]
# a + 1000 (records without "a" have no value, so no entry)
EXP_NUM = exp.Add(exp.IntBin("a"), 1000).compile()
# l[1], a string
EXP_STR = exp.ListGetByIndex(None, aerospike.LIST_RETURN_VALUE, exp.ResultType.STRING, 1, exp.ListBin("l")).compile()


def _record(i):
    bins = {"i": i, "l": [i, "s%d" % (i % 4), bytearray(b"b%d" % (i % 2))],
            "m": {"inner": {"k%d" % (i % 4): i}, "tags": ["t%d" % (i % 3), "all"]}}
    if i % 10 != 9:
        bins["a"] = i
    return bins


# The official client waits 2 s after creating an index, so the indexes are made once for the module.
@pytest.fixture(scope="module")
def shared(client):
    ns, set_name = "test", "ctx_exp_shared"
    for i in range(N):
        client.put((ns, set_name, i), _record(i))
    names = {suffix: "%s_%s" % (set_name, suffix) for suffix in ("l0", "l1", "mk", "mv", "tags", "enum", "estr")}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert client.index_cdt_create(ns, set_name, "l", aerospike.INDEX_TYPE_DEFAULT, aerospike.INDEX_STRING,
                                       names["l1"], CTX_L1) == 0
    deprecations = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    assert client.index_single_value_create(ns, set_name, "l", aerospike.INDEX_NUMERIC, names["l0"],
                                            ctx=CTX_L0) == 0
    client.index_map_keys_create(ns, set_name, "m", aerospike.INDEX_STRING, names["mk"], None, CTX_INNER)
    client.index_map_values_create(ns, set_name, "m", aerospike.INDEX_NUMERIC, names["mv"], ctx=CTX_INNER)
    client.index_list_create(ns, set_name, "m", aerospike.INDEX_STRING, names["tags"], ctx=CTX_TAGS)
    assert client.index_expr_create(ns, set_name, aerospike.INDEX_TYPE_DEFAULT, aerospike.INDEX_NUMERIC,
                                    EXP_NUM, names["enum"]) == 0
    client.index_expr_create(ns, set_name, aerospike.INDEX_TYPE_DEFAULT, aerospike.INDEX_STRING, EXP_STR,
                             names["estr"], {})
    yield ns, set_name, names, deprecations
    for name in names.values():
        client.index_remove(ns, name)


def ids(query):
    return sorted(r[2]["i"] for r in query.results())


def with_a(values):
    return [i for i in values if i % 10 != 9]


def test_index_cdt_create_is_deprecated(shared):
    assert shared[3] == ["index_cdt_create() is deprecated. Please use one of the other non-deprecated "
                         "index_*_create() methods instead"]


@pytest.mark.parametrize("predicate, ctx, expected", [
    (p.equals("l", 7), CTX_L0, [7]),
    (p.between("l", 10, 14), CTX_L0, [10, 11, 12, 13, 14]),
    (p.between("l", 100, 200), CTX_L0, []),
    (p.equals("l", "s2"), CTX_L1, list(range(2, N, 4))),
    (p.contains("m", aerospike.INDEX_TYPE_MAPKEYS, "k1"), CTX_INNER, list(range(1, N, 4))),
    (p.range("m", aerospike.INDEX_TYPE_MAPVALUES, 30, 100), CTX_INNER, list(range(30, N))),
    (p.contains("m", aerospike.INDEX_TYPE_LIST, "t0"), CTX_TAGS, list(range(0, N, 3))),
    (p.contains("m", aerospike.INDEX_TYPE_LIST, "all"), CTX_TAGS, list(range(N))),
])
def test_where_with_context(client, shared, predicate, ctx, expected):
    ns, set_name, _, _ = shared
    q = client.query(ns, set_name)
    q.where(predicate, ctx)
    assert ids(q) == expected


def test_where_with_expression(client, shared):
    ns, set_name, _, _ = shared
    q = client.query(ns, set_name)
    assert q.where_with_expr(EXP_NUM, p.between(None, 1005, 1019)) is q
    assert ids(q) == with_a(range(5, 20))
    q = client.query(ns, set_name)
    q.where_with_expr(EXP_STR, p.equals("bin_name_is_not_sent", "s3"))
    assert ids(q) == list(range(3, N, 4))
    q = client.query(ns, set_name)
    q.where_with_expr(client.get_expression_base64(EXP_NUM), p.equals(None, 1000))
    assert ids(q) == [0]


def test_where_with_index_name(client, shared):
    ns, set_name, names, _ = shared
    q = client.query(ns, set_name)
    assert q.where_with_index_name(names["l0"], p.between("ignored", 3, 5)) is q
    assert ids(q) == [3, 4, 5]
    q = client.query(ns, set_name)
    q.where_with_index_name(names["mk"], p.contains(None, aerospike.INDEX_TYPE_MAPKEYS, "k0"))
    assert ids(q) == list(range(0, N, 4))
    q = client.query(ns, set_name)
    q.where_with_index_name(names["enum"], p.equals(None, 1021))
    assert ids(q) == [21]


def test_queries_without_a_matching_index(client, shared):
    ns, set_name, names, _ = shared
    attempts = [
        lambda q: q.where(p.equals("l", 1)),  # the bin itself has no index
        lambda q: q.where(p.equals("l", 1), [cdt_ctx.cdt_ctx_list_index(5)]),  # another context
        lambda q: q.where(p.equals("l", 1), CTX_L1),  # the context's index holds strings
        lambda q: q.where_with_index_name("no_such_index", p.equals(None, 1)),
        lambda q: q.where_with_expr(exp.Add(exp.IntBin("a"), 2).compile(), p.equals(None, 1)),
    ]
    for attempt in attempts:
        q = client.query(ns, set_name)
        attempt(q)
        with pytest.raises(ex.IndexNotFound):
            q.results()


def test_context_index_query_with_filter_selection_and_pagination(client, shared):
    ns, set_name, _, _ = shared
    q = client.query(ns, set_name)
    q.where(p.between("l", 0, 19), CTX_L0)
    q.select("i")
    records = q.results({"expressions": exp.Eq(exp.IntBin("i") % 2, 0).compile()})
    assert sorted(r[2]["i"] for r in records) == list(range(0, 20, 2))
    assert all(set(r[2]) == {"i"} for r in records)
    q = client.query(ns, set_name)
    q.where_with_expr(EXP_NUM, p.between(None, 1000, 1039))
    q.paginate()
    q.max_records = 7
    seen = []
    while not q.is_done():
        seen += [r[2]["i"] for r in q.results()]
    assert sorted(seen) == with_a(range(N))


def _sindex_list(client, command):
    entries = {}
    for _, text in client.info_all(command).values():
        for entry in text.strip().split(";"):
            fields = dict(part.split("=", 1) for part in entry.split(":") if "=" in part)
            entries[fields.get("indexname")] = fields
    return entries


def test_sindex_list_shows_context_and_expression(client, shared):
    """Plain sindex-list shows a context as text (as a real node does); with b64=true the
    context and the expression come back exactly as the client encoded them."""
    ns, set_name, names, _ = shared
    entries = _sindex_list(client, "sindex-list:ns=%s" % ns)
    l0, enum, tags = entries[names["l0"]], entries[names["enum"]], entries[names["tags"]]
    assert (l0["bin"], l0["type"], l0["indextype"], l0["exp"]) == ("l", "numeric", "default", "null")
    assert l0["context"] == "[list_index(0)]"
    assert (tags["indextype"], tags["context"]) == ("list", "[map_key(<string#4>)]")
    assert (enum["bin"], enum["context"], enum["type"]) == ("null", "null", "numeric")
    entries = _sindex_list(client, "sindex-list:ns=%s;b64=true" % ns)
    l0, enum, tags = entries[names["l0"]], entries[names["enum"]], entries[names["tags"]]
    assert l0["context"] == client.get_cdtctx_base64(CTX_L0)
    assert tags["context"] == client.get_cdtctx_base64(CTX_TAGS)
    assert (enum["context"], enum["exp"]) == ("null", client.get_expression_base64(EXP_NUM))


def test_indexes_follow_writes(client, shared):
    ns, set_name, names, _ = shared
    key = (ns, set_name, "extra")

    def by_ctx(low, high):
        q = client.query(ns, set_name)
        q.where(p.between("l", low, high), CTX_L0)
        return ids(q)

    def by_exp(low, high):
        q = client.query(ns, set_name)
        q.where_with_expr(EXP_NUM, p.between(None, low, high))
        return ids(q)

    try:
        client.put(key, {"i": 500, "a": 500, "l": [500]})
        assert (by_ctx(500, 600), by_exp(1500, 1600)) == ([500], [500])
        client.put(key, {"a": 550, "l": [550, 1]})
        assert (by_ctx(500, 549), by_ctx(550, 550), by_exp(1550, 1550)) == ([], [500], [500])
        client.put(key, {"l": {"not": "a list"}})  # the context leads nowhere now
        assert by_ctx(500, 600) == []
        client.remove_bin(key, ["a"])
        assert by_exp(1500, 1600) == []
        client.put(key, {"a": 501, "l": [501]})
        client.remove(key)
        assert (by_ctx(500, 600), by_exp(1500, 1600)) == ([], [])
    finally:
        try:
            client.remove(key)
        except ex.RecordNotFound:
            pass


def test_creating_again_and_conflicts(client, shared):
    ns, set_name, names, _ = shared
    with pytest.raises(ex.IndexFoundError):  # same name, another context
        client.index_single_value_create(ns, set_name, "l", aerospike.INDEX_NUMERIC, names["l0"], ctx=CTX_L1)
    with pytest.raises(ex.IndexFoundError):  # same name, another expression
        client.index_expr_create(ns, set_name, aerospike.INDEX_TYPE_DEFAULT, aerospike.INDEX_NUMERIC,
                                 exp.Add(exp.IntBin("a"), 3).compile(), names["enum"])


def test_argument_errors(client, shared):
    ns, set_name, _, _ = shared
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(ex.ParamError):
            client.index_cdt_create(ns, set_name, "l", 0, aerospike.INDEX_NUMERIC, "ctx_none", None)
    with pytest.raises(ex.ParamError):
        client.index_single_value_create(ns, set_name, "l", aerospike.INDEX_NUMERIC, "ctx_bad", ctx=5)
    with pytest.raises(ex.ParamError):
        client.index_expr_create(ns, set_name, 0, aerospike.INDEX_NUMERIC, "not compiled", "exp_bad")
    with pytest.raises(ex.ParamError):
        client.index_expr_create(ns, set_name, 0, aerospike.INDEX_NUMERIC, [], "exp_empty")
    q = client.query(ns, set_name)
    with pytest.raises(ex.ParamError):
        q.where(p.equals("l", 1), "not a ctx list")
    q = client.query(ns, set_name)
    with pytest.raises(ex.ParamError):
        q.where_with_expr(None, p.equals(None, 1))
    q = client.query(ns, set_name)
    with pytest.raises(TypeError):
        q.where_with_index_name(5, p.equals(None, 1))
    q = client.query(ns, set_name)
    q.where(p.equals("l", 1), CTX_L0)
    with pytest.raises(ex.ParamError):  # one filter per query
        q.where_with_index_name("x", p.equals(None, 1))
