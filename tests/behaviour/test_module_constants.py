"""Module-level constants of ``aerospike`` against the reference table.

The table is ``tests/data/aerospike_constants.tsv``: one ``NAME<TAB>value``
line per constant, the value written as a Python literal (``4294967295``,
``'scan'``). It is generated from the official C client by
``tools/gen_constants_table.py`` (run it with ``.venvs/official/bin/python``
when the official version changes); ``./dev test`` checks it is up to date.
Run in the official venv this file checks the table against the official
module, in the purespike venv it checks purespike against the table.

No server is needed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import aerospike
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TSV_PATH = REPO_ROOT / "tests" / "data" / "aerospike_constants.tsv"

# Entries of the table that disagree with the official client, mapped to the
# official value. The table is generated from the official module, so this
# stays empty; add NAME: value here (with a comment saying why) only if a
# hand-edited entry is ever needed.
TSV_CORRECTIONS: dict = {}

# Marker the table may carry on entries nobody has checked yet.
UNVERIFIED_MARK = "UNVERIFIED"


def _load_table():
    """``[(name, value, unverified)]`` from the TSV, or None if the file is missing."""
    if not TSV_PATH.is_file():
        return None
    rows = []
    for lineno, raw in enumerate(TSV_PATH.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = raw.rstrip("\n").split("\t")
        if len(fields) < 2:
            raise ValueError(f"{TSV_PATH}:{lineno}: expected NAME<TAB>value, got {raw!r}")
        name, text = fields[0].strip(), fields[1].strip()
        unverified = UNVERIFIED_MARK in raw
        text = text.replace(UNVERIFIED_MARK, "").strip()
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError) as exc:
            raise ValueError(f"{TSV_PATH}:{lineno}: value {text!r} is not a Python literal") from exc
        rows.append((name, value, unverified))
    return rows


TABLE = _load_table()


def _require_table():
    if TABLE is None:
        pytest.fail(f"reference table not found: {TSV_PATH} (regenerate it with "
                    f"tools/gen_constants_table.py)", pytrace=False)
    return TABLE


def _expected():
    """name -> expected value (table with corrections applied)."""
    expected = {name: value for name, value, _ in _require_table()}
    expected.update(TSV_CORRECTIONS)
    return expected


def test_reference_table_is_present_and_well_formed():
    rows = _require_table()
    names = [name for name, _, _ in rows]
    assert len(names) == len(set(names)), "duplicate names in the table"
    assert len(rows) > 400, f"only {len(rows)} entries read from {TSV_PATH}"


def test_corrections_refer_to_table_entries():
    names = {name for name, _, _ in _require_table()}
    assert set(TSV_CORRECTIONS) <= names


@pytest.mark.parametrize(
    "name", [row[0] for row in TABLE] if TABLE is not None else ["<reference table missing>"]
)
def test_constant_value(name):
    expected = _expected()[name]
    assert hasattr(aerospike, name), f"aerospike.{name} is missing"
    actual = getattr(aerospike, name)
    assert actual == expected, f"aerospike.{name} == {actual!r}, expected {expected!r}"
    # Same type too: 1 and True compare equal, 'scan' is a str not bytes...
    assert type(actual) is type(expected), (
        f"aerospike.{name} is {type(actual).__name__}, expected {type(expected).__name__}")


def test_no_constant_missing_from_table():
    """Every UPPER_CASE name of the module (including the private _X ones) is in the table."""
    expected = _expected()
    module_names = {n for n in dir(aerospike)
                    if n.lstrip("_")[:1].isalpha() and n.upper() == n and not n.startswith("__")}
    assert sorted(module_names - set(expected)) == []


def test_constant_families_spot_checks():
    # A few relations the client relies on, independent of the table.
    assert aerospike.TTL_NEVER_EXPIRE == 2**32 - 1
    assert aerospike.TTL_DONT_UPDATE == 2**32 - 2
    assert aerospike.TTL_CLIENT_DEFAULT == 2**32 - 3
    assert aerospike.MAP_WRITE_NO_FAIL == aerospike.MAP_WRITE_FLAGS_NO_FAIL
    assert aerospike.MAP_WRITE_PARTIAL == aerospike.MAP_WRITE_FLAGS_PARTIAL
    assert (aerospike.JOB_SCAN, aerospike.JOB_QUERY) == ("scan", "query")
    assert aerospike.LOG_LEVEL_OFF == -1
    assert isinstance(aerospike._CDT_FLAGS_KEY, str)
