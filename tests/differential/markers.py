"""Placeholders inside a generated call sequence, shared by the driver and both workers.

A sequence is plain data (pickled to each worker). Anything that must be a live object
in the worker (the client, a helper's result, a callback) is one of these markers; the
worker replaces it before the call (see worker.resolve).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Ref:
    """The value step `index` of the same sequence returned."""
    index: int


@dataclass(frozen=True)
class Build:
    """`module.name(*args, **kwargs)` evaluated in the worker (a helper's result as an argument)."""
    module: str
    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Compiled:
    """`Build(...).compile()`: a compiled expression."""
    expr: Build


@dataclass(frozen=True)
class Callback:
    """A callable argument: `collect` records its calls, `stop` returns False on the first call,
    `fail` raises ValueError, `identity` returns its argument (serializers), `none` returns None."""
    kind: str


@dataclass(frozen=True)
class Config:
    """The base client config (hosts of the worker's server) updated with `extra`."""
    extra: dict


class Opaque:
    """A custom object no client knows how to send."""

    def __init__(self, tag: int = 0):
        self.tag = tag

    def __repr__(self) -> str:
        return "Opaque(%d)" % self.tag

    def __eq__(self, other) -> bool:
        return isinstance(other, Opaque) and other.tag == self.tag

    def __hash__(self) -> int:
        return hash(("Opaque", self.tag))


#: Step targets besides module paths.
CLIENT = "client"
