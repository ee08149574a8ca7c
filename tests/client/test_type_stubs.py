"""purespike's type stubs reject misuse: mypy --strict on a snippet flags exactly the bad lines.

(stubtest, run by ./dev test, checks the stubs agree with the runtime; this checks they are precise.)
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api", reason="mypy is part of the dev install (./dev test)")

# Each line marked `# E` must get a mypy error; no other line may.
SNIPPET = textwrap.dedent("""
    import aerospike
    from aerospike import exception as ex, predicates as p
    from aerospike_helpers.batch.records import BatchRecords
    from aerospike_helpers.expressions import base as exp
    from aerospike_helpers.operations import list_operations as lop, operations as op

    client = aerospike.client({"hosts": [("127.0.0.1", 3000)]})
    key = ("test", "set", 1)
    _, meta, bins = client.get(key)
    ttl: int = meta["ttl"]
    gen: str = meta["gen"]  # E
    client.put(key, ["not", "a", "dict"])  # E
    client.put(("test", "set"), {"a": 1})  # E
    client.put(("test", "set", 1.5), {"a": 1})  # E
    client.operate(key, [op.read("a"), lop.list_append("l", 1)])
    client.operate(key, op.read("a"))  # E
    lop.list_append(1, 2)  # E
    records: BatchRecords = client.batch_read([key])
    str_keys: list[tuple[str, str, str]] = [("test", "set", "a")]
    client.batch_read(str_keys)
    client.batch_read([("test",)])  # E
    client.get_many(str_keys)[0][1]
    records.batch_records[0].result + 1
    records.batch_records[0].no_such_attribute  # E
    client.query("test", "set").where(p.equals("bin", 1)).results()
    client.query("test", "set").results()[0][2]["bin"]
    client.scan("test").results()[0][3]  # E
    exp.Eq(exp.IntBin("a"), 1).compile()
    exp.IntBin(1)  # E
    try:
        client.truncate("test", None, 0)
    except ex.RecordNotFound as exc:
        code: int | None = exc.code
        key_of_error = exc.key
    except ex.UDFError as exc:
        module: str | None = exc.module
    client.no_such_method()  # E
    aerospike.NO_SUCH_CONSTANT  # E
    written: int = aerospike.POLICY_KEY_SEND
    calc: bytearray = aerospike.calc_digest("test", "set", 1)
    nodes: list[tuple[str, int]] = client.get_nodes()
""")


def test_mypy_flags_exactly_the_marked_lines(tmp_path: Path) -> None:
    source = tmp_path / "snippet.py"
    source.write_text(SNIPPET)
    stdout, stderr, _ = mypy_api.run(["--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
                                      "--allow-untyped-globals", "--disable-error-code", "unused-ignore",
                                      str(source)])
    assert stderr == ""
    flagged = {int(m.group(1)) for m in re.finditer(r"snippet\.py:(\d+): error", stdout)}
    marked = {n for n, line in enumerate(SNIPPET.splitlines(), 1) if line.endswith("# E")}
    assert flagged == marked, stdout
