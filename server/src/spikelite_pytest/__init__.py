"""pytest plugin shipped with spikelite: a server for the test session and an Aerospike client.

Installed with spikelite (entry point ``pytest11``, name ``spikelite``). It only adds options and
fixtures: nothing starts until a test asks for one of them. ``-p no:spikelite`` turns it off.

Fixtures (see docs/pytest-plugin.md):

``spikelite_server`` (session)
    ``spikelite.spawn(config)`` as a child process, so the official C client works against it too;
    or, with ``--aerospike-hosts``, the given cluster (nothing is started).
``aerospike_client`` (session)
    ``aerospike.client(aerospike_client_config)``: purespike or the official client, whichever
    ``import aerospike`` finds.
``aerospike_cleanup`` (per test)
    Remembers the sets a test uses and truncates them when the test ends.
``spikelite_config``, ``spikelite_namespaces``, ``aerospike_client_config`` (session)
    Override them in a conftest.py to choose the config file, inline namespaces or client settings.

Options: ``--spikelite-config FILE`` and ``--aerospike-hosts HOST:PORT[,HOST:PORT...]`` (and the
ini settings ``spikelite_config``, ``spikelite_namespaces``, ``aerospike_hosts``).

This package is not part of the server (``spikelite`` never imports ``aerospike``); it sits above
both: it starts the server with ``spikelite.spawn`` and connects whichever client is installed.
"""

from __future__ import annotations

import itertools
import re
import secrets
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, Union

import pytest

import spikelite

__all__ = ["Endpoint", "SetTracker", "parse_hosts", "render_namespaces"]

#: Settings of one namespace: ``{"default-ttl": "1h", "set short": {"default-ttl": 2}}``; a
#: mapping value is a nested context (``set NAME { ... }``, ``storage-engine memory { ... }``).
NamespaceSettings = Mapping[str, Any]
#: ``spikelite_namespaces``: the names alone, or each name with its settings.
Namespaces = Union[Mapping[str, NamespaceSettings], list[str], tuple[str, ...]]

_SET_NAME_MAX = 63  # bytes, Aerospike's limit
_set_counter = itertools.count(1)
#: Differs from session to session, so a server that outlives a session (a real cluster given by
#: --aerospike-hosts, where truncation is asynchronous) never hands one session another's records.
_SESSION_TAG = secrets.token_hex(2)


@dataclass(frozen=True)
class Endpoint:
    """Where the server under test listens."""

    #: ``(host, port)`` of every node: the ``hosts`` entry of a client config.
    hosts: tuple[tuple[str, int], ...]
    #: True when this session spawned spikelite; False for ``--aerospike-hosts``.
    spawned: bool
    #: The config file spikelite was started with (None: spikelite's default, or not spawned).
    config_path: str | None = None

    @property
    def host(self) -> str:
        return self.hosts[0][0]

    @property
    def port(self) -> int:
        return self.hosts[0][1]


def parse_hosts(text: str) -> tuple[tuple[str, int], ...]:
    """``"h1:3000,h2:3000"`` (commas or spaces; ``[::1]:3000`` for IPv6) -> ``(("h1", 3000), ...)``."""
    hosts = []
    for item in re.split(r"[,\s]+", text.strip()):
        if not item:
            continue
        host, sep, port = item.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise pytest.UsageError(f"--aerospike-hosts: {item!r} is not HOST:PORT")
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        hosts.append((host, int(port)))
    if not hosts:
        raise pytest.UsageError("--aerospike-hosts: no HOST:PORT given")
    return tuple(hosts)


def _render_context(lines: list[str], settings: Mapping[str, Any], indent: str) -> None:
    for name, value in settings.items():
        if isinstance(value, Mapping):
            lines.append(f"{indent}{name} {{")
            _render_context(lines, value, indent + "    ")
            lines.append(f"{indent}}}")
        elif isinstance(value, bool):
            lines.append(f"{indent}{name} {'true' if value else 'false'}")
        else:
            lines.append(f"{indent}{name} {value}")


def render_namespaces(namespaces: Namespaces) -> str:
    """aerospike.conf text with one in-memory namespace per entry (settings as given)."""
    if not isinstance(namespaces, Mapping):
        namespaces = {name: {} for name in namespaces}
    if not namespaces:
        raise ValueError("spikelite_namespaces: at least one namespace is needed")
    lines = ["# written by the spikelite pytest plugin from spikelite_namespaces"]
    for name, settings in namespaces.items():
        lines.append(f"namespace {name} {{")
        if not any(key.split()[0] == "storage-engine" for key in settings):
            lines.append("    storage-engine memory")
        _render_context(lines, settings, "    ")
        lines.append("}")
    return "\n".join(lines) + "\n"


class SetTracker:
    """The sets one test wrote to; ``aerospike_cleanup`` truncates them when the test ends."""

    def __init__(self, test_name: str, namespace: str = "test") -> None:
        self.test_name = test_name
        self.namespace = namespace
        self.sets: list[tuple[str, str]] = []

    def track(self, namespace: str, set_name: str) -> str:
        """Truncate ``namespace``/``set_name`` after the test; returns ``set_name``."""
        if (namespace, set_name) not in self.sets:
            self.sets.append((namespace, set_name))
        return set_name

    def unique_set(self, namespace: str | None = None, prefix: str = "") -> str:
        """A set name no other test of this session uses (derived from the test name), tracked."""
        cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", prefix or self.test_name).strip("_") or "set"
        name = f"{cleaned}_{_SESSION_TAG}{next(_set_counter)}"
        if len(name) > _SET_NAME_MAX:  # keep the counter, which makes the name unique
            suffix = name[name.rindex("_"):]
            name = cleaned[:_SET_NAME_MAX - len(suffix)] + suffix
        return self.track(namespace or self.namespace, name)

    def key(self, namespace: str, set_name: str, user_key: str | int | bytes | bytearray
            ) -> tuple[str, str, str | int | bytes | bytearray]:
        """The key tuple ``(namespace, set_name, user_key)``, with its set tracked."""
        return (namespace, self.track(namespace, set_name), user_key)


# --- options ----------------------------------------------------------------------------------------

NAMESPACES_HELP = "in-memory namespaces of the spikelite server (when no config file is given)"
# A variable, not the literal in the call: recent pytest also takes a TypeForm there, and mypy then
# reads a string literal argument as a possible type annotation.
ARGS_TYPE: Literal["args"] = "args"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("spikelite", "spikelite server and Aerospike client fixtures")
    group.addoption("--spikelite-config", dest="spikelite_config", metavar="FILE", default=None,
                    help="aerospike.conf-style file for the spikelite server of the session")
    group.addoption("--aerospike-hosts", dest="aerospike_hosts", metavar="HOST:PORT[,...]", default=None,
                    help="run against this Aerospike cluster instead of starting spikelite")
    parser.addini("spikelite_config", "config file for the spikelite server (relative to the rootdir)",
                  default="")
    parser.addini("spikelite_namespaces", help=NAMESPACES_HELP, type=ARGS_TYPE, default=[])
    parser.addini("aerospike_hosts", "HOST:PORT of a cluster to use instead of spikelite", default="")


def _external_hosts(config: pytest.Config) -> tuple[tuple[str, int], ...] | None:
    text = config.getoption("aerospike_hosts") or config.getini("aerospike_hosts")
    return parse_hosts(text) if text else None


# --- fixtures ---------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def spikelite_namespaces(pytestconfig: pytest.Config) -> Namespaces | None:
    """Inline namespaces for spikelite (used when no config file is given). Default: the ini
    ``spikelite_namespaces`` names, or None (spikelite's default: namespace ``test``). Override it
    to return ``{"test": {}, "cache": {"default-ttl": "1h", "nsup-period": 1}}``."""
    names: list[str] = pytestconfig.getini("spikelite_namespaces")
    return list(names) or None


@pytest.fixture(scope="session")
def spikelite_config(pytestconfig: pytest.Config, spikelite_namespaces: Namespaces | None,
                     tmp_path_factory: pytest.TempPathFactory) -> str | None:
    """The config file spikelite starts with: ``--spikelite-config``, else the ini
    ``spikelite_config``, else one written from ``spikelite_namespaces``, else None."""
    option = pytestconfig.getoption("spikelite_config")
    if option:
        return str(Path(option).resolve())
    ini = pytestconfig.getini("spikelite_config")
    if ini:
        return str((pytestconfig.rootpath / ini).resolve())
    if spikelite_namespaces:
        path = tmp_path_factory.mktemp("spikelite") / "aerospike.conf"
        path.write_text(render_namespaces(spikelite_namespaces), encoding="utf-8")
        return str(path)
    return None


def _drain(stream: IO[str] | None) -> None:
    """Keep reading a child's pipe so a chatty server never blocks on a full pipe."""
    if stream is None:
        return

    def run() -> None:
        try:
            for _ in iter(stream.readline, ""):
                pass
        except (OSError, ValueError):  # closed by stop()
            pass

    threading.Thread(target=run, name="spikelite-pipe", daemon=True).start()


@pytest.fixture(scope="session")
def spikelite_server(pytestconfig: pytest.Config, spikelite_config: str | None) -> Iterator[Endpoint]:
    """spikelite as a child process for the whole session, or the ``--aerospike-hosts`` cluster."""
    hosts = _external_hosts(pytestconfig)
    if hosts is not None:
        yield Endpoint(hosts=hosts, spawned=False)
        return
    try:
        server = spikelite.spawn(spikelite_config)
    except (RuntimeError, TimeoutError) as exc:
        pytest.fail(f"spikelite did not start (config {spikelite_config or 'default'}): {exc}", pytrace=False)
    _drain(server.process.stdout)
    _drain(server.process.stderr)
    try:
        yield Endpoint(hosts=tuple(server.hosts), spawned=True, config_path=spikelite_config)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def aerospike_client_config(spikelite_server: Endpoint) -> dict[str, Any]:
    """The config of ``aerospike_client``; override it to add policies, user and password..."""
    return {"hosts": list(spikelite_server.hosts)}


@pytest.fixture(scope="session")
def aerospike_client(aerospike_client_config: dict[str, Any]) -> Iterator[Any]:
    """One connected ``aerospike`` client for the session (purespike or the official one)."""
    try:
        import aerospike
    except ImportError:
        pytest.fail("aerospike_client needs an `aerospike` module: pip install purespike (or aerospike)",
                    pytrace=False)
    client = aerospike.client(aerospike_client_config)
    if not client.is_connected():  # clients before 14.x connect on connect()
        client.connect()
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def aerospike_cleanup(request: pytest.FixtureRequest, aerospike_client: Any) -> Iterator[SetTracker]:
    """A :class:`SetTracker`; every set it tracked is truncated when the test ends."""
    tracker = SetTracker(request.node.name)
    yield tracker
    for namespace, set_name in tracker.sets:
        aerospike_client.truncate(namespace, set_name, 0)
