"""Short mode of the crash loop (`./dev crashloop` runs 100 iterations)."""

from __future__ import annotations

import time

from .crashloop import run


def test_crash_loop_short(tmp_path):
    report = run(6, tmp_path, seed=int(time.time()) % 100_000)
    assert report["iterations"] == 6
    assert report["problems"] == []
    assert report["server_log_errors"] == []
    acked = report["acknowledged"]
    # Every kind of work was acknowledged at least once before some kill.
    for kind in ("writes", "batch_record_writes", "truncate_set_writes", "index_creates"):
        assert acked.get(kind, 0) > 0, acked


def test_the_checks_catch_a_namespace_that_loses_data(tmp_path):
    # The same loop on a memory namespace: everything acknowledged is gone after the kill.
    report = run(1, tmp_path, seed=3, persistent=False)
    assert any("lost" in p for p in report["problems"]), report
