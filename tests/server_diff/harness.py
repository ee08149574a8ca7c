"""Send one request to the real node and to spikelite and compare what comes back.

A reply is compared as the tuple (result code, generation, record TTL, ops), each op as
(op code, particle type, bin name, value bytes): bins byte for byte, as a client would decode
them. TTLs (void times in seconds) may differ by the second the two requests straddle. A
difference fails the test unless ``allowlist.explain`` names it with a reason."""

from __future__ import annotations

import itertools
import os
import uuid

from spikelite.wire import FieldType, Info3, Message, compute_digest

from . import allowlist

NAMESPACE = "test"
RUN = uuid.uuid4().hex[:8]
_counter = itertools.count()
TTL_SLACK_S = 2
#: A file every checked request's description is appended to (finds the request a node died on).
TRACE = os.environ.get("SPIKELITE_DIFF_TRACE", "")
#: Hypothesis examples per generated test (SPIKELITE_DIFF_EXAMPLES raises it for a long hunt).
EXAMPLES = int(os.environ.get("SPIKELITE_DIFF_EXAMPLES", "1000"))


def fresh_key(tag: str = "k") -> str:
    """A user key no earlier request of any run used (the node may be reused across runs)."""
    return "%s-%s-%d-%d" % (tag, RUN, os.getpid(), next(_counter))


def key_fields(set_name: str, key, namespace: str = NAMESPACE) -> list[tuple[int, bytes]]:
    return [(FieldType.NAMESPACE, namespace.encode()), (FieldType.SET, set_name.encode()),
            (FieldType.DIGEST, compute_digest(set_name, key))]


def summary(msg: Message) -> tuple:
    ops = tuple((op.op, op.particle_type, op.name, bytes(op.value)) for op in msg.ops)
    return msg.result_code, msg.generation, msg.record_ttl, ops


def _same(real: Message, lite: Message) -> bool:
    r, l_ = summary(real), summary(lite)
    if (r[0], r[1], r[3]) != (l_[0], l_[1], l_[3]):
        return False
    return abs(r[2] - l_[2]) <= TTL_SLACK_S


class Difference(AssertionError):
    pass


class Pair:
    """Connections to the real node and to spikelite."""

    def __init__(self, real, lite):
        self.real = real
        self.lite = lite

    def both(self, msg: Message) -> tuple[Message, Message]:
        return self.real.request(msg), self.lite.request(msg)

    def check(self, msg: Message, what: str) -> tuple[Message, Message]:
        """Send `msg` to both; fail on a difference the allowlist does not explain."""
        if TRACE:
            with open(TRACE, "a") as trace:
                trace.write(what + "\n")
        real, lite = self.both(msg)
        if TRACE:
            with open(TRACE, "a") as trace:
                trace.write("answered\n")
        if not _same(real, lite) and allowlist.explain(what, real, lite) is None:
            raise Difference("%s\n  request: %r\n  real node: %r\n  spikelite: %r"
                             % (what, msg, summary(real), summary(lite)))
        return real, lite

    def check_stream(self, msg: Message, what: str, key=summary) -> tuple[list, list]:
        real, lite = self.real.stream(msg), self.lite.stream(msg)
        rs, ls = [key(m) for m in real], [key(m) for m in lite]
        if rs != ls and allowlist.explain(what, real, lite) is None:
            raise Difference("%s\n  request: %r\n  real node: %r\n  spikelite: %r" % (what, msg, rs, ls))
        return real, lite

    def check_info(self, command: str, what: str, normalize=lambda text: text) -> tuple[str, str]:
        real = self.real.info(command).get(command, "")
        lite = self.lite.info(command).get(command, "")
        if normalize(real) != normalize(lite) and allowlist.explain(what, real, lite) is None:
            raise Difference("%s\n  info %r\n  real node: %r\n  spikelite: %r" % (what, command, real, lite))
        return real, lite


LAST = Info3.LAST
