"""Secondary- and set-index administration, word for word against the real node: every error of
sindex-create (in the node's order of checks), set indexes (`indextype=set`: one per set, renamed
by a new name, listed after the secondary indexes, reported by sindex-stat and sets/), and
sindex-delete/-exists/-stat/-list with missing, empty and overlong parameters."""

from __future__ import annotations

import re
import struct
import time

from spikelite.wire import Info2, Message, Op, OpType, ParticleType

from .harness import RUN, key_fields

LONG = "i" * 64
SET = "sx%s" % RUN
SET2 = "sy%s" % RUN
NAME = "six%s" % RUN


def _create(params: str) -> str:
    return "sindex-create:" + params


#: In COMMANDS: wait until the node has filled the set index (a node fills it in the background).
WAIT = "<wait>"

#: Run in this order on both servers; each answer must be the same.
COMMANDS = [
    _create("set=s;indexname=a;bin=b;type=numeric"),
    _create("namespace=;indexname=x;indextype=set;set=zz"),
    _create("namespace=nope"),
    _create("namespace=nope;indexname=%s" % LONG),
    _create("namespace=test;indexname=;indextype=set;set=zz"),
    _create("namespace=test;indexname=a"),
    _create("namespace=test;indexname=a;set="),
    _create("namespace=test;indexname=a;set=%s;bin=b;type=numeric" % LONG),
    _create("namespace=test;indexname=a;indextype=bogus;bin=b;type=numeric"),
    _create("namespace=test;indexname=a;bin=b;type=bogus"),
    _create("namespace=test;indexname=a;bin=b"),
    _create("namespace=test;indexname=a;type=numeric"),
    _create("namespace=test;indexname=a;indexdata=b;type=numeric"),
    _create("namespace=test;indexname=a;indexdata=b"),
    _create("namespace=test;indexname=a;indexdata=,numeric"),
    _create("namespace=test;indexname=a;indexdata=b,bogus"),
    _create("namespace=test;indexname=a;bin=b;type=numeric;exp=kQ=="),
    _create("namespace=test;indexname=a;bin=b;type=numeric;context=!!"),
    _create("namespace=test;indexname=a;bin=b;type=numeric;context=kQ=="),
    _create("namespace=test;indexname=a;bin=b;type=numeric;context="),
    _create("namespace=test;indexname=a;bin=;type=numeric"),
    _create("namespace=test;indexname=a;bin=%s;type=numeric" % LONG),
    _create("namespace=test;indexname=a;exp=!!;type=numeric"),
    _create("namespace=test;indexname=a;bin=b;type=geo2dsphere;indextype=mapkeys"),
    _create("namespace=test;indexname=a;indextype=set"),
    _create("namespace=test;indexname=a;indextype=set;set="),
    _create("namespace=test;indexname=a;indextype=set;set=%s" % LONG),
    _create("namespace=test;indexname=a;indextype=SET;set=zz;type=numeric"),
    _create("namespace=test;indexname=a;indextype=set;set=zz;bin=b;type=x"),
    _create("namespace=test;indexname=a;indextype=set;set=zz;exp=x;bin=b"),
    _create("namespace=test;indexname=a;indextype=set;set=zz;context=x;exp=x"),
    _create("namespace=test;indexname=a;indextype=set;set=zz;indexdata=b,numeric"),
    _create("namespace=nope;indexname=a;indextype=set;set=zz"),
    # a set index: created, kept, refused under its name elsewhere, renamed by a new name
    _create("namespace=test;set=%s;indexname=%s;indextype=SET" % (SET, NAME)),
    _create("namespace=test;set=%s;indexname=%s;indextype=set" % (SET, NAME)),
    _create("namespace=test;set=%s;indexname=%s;indextype=set" % (SET2, NAME)),
    _create("namespace=test;set=%s;indexname=%s;bin=b;type=numeric" % (SET, NAME)),
    WAIT,
    "sindex-exists:namespace=test;indexname=%s" % NAME,
    "sindex-stat:namespace=test;indexname=%s" % NAME,
    "sindex/test/%s" % NAME,
    "sets/test/%s" % SET,
    _create("ns=test;set=%s;indexname=%sb;indextype=set" % (SET, NAME)),
    "sindex-exists:namespace=test;indexname=%s" % NAME,
    "sindex-exists:namespace=test;indexname=%sb" % NAME,
    "sindex-delete:namespace=test;indexname=%sb" % NAME,
    "sindex-delete:namespace=test;indexname=%sb" % NAME,
    "sets/test/%s" % SET,
    # the soft errors of -delete/-exists/-stat (a node answers the error and goes on)
    "sindex-delete:indexname=a", "sindex-delete:namespace=nope;indexname=a",
    "sindex-delete:namespace=test", "sindex-delete:namespace=test;indexname=",
    "sindex-delete:namespace=test;indexname=%s" % LONG,
    "sindex-exists:namespace=nope;indexname=a", "sindex-exists:namespace=test",
    "sindex-exists:namespace=test;indexname=", "sindex-exists:namespace=test;indexname=%s" % LONG,
    "sindex-exists:indexname=a", "sindex-exists:namespace=;indexname=a",
    "sindex-stat:namespace=nope;indexname=a", "sindex-stat:namespace=test",
    "sindex-stat:namespace=test;indexname=", "sindex-stat:indexname=a",
    "sindex-stat:namespace=test;indexname=nonexist%s" % RUN,
    "sindex/nope/x", "sindex/test/nonexist%s" % RUN,
    "sindex-list:namespace=nope", "sindex-list:namespace=",
]


def test_sindex_administration_answers_match_the_node(pair):
    for conn in (pair.real, pair.lite):
        for i in range(3):
            msg = Message(info2=Info2.WRITE, fields=key_fields(SET, i),
                          ops=[Op(OpType.WRITE, ParticleType.INTEGER, "b", struct.pack(">q", i))])
            assert conn.request(msg).result_code == 0
    try:
        for command in COMMANDS:
            if command == WAIT:
                _wait_filled(pair.real, NAME)
                continue
            # record sizes are the node's storage format (data_used_bytes), and a node fills a
            # new index in the background (load_pct): neither is compared
            pair.check_info(command, "info %s" % command,
                            normalize=lambda text: re.sub(r"(data_used_bytes|load_pct)=\d+", "", text))
    finally:
        for conn in (pair.real, pair.lite):
            conn.info("sindex-delete:namespace=test;indexname=%s" % NAME)


def _wait_filled(conn, name: str) -> None:
    command = "sindex-stat:namespace=test;indexname=%s" % name
    deadline = time.monotonic() + 10
    while "load_pct=100" not in conn.info(command)[command] and time.monotonic() < deadline:
        time.sleep(0.05)
    command = "sets/test/%s" % SET
    while "index_populating=true" in conn.info(command)[command] and time.monotonic() < deadline:
        time.sleep(0.05)


def _mine(text: str) -> set[str]:
    """The sindex-list entries of this run's indexes (other tests add theirs)."""
    return {entry for entry in text.split(";") if RUN in entry}


def test_set_indexes_are_listed_after_secondary_indexes(pair):
    """`sindex-list`: the secondary indexes, then the set indexes (each half in the node's hash
    order, so entries are compared as sets); `sindex` lists only the secondary ones."""
    commands = [_create("namespace=test;set=%s;indexname=%sl;indextype=set" % (SET2, NAME)),
                _create("namespace=test;set=%s;indexname=%sv;bin=b;type=numeric" % (SET2, NAME))]
    try:
        for command in commands:
            pair.check_info(command, "info %s" % command)
        answers = {}
        for side, conn in (("real", pair.real), ("lite", pair.lite)):
            listing = conn.info("sindex-list:namespace=test")["sindex-list:namespace=test"]
            entries = listing.split(";")
            kinds = ["set" if entry.endswith(":indextype=set") else "sindex" for entry in entries]
            assert kinds == sorted(kinds, key=lambda kind: kind == "set"), (side, listing)
            bare = conn.info("sindex")["sindex"]
            answers[side] = (_mine(listing), _mine(bare))
        assert answers["real"][0] == answers["lite"][0]
        assert answers["real"][1] == answers["lite"][1]
        assert {e for e in answers["lite"][0] if e.endswith("indextype=set")} == {
            "ns=test:indexname=%sl:set=%s:indextype=set" % (NAME, SET2)}
        bad = "sindex-list:namespace=test;b64=maybe"
        real, lite = pair.real.info(bad)[bad], pair.lite.info(bad)[bad]
        assert real.split(";")[0] == lite.split(";")[0] == "ERROR:4:bad b64"
        assert _mine(real) == _mine(lite)
    finally:
        for conn in (pair.real, pair.lite):
            for suffix in ("l", "v"):
                conn.info("sindex-delete:namespace=test;indexname=%s%s" % (NAME, suffix))
