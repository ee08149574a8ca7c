"""purespike without its extras: `import aerospike` loads no server module and nothing compiled
beyond msgpack's optional extension; a call that needs a missing extra fails with a ClientError
naming the `pip install` that adds it. Each case runs in a fresh interpreter (sys.modules of this
one is shared by the whole test session)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

#: Top-level packages the client must not load on `import aerospike` (the server, its compiled
#: dependencies, and the optional extras).
FORBIDDEN = ("spikelite", "lupa", "Crypto", "sortedcontainers", "bcrypt")

IMPORTS = """
import aerospike
from aerospike import exception, predicates
from aerospike_helpers import cdt_ctx
from aerospike_helpers.batch import records
from aerospike_helpers.expressions import base
from aerospike_helpers.operations import operations, list_operations, map_operations
"""


def _run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_import_aerospike_loads_no_server_module():
    out = _run(IMPORTS + "import json, sys; print(json.dumps(sorted(sys.modules)))")
    loaded = json.loads(out)
    tops = {name.split(".")[0] for name in loaded}
    assert tops.isdisjoint(FORBIDDEN), sorted(tops & set(FORBIDDEN))
    assert "aerospike._client" in loaded and "spikewire" in loaded  # the check saw the real import


def test_no_client_module_imports_the_server():
    # The codec is `spikewire`; spikelite is reached only through _extras.load (pip extras).
    import aerospike
    import aerospike_helpers
    roots = [Path(aerospike.__file__).parent, Path(aerospike_helpers.__file__).parent]
    files = [path for root in roots for path in sorted(root.rglob("*.py"))]
    assert len(files) > 30
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, "%s:%d imports %s" % (path, node.lineno, name)


def _blocked(*names: str) -> str:
    """Code that makes `import NAME` fail as if NAME were not installed."""
    return "import sys\n" + "".join("sys.modules[%r] = None\n" % name for name in names)


@pytest.mark.parametrize("blocked", [("spikelite",), ("spikelite.embedded",)])
def test_embedded_without_the_extra_names_the_pip_install(blocked):
    out = _run(_blocked(*blocked) + """
import aerospike
try:
    aerospike.client({"embedded": True})
except aerospike.exception.ClientError as exc:
    print(exc.code, exc.msg)
""")
    code, msg = out.strip().split(" ", 1)
    assert code == "-1"
    assert msg == "an embedded server needs the 'spikelite' package: pip install 'purespike[embedded]'"


@pytest.mark.parametrize("blocked, package", [(("lupa",), "lupa"), (("spikelite",), "spikelite")])
def test_aggregation_without_the_lua_extra_names_the_pip_install(spikelite_server, blocked, package):
    out = _run(_blocked(*blocked) + """
import aerospike
client = aerospike.client({"hosts": [(%r, %d)]}).connect()
query = client.query("test", "footprint")
query.apply("no_such_module", "f")
try:
    query.results()
except aerospike.exception.ClientError as exc:
    print(exc.code, exc.msg)
finally:
    client.close()
""" % (spikelite_server.host, spikelite_server.port))
    code, msg = out.strip().split(" ", 1)
    assert code == "-1"
    assert msg == ("client-side aggregation (Query/Scan apply) needs the '%s' package: "
                   "pip install 'purespike[lua]'" % package)


def test_login_without_the_auth_extra_names_the_pip_install(spikelite_server):
    out = _run(_blocked("bcrypt") + """
import aerospike
config = {"hosts": [(%r, %d)], "user": "someone", "password": "secret"}
try:
    aerospike.client(config).connect()
except aerospike.exception.ClientError as exc:
    print(exc.code, exc.msg)
""" % (spikelite_server.host, spikelite_server.port))
    assert out.strip() == "-1 user/password login needs the 'bcrypt' package: pip install 'purespike[auth]'"
