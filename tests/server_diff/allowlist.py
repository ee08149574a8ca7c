"""The one list of accepted differences between spikelite and a real 8.1.2 CE node.

Each entry: a name, the reason, and a predicate over (what, real reply, spikelite reply); a
difference the test finds passes only when one entry's predicate accepts it. Keep it short:
every entry is a deliberate choice or an open item also listed in the README."""

from __future__ import annotations

from typing import Any, Callable, NamedTuple


class Allowed(NamedTuple):
    name: str
    reason: str
    applies: Callable[[str, Any, Any], bool]


ALLOWED: list[Allowed] = []


def explain(what: str, real: Any, lite: Any) -> str | None:
    """The reason a listed difference is accepted, or None when it is not listed."""
    for entry in ALLOWED:
        if entry.applies(what, real, lite):
            return "%s: %s" % (entry.name, entry.reason)
    return None
