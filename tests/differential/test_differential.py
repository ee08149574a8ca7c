"""The differential run as one test: official client vs purespike on generated call sequences.

Budget: SPIKELITE_DIFF_BATCHES batches of 200 sequences (default 30; empty: no limit) within
SPIKELITE_DIFF_BUDGET seconds of generating and running (default 100); sequences from
SPIKELITE_DIFF_SEED (default 0: the same ones every run; "random" for new ones); the summary
(calls tried, distinct call shapes, divergences) is printed. Fails on any divergence not
listed in allowlist.txt.
"""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import driver  # noqa: E402

BUDGET_S = float(os.environ.get(driver.BUDGET_ENV, driver.DEFAULT_BUDGET_S))
SEED = driver.seed_from(os.environ.get(driver.SEED_ENV, driver.DEFAULT_SEED))
BATCHES = driver.batches_from(os.environ.get(driver.BATCHES_ENV, str(driver.CI_BATCHES)))


def test_allowlist_entries_have_reasons():
    entries = driver.load_allowlist()
    assert all(e.reason and e.call for e in entries)


@pytest.mark.timeout(BUDGET_S + 180)
def test_official_client_and_purespike_agree(capsys):
    report = driver.run(BUDGET_S, base_seed=SEED, max_batches=BATCHES)
    with capsys.disabled():
        print("\n" + report.text())
    assert report.sequences > 0 and report.calls > report.sequences
    assert not report.unlisted, report.text()
