"""Smoke test of the benchmark harness (bench/): one workload, the official client, spikelite and
the echo floor, in --quick mode. It checks that numbers come out, never how large they are."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "bench" / "run.py"

pytest.importorskip("aerospike")


def test_quick_run_measures_get_on_spikelite_and_echo(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--workloads", "get", "--clients", "official",
         "--servers", "spikelite,echo", "--python", "official=%s" % sys.executable,
         "--spikelite-python", sys.executable, "--memory-records", "200", "--no-chart",
         "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=60, cwd=str(ROOT))
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    cells = {(c["server"], c["client"], c["workload"], c["threads"]): c for c in results["cells"]}
    assert set(cells) == {("spikelite", "official", "get", 1), ("echo", "official", "get", 1)}
    for cell in cells.values():
        assert cell["status"] == "ok", cell
        assert cell["ops"] > 0 and cell["ops_per_s"] > 0
        assert 0 < cell["p50_us"] <= cell["p99_us"]
        assert cell["errors"] == 0
    assert results["memory"]["status"] == "ok" and results["memory"]["records"] == 200
    section = results["sindex_vs_scan"]  # the secondary-index-vs-scan section, at its quick size
    assert section["status"] == "ok" and not section["errors"], section
    [measured] = section["results"]
    assert measured["query"]["returned"] == measured["scan"]["returned"] == [section["records"] // 100]
    assert measured["ratio"] > 0
    table = done.stdout
    assert "spike/echo" in table and "get" in table and "Memory (spikelite RSS)" in table
    assert "Secondary index vs scan" in table
