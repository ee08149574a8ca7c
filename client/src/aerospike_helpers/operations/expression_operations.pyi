# Type stub: operation builders return the operation dict Client.operate() takes.
from typing import Any

from aerospike_helpers.expressions.resources import TypeExpression


OP_KEY: str
BIN_KEY: str
EXPR_KEY: str
EXPR_FLAGS_KEY: str

def expression_read(bin_name: str, expression: TypeExpression, expression_read_flags: int = 0) -> dict[str, Any]: ...
def expression_write(bin_name: str, expression: TypeExpression, expression_write_flags: int = 0) -> dict[str, Any]: ...
