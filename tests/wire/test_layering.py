"""spikewire is the bottom layer: it imports nothing of the server or the client, so purespike can
depend on it alone."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import spikewire

SOURCE = Path(spikewire.__file__).resolve().parent
MODULES = sorted("spikewire." + m.name for m in pkgutil.iter_modules([str(SOURCE)]))


def test_every_codec_module_imports_only_the_stdlib_msgpack_and_itself():
    allowed = set(sys.stdlib_module_names) | {"spikewire", "msgpack", "Crypto"}  # Crypto: optional digest
    for path in sorted(SOURCE.glob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                tops = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                tops = ["spikewire"] if node.level else [(node.module or "").split(".")[0]]
                assert node.level <= 1, "%s:%d imports above the package" % (path.name, node.lineno)
            else:
                continue
            for top in tops:
                assert top in allowed, "%s:%d imports %s" % (path.name, node.lineno, top)


def test_importing_every_codec_module_loads_no_server_or_client_module():
    code = "import importlib, json, sys\nfor m in %r: importlib.import_module(m)\nprint(json.dumps(sorted(sys.modules)))" % (
        MODULES,)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    loaded = json.loads(proc.stdout)
    assert set(MODULES) <= set(loaded)
    assert not [m for m in loaded if m.split(".")[0] in ("spikelite", "aerospike", "aerospike_helpers", "lupa")]
