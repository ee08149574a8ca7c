"""The client's imports flow one way (docs/architecture.md, "The client's layers").

Every module of `aerospike` and `aerospike_helpers` belongs to one layer of `LAYERS`; a module
may import its own layer and the layers below it, never one above, and the import graph has no
cycle at all. Imports inside functions count as much as top-level ones: a function-local import
is how a circle hides. A new module must be given a layer here, which is the moment to decide
where it belongs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

aerospike = pytest.importorskip("aerospike._client", reason="purespike-only test")

SRC = Path(aerospike.__file__).resolve().parents[1]

#: Bottom to top. A module matches the longest listed name that is itself or a package above it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    # The client's vocabulary, with no protocol in it: exception classes and the error builders
    # (every layer raises them), constants, the user-visible value types, the argument binder,
    # the serializer registry, logging, the optional-extra loader, the batch record classes.
    ("base", ("aerospike.exception", "aerospike._constants", "aerospike._errors", "aerospike._arguments",
              "aerospike._types", "aerospike._serializers", "aerospike._logging", "aerospike._extras",
              "aerospike._c_members", "aerospike._version", "aerospike._config_provider", "aerospike._yaml_subset",
              "aerospike_helpers.__init__", "aerospike_helpers.batch")),
    # Python values, keys, operations, expressions, CDT contexts and predicates to bytes and back.
    ("encoding", ("aerospike._values", "aerospike._keys", "aerospike._cdt_encoding", "aerospike._operations",
                  "aerospike._expressions", "aerospike.predicates")),
    # Policy merging and config checks, shared by every command family and both faces; the seam
    # between commands and transports (`_io`: what a command asks to have moved).
    ("shared", ("aerospike._policies", "aerospike._config", "aerospike._io",
                "aerospike._dynamic_config")),
    # Moving bytes: cluster tending, nodes, connection pools, login, the sync executor.
    ("transport", ("aerospike._cluster", "aerospike._auth", "aerospike._executor")),
    # The command families: requests built and replies parsed, one module each.
    ("commands", ("aerospike._single_record", "aerospike._batch", "aerospike._udf", "aerospike._background",
                  "aerospike._admin", "aerospike._partition_tracker", "aerospike._stream_records",
                  "aerospike._commands", "aerospike._transaction", "aerospike._transaction_commands")),
    # The faces: the module functions, Client, Query/Scan, the asyncio API, and the public
    # helper builders (which read the module's constants through `import aerospike`).
    ("face", ("aerospike.__init__", "aerospike._client", "aerospike._query", "aerospike._metrics",
              "aerospike._dynamic_client", "aerospike._named_checks", "aerospike.aio",
              "aerospike_helpers")),
]


def _modules() -> dict[str, Path]:
    found = {}
    for package in ("aerospike", "aerospike_helpers"):
        for path in (SRC / package).rglob("*.py"):
            parts = list(path.relative_to(SRC).with_suffix("").parts)
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _name(module: str) -> str:
    """`pkg.__init__` is known as `pkg` when imported."""
    return module[: -len(".__init__")] if module.endswith(".__init__") else module


BY_IMPORT_NAME = {_name(m): m for m in MODULES}


def _layer(module: str) -> int:
    best, best_len = -1, -1
    for index, (_, names) in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > best_len:
                best, best_len = index, len(name)
    return best


def _known(dotted: str) -> str | None:
    """The module file `dotted` (or the nearest package above it) is, if it is one of ours."""
    while dotted:
        if dotted in BY_IMPORT_NAME:
            return BY_IMPORT_NAME[dotted]
        dotted = dotted.rpartition(".")[0]
    return None


def _imports(module: str, path: Path) -> set[str]:
    """Every module of ours that `module` imports, at any depth of its code."""
    is_package = path.name == "__init__.py"
    here = _name(module).split(".")
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here if is_package else here[:-1]
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            # `from pkg import sub` imports the submodule; `from mod import name` the module.
            targets = [origin + "." + alias.name if origin + "." + alias.name in BY_IMPORT_NAME else origin
                       for alias in node.names]
        else:
            continue
        for target in targets:
            known = _known(target)
            if known is not None and known != module:
                found.add(known)
    return found


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def test_the_walk_sees_the_client():
    """The graph is the real one: the face imports Client, and function-local imports count."""
    assert "aerospike._client" in GRAPH["aerospike.__init__"]
    assert "aerospike._errors" in GRAPH["aerospike._client"]
    assert len(MODULES) > 40


def test_every_module_has_a_layer():
    unplaced = sorted(m for m in MODULES if _layer(m) < 0)
    assert unplaced == [], "give these modules a layer in LAYERS (and docs/architecture.md): %s" % unplaced


def test_no_import_goes_up_a_layer():
    upward = sorted("%s (%s) imports %s (%s)" % (m, LAYERS[_layer(m)][0], t, LAYERS[_layer(t)][0])
                    for m, targets in GRAPH.items() for t in targets
                    if _layer(m) >= 0 and _layer(t) > _layer(m))
    assert upward == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return components


def test_the_import_graph_has_no_cycle():
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
