"""The string operation and string expression builders (server 8.2+) against the official ones.

``tests/data/string_builders.json`` holds calls with generated arguments of every builder of
``aerospike_helpers.operations.string_operations`` and every class of
``aerospike_helpers.expressions.string``, and what the official helpers returned (the operation dict
or the compiled expression), written by ``tools/gen_string_builders.py`` with the official client
(``./dev test`` checks it is current). Here the client under test replays every call.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from aerospike_helpers import string_helpers
from aerospike_helpers.string_helpers import NumericType, RegexFlags, StringPolicy, WriteFlags

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA = json.loads((REPO_ROOT / "tests" / "data" / "string_builders.json").read_text(encoding="utf-8"))

_spec = importlib.util.spec_from_file_location("gen_string_builders", REPO_ROOT / "tools" / "gen_string_builders.py")
assert _spec is not None and _spec.loader is not None
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)

TARGETS = {(kind, name): target for kind, name, target in gen.builders()}


def test_every_official_builder_is_here_and_recorded():
    recorded = {(case["kind"], case["name"]) for case in DATA["cases"]}
    assert recorded == set(TARGETS)
    assert len(recorded) == 39 + 39  # operation builders, expression classes


@pytest.mark.parametrize("case", DATA["cases"], ids=lambda c: "%s.%s" % (c["kind"], c["name"]))
def test_builder_result_matches_the_official_one(case):
    target = TARGETS[(case["kind"], case["name"])]
    assert gen.call(case["kind"], target, case["args"]) == case["result"]


def test_the_shared_flags_and_policy():
    assert [(f.name, int(f)) for f in RegexFlags] == [("DEFAULT", 0), ("CASE_INSENSITIVE", 1), ("MULTILINE", 2),
                                                     ("DOTALL", 4), ("UNIX_LINES", 8), ("GLOBAL", 16)]
    assert [(f.name, int(f)) for f in WriteFlags] == [("DEFAULT", 0), ("CREATE_ONLY", 1), ("UPDATE_ONLY", 2),
                                                     ("NO_FAIL", 4)]
    assert [(f.name, int(f)) for f in NumericType] == [("ANY", 0), ("INT", 1), ("FLOAT", 2)]
    assert StringPolicy().write_flags is WriteFlags.DEFAULT
    assert StringPolicy(WriteFlags.NO_FAIL | WriteFlags.UPDATE_ONLY).write_flags == 6
    assert string_helpers.StringPolicy is StringPolicy
