"""Expression operations for ``Client.operate`` (and batch operate): evaluate an expression and
return its value under a bin name (``expression_read``) or write it to a bin
(``expression_write``). Pass the compiled expression (``expr.compile()``).
"""

import aerospike
from aerospike_helpers.expressions import resources

OP_KEY = "op"
BIN_KEY = "bin"
EXPR_KEY = "expr"
EXPR_FLAGS_KEY = "expr_flags"


def expression_read(bin_name: str, expression: resources._BaseExpr, expression_read_flags: int = 0):
    """Return the expression's value as ``bin_name`` (``aerospike.EXP_READ_*`` flags)."""
    return {OP_KEY: aerospike.OP_EXPR_READ, BIN_KEY: bin_name, EXPR_KEY: expression,
            EXPR_FLAGS_KEY: expression_read_flags}


def expression_write(bin_name: str, expression: resources._BaseExpr, expression_write_flags: int = 0):
    """Write the expression's value to ``bin_name`` (``aerospike.EXP_WRITE_*`` flags)."""
    return {OP_KEY: aerospike.OP_EXPR_WRITE, BIN_KEY: bin_name, EXPR_KEY: expression,
            EXPR_FLAGS_KEY: expression_write_flags}
