"""Encoding of the operation dicts that carry a msgpack payload (list, map, bit, HLL, expression
operations built by aerospike_helpers, and the old OP_LIST_* / OP_MAP_* dict forms) into wire ops.

    encode_operation(operation: dict, encoder: Encoder) -> tuple[Op, bool]

returns the wire Op and whether it writes. It raises ParamError for an operation it does not know.
"""

from __future__ import annotations

from ._errors import param_error


def encode_operation(operation: dict, encoder):
    raise param_error("operation %r is not supported yet by purespike" % (operation.get("op"),))
