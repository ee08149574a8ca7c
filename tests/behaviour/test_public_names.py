"""Every public name of the official client exists in the client under test.

The reference is ``tests/data/aerospike_public_names.tsv`` (``SCOPE<TAB>NAME``), generated from the
official C client by ``tools/gen_public_names.py`` (run it with ``.venvs/official/bin/python`` when
the official version changes; ``./dev test`` checks it is up to date). The scopes are the
``aerospike`` module, Client, Query and Scan (class and instance attributes), ``aerospike.exception``,
``aerospike.predicates`` and every ``aerospike_helpers`` module and submodule. Run with the official
client this checks the table, with purespike it checks purespike against the table.
"""

from __future__ import annotations

import fnmatch
import importlib.util
from pathlib import Path

import aerospike
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TABLE_PATH = REPO_ROOT / "tests" / "data" / "aerospike_public_names.tsv"

_spec = importlib.util.spec_from_file_location("gen_public_names", REPO_ROOT / "tools" / "gen_public_names.py")
assert _spec is not None and _spec.loader is not None
gen_public_names = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_public_names)


#: The one place for names the official client has and purespike does not have yet: a pattern
#: (fnmatch, over ``SCOPE.NAME``) and why. A pattern that matches no missing name any more makes the
#: test fail too, so each mark goes as soon as its names come. Only purespike is held to it.
EXPECTED_MISSING: dict[str, str] = {}  # empty: the comparison with aerospike 19.3.0 finds nothing missing

OFFICIAL = getattr(aerospike, "__file__", "").endswith((".so", ".pyd"))


def _dotted(row) -> str:
    return f"{row[0]}.{row[1]}"


def _expected_missing(row) -> bool:
    return not OFFICIAL and any(fnmatch.fnmatchcase(_dotted(row), p) for p in EXPECTED_MISSING)


def _table() -> set:
    return set(gen_public_names.parse(TABLE_PATH.read_text(encoding="utf-8")))


def test_the_table_is_not_empty():
    rows = _table()
    scopes = {scope for scope, _ in rows}
    assert {"aerospike", "aerospike.Client", "aerospike.Query", "aerospike.Scan",
            "aerospike.exception", "aerospike_helpers"} <= scopes
    assert len(rows) > 1000


def test_no_official_name_is_missing(client):
    have = set(gen_public_names.collect(client))
    missing = sorted(row for row in _table() - have if not _expected_missing(row))
    assert missing == [], "names the official client has and this client lacks: " + ", ".join(
        map(_dotted, missing))


def test_every_expected_missing_mark_is_still_needed(client):
    """Each EXPECTED_MISSING pattern still matches a missing name (purespike only)."""
    missing = [_dotted(row) for row in _table() - set(gen_public_names.collect(client))]
    stale = [] if OFFICIAL else [p for p in EXPECTED_MISSING if not fnmatch.filter(missing, p)]
    assert stale == [], f"these names exist now: drop the marks from EXPECTED_MISSING: {stale}"
