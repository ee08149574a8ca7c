"""Info commands whose answers must agree word for word between the real node and spikelite
(identity, truncate and sindex administration errors). Answers that differ by design (node ids,
statistics, configuration spikelite does not have) are not compared here."""

from __future__ import annotations

import pytest

from .harness import RUN

SAME = [
    "build", "edition", "version", "namespaces",
    "truncate:namespace=nope_%s;set=x" % RUN, "truncate-namespace:namespace=nope_%s" % RUN,
    "truncate:namespace=test;set=", "truncate:namespace=test", "truncate:set=x",
    "truncate-namespace:namespace=test;set=x", "truncate:namespace=test;set=x;lut=abc",
    "sindex-create:namespace=test;set=%s;indexname=x%s;bin=b;type=numeric" % ("s" * 64, RUN),
    "sindex-create:namespace=test;set=s;indexname=%s;bin=b;type=numeric" % ("i" * 64),
    # udf-remove: an empty or unknown module name is "ok", a missing filename parameter is not
    # (udf-get with an empty filename is not sent: it stops the 8.1.2 node)
    "udf-remove:filename=;", "udf-remove:filename=nosuch_%s.lua;" % RUN, "udf-remove:foo=bar",
    "udf-get:filename=nosuch_%s.lua;" % RUN,
]


@pytest.mark.parametrize("command", SAME)
def test_info_answers_match_the_node(pair, command):
    pair.check_info(command, "info %s" % command)


def test_empty_info_request_answers_the_node_summary(pair):
    """An info request without commands: a node answers its summary (these names, in order)."""
    real, lite = pair.real.info(), pair.lite.info()
    assert list(real) == list(lite)
    for name in ("edition", "build", "version", "services", "services-alumni"):
        assert real[name] == lite[name], name
    assert real["features"].split(";") == lite["features"].split(";")
