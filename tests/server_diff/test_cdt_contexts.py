"""List and map operations inside nested lists and maps (context paths of one to three levels:
list index/rank/value, map index/rank/key/value, with and without the create flags), on random
nested data: the same operate request to the real node and to spikelite. Results, result codes
and the stored bin must match byte for byte."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from spikelite.wire import Info1, Info2, Message, Op, OpType, ParticleType, pack_value

from .harness import EXAMPLES, fresh_key, key_fields
from .test_cdt_lists import list_op
from .test_cdt_maps import crashes_the_node, map_key, map_op

SET = "diffctx"
CONTEXT_EVAL = 0xFF

scalar = st.one_of(st.integers(0, 5), st.sampled_from(["a", "b"]), st.sampled_from([1.5, None, True]))
inner_list = st.lists(st.one_of(scalar, scalar, st.lists(st.integers(0, 3), max_size=3)), max_size=5)
inner_map = st.dictionaries(map_key, st.one_of(scalar, st.lists(st.integers(0, 3), max_size=3)), max_size=5)
inner = st.one_of(inner_list, inner_map, inner_list, inner_map, scalar)
outer = st.one_of(st.lists(inner, min_size=1, max_size=5), st.dictionaries(map_key, inner, min_size=1, max_size=5))

LIST_INDEX, LIST_RANK, LIST_VALUE = 0x10, 0x11, 0x13
MAP_INDEX, MAP_RANK, MAP_KEY, MAP_VALUE = 0x20, 0x21, 0x22, 0x23
LIST_CREATE = [0x40, 0x80, 0xC0]   # create a list: unordered, unordered padded, ordered
MAP_CREATE = [0x40, 0x80, 0xC0]    # create a map: unordered, k-ordered, kv-ordered


def _alike(values: list):
    """For a rank or map index (whose element the test does not work out): an empty list or map
    when every value is a list (or every one a map), so that the op is of that family."""
    kinds = {type(v) for v in values}
    if kinds == {list}:
        return []
    if kinds == {dict}:
        return {}
    return None


@st.composite
def path_into(draw, value):
    """A context path into `value` and the container it reaches (None when not worked out): mostly
    existing containers by index, rank, key or value; sometimes a missing element, or one the
    create flags make (a list or map of the flags' kind)."""
    items: list = []
    current = value
    for depth in range(draw(st.integers(1, 3))):
        is_list = isinstance(current, list)
        children = list(enumerate(current)) if is_list else list(current.items())
        containers = [(k, v) for k, v in children if isinstance(v, (list, dict))]
        if depth and not containers and draw(st.integers(0, 3)):
            break  # stop at a container rather than step into a scalar
        if containers and draw(st.integers(0, 5)):
            k, child = draw(st.sampled_from(containers))
            if is_list:
                kind = draw(st.sampled_from([LIST_INDEX, LIST_INDEX, LIST_RANK, LIST_VALUE]))
                items += [kind, child if kind == LIST_VALUE else k - len(current) * draw(st.integers(0, 1))]
                current = child if kind != LIST_RANK else _alike([v for _, v in children])
            else:
                kind = draw(st.sampled_from([MAP_KEY, MAP_KEY, MAP_INDEX, MAP_RANK, MAP_VALUE]))
                position = draw(st.integers(0, len(children) - 1))
                items += [kind, {MAP_KEY: k, MAP_VALUE: child}.get(kind, position)]
                current = child if kind in (MAP_KEY, MAP_VALUE) else _alike([v for _, v in children])
        else:
            # a missing element; with create flags a list index makes a list there, a map key a map
            flags = draw(st.sampled_from([0] + (LIST_CREATE if is_list else MAP_CREATE)))
            missing = (len(current) + draw(st.integers(0, 2)) if is_list
                       else draw(map_key.filter(lambda key: key not in current)))
            items += [(LIST_INDEX if is_list else MAP_KEY) | flags, missing]
            current = None if not flags else [] if is_list else {}
        if not isinstance(current, (list, dict)):
            break
    return items, current


@st.composite
def nested_request(draw):
    value = draw(outer)
    ops = []
    for _ in range(draw(st.integers(1, 2))):
        ctx, target = draw(path_into(value))
        family = (list_op() if isinstance(target, list) else map_op() if isinstance(target, dict)
                  else st.one_of(list_op(), map_op()))
        op_type, payload = draw(family)
        ops.append((op_type, payload, ctx))
    return value, ops


def operate_request(key: str, value, ops: list) -> Message:
    ptype = ParticleType.LIST if isinstance(value, list) else ParticleType.MAP
    wire_ops = [Op(OpType.WRITE, ptype, "d", pack_value(value))]
    wire_ops += [Op(op_type, ParticleType.BLOB, "d", pack_value([CONTEXT_EVAL, ctx, payload]))
                 for op_type, payload, ctx in ops]
    wire_ops.append(Op(OpType.READ, 0, "d"))
    return Message(info1=Info1.READ, info2=Info2.WRITE | Info2.RESPOND_ALL_OPS,
                   fields=key_fields(SET, key), ops=wire_ops)


@settings(max_examples=max(50, EXAMPLES // 4), deadline=None, suppress_health_check=list(HealthCheck))
@given(request=nested_request())
def test_operations_in_nested_contexts_match_the_node(pair, request):
    value, ops = request
    assume(not crashes_the_node([(t, payload) for t, payload, _ in ops if payload[0] >= 64]))
    pair.check(operate_request(fresh_key(), value, ops), "ops %r on %r" % (ops, value))
