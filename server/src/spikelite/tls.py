"""TLS on the service port: the `tls <name> { }` contexts and `tls-*` service settings of a real
aerospike.conf, and the server-side `ssl.SSLContext` built from them.

```
network {
    tls example.server {                # a named TLS context
        cert-file /etc/certs/server.pem
        key-file /etc/certs/server.key
        ca-file /etc/certs/ca.pem       # to verify client certificates (mutual TLS)
        protocols TLSv1.2 TLSv1.3       # default TLSv1.2, as on Aerospike
    }
    service {
        port 3000
        tls-port 4333                   # 0 picks a free port
        tls-name example.server         # the context above; clients check this name
        tls-authenticate-client false   # default any: clients must present a certificate
    }
}
```

The same protocol runs inside TLS. A handshake that fails (plain text on the TLS port, a client
certificate that does not verify) closes only that connection.
"""

from __future__ import annotations

import base64
import os
import socket
import ssl
from dataclasses import dataclass, field

from .config import ConfigError, integer

#: Settings of a `tls <name> { }` context and the attribute each sets.
_CONTEXT_SETTINGS = {"cert-file": "cert_file", "key-file": "key_file", "key-file-password": "key_file_password",
                     "ca-file": "ca_file", "ca-path": "ca_path", "cipher-suite": "cipher_suite",
                     "cert-blacklist": "cert_blacklist"}

#: `tls-*` settings of `network { service { } }`.
SERVICE_SETTINGS = {"tls-port", "tls-name", "tls-address", "tls-access-address", "tls-access-port",
                    "tls-alternate-access-address", "tls-alternate-access-port", "tls-authenticate-client"}

_PROTOCOLS = {"TLSv1": ssl.TLSVersion.TLSv1, "TLSv1.1": ssl.TLSVersion.TLSv1_1,
              "TLSv1.2": ssl.TLSVersion.TLSv1_2, "TLSv1.3": ssl.TLSVersion.TLSv1_3}


def parse_protocols(text: str) -> tuple[ssl.TLSVersion, ssl.TLSVersion]:
    """`TLSv1.2`, `TLSv1.2 TLSv1.3`, `all -TLSv1 -TLSv1.1`, `+TLSv1.3` ... -> (minimum, maximum).

    Python's ssl only knows a version range, so the versions asked for must be contiguous."""
    wanted: set[str] = set()
    for token in text.replace(",", " ").split():
        sign, name = (token[0], token[1:]) if token[0] in "+-" else ("+", token)
        if name == "all":
            names = set(_PROTOCOLS)
        elif name in _PROTOCOLS:
            names = {name}
        elif name == "SSLv3":
            names = set()  # long gone from OpenSSL; removing it is what configs usually do
        else:
            raise ValueError("unknown protocol %r (use TLSv1, TLSv1.1, TLSv1.2, TLSv1.3 or all)" % name)
        wanted = wanted | names if sign == "+" else wanted - names
    if not wanted:
        raise ValueError("no protocol left in %r" % text)
    order = list(_PROTOCOLS)
    indexes = sorted(order.index(name) for name in wanted)
    if indexes != list(range(indexes[0], indexes[-1] + 1)):
        raise ValueError("protocols %r are not a contiguous range of versions" % text)
    return _PROTOCOLS[order[indexes[0]]], _PROTOCOLS[order[indexes[-1]]]


def _secret(text: str) -> str:
    """A password value: literal, or `file:PATH`, `env:VAR`, `env-b64:VAR` as on Aerospike."""
    if text.startswith("file:"):
        with open(text[5:], encoding="utf-8") as f:
            return f.readline().rstrip("\r\n")
    if text.startswith("env:") or text.startswith("env-b64:"):
        var = text.split(":", 1)[1]
        if var not in os.environ:
            raise ValueError("environment variable %s is not set" % var)
        value = os.environ[var]
        return base64.b64decode(value).decode() if text.startswith("env-b64:") else value
    return text


@dataclass
class TlsContextConfig:
    """One `tls <name> { }` context."""
    name: str
    line: int
    cert_file: str | None = None
    key_file: str | None = None
    key_file_password: str | None = None
    ca_file: str | None = None
    ca_path: str | None = None
    protocols: tuple = (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2)
    cipher_suite: str | None = None
    cert_blacklist: str | None = None
    blacklisted: frozenset = frozenset()  # serial numbers (upper-case hex) of the cert-blacklist


@dataclass
class TlsServiceConfig:
    """TLS on the service port: where it listens, what it advertises, whom it admits."""
    name: str                        # tls-name: the context used, and the name clients verify
    context: TlsContextConfig
    port: int = 0
    addresses: list[str] = field(default_factory=list)   # tls-address (default: the service address)
    access_addresses: list[str] = field(default_factory=list)
    access_port: int | None = None
    alternate_access_addresses: list[str] = field(default_factory=list)
    alternate_access_port: int | None = None
    authenticate_client: list[str] = field(default_factory=list)  # [] = any (Aerospike's default)
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    @property
    def client_auth(self) -> bool:
        return self.authenticate_client != ["false"]

    def admits(self, peercert: dict | None) -> bool:
        """After the handshake: is this client certificate acceptable (names, blacklist)?"""
        if not self.client_auth:
            return True
        if not peercert:
            return False
        serial = str(peercert.get("serialNumber", "")).upper().lstrip("0")
        if serial and serial in self.context.blacklisted:
            return False
        names = [n for n in self.authenticate_client if n != "any"]
        if not names:
            return True
        present = {value for kind, value in peercert.get("subjectAltName", ()) if kind == "DNS"}
        present |= {value for rdn in peercert.get("subject", ()) for key, value in rdn if key == "commonName"}
        return any(name in present for name in names)


def _context(ctx, source: str) -> TlsContextConfig:
    if not ctx.arg:
        raise ConfigError("%s:%d: tls needs a name" % (source, ctx.line))
    tls = TlsContextConfig(ctx.arg, ctx.line)
    for name, values, lineno in ctx.settings:
        if name == "protocols":
            if not values:
                raise ConfigError("%s:%d: 'protocols' needs a value" % (source, lineno))
            try:
                tls.protocols = parse_protocols(" ".join(values))
            except ValueError as exc:
                raise ConfigError("%s:%d: protocols: %s" % (source, lineno, exc)) from None
        elif name in _CONTEXT_SETTINGS:
            if len(values) != 1:
                raise ConfigError("%s:%d: '%s' takes one value" % (source, lineno, name))
            setattr(tls, _CONTEXT_SETTINGS[name], values[0])
            if name == "cert-blacklist":
                try:
                    with open(values[0], encoding="utf-8") as f:
                        tls.blacklisted = frozenset(line.split()[0].upper().lstrip("0")
                                                    for line in f if line.split() and not line.startswith("#"))
                except OSError as exc:
                    raise ConfigError("%s:%d: cert-blacklist: %s" % (source, lineno, exc)) from None
        else:
            raise ConfigError("%s:%d: unknown setting '%s' in context 'tls'" % (source, lineno, name))
    if ctx.children:
        raise ConfigError("%s:%d: unknown context '%s' in tls" % (source, ctx.children[0].line, ctx.children[0].name))
    return tls


def _address(text: str) -> str:
    return "0.0.0.0" if text == "any" else text


def parse_service_tls(tls_contexts: list, settings: list, service_line: int, source: str) -> TlsServiceConfig | None:
    """The TLS part of `network`: the `tls` contexts and the service's `tls-*` settings.
    None when the service has no `tls-port` (no TLS listener, as on Aerospike)."""
    contexts: dict[str, TlsContextConfig] = {}
    for ctx in tls_contexts:
        tls = _context(ctx, source)
        if tls.name in contexts:
            raise ConfigError("%s:%d: tls '%s' defined twice" % (source, ctx.line, tls.name))
        contexts[tls.name] = tls
    values: dict[str, list[tuple[list[str], int]]] = {}
    for name, vals, lineno in settings:
        if len(vals) != 1:
            raise ConfigError("%s:%d: '%s' takes one value" % (source, lineno, name))
        values.setdefault(name, []).append((vals, lineno))

    def one(name: str, convert=str):
        if name not in values:
            return None
        (text,), lineno = values[name][-1]
        try:
            return convert(text)
        except ValueError as exc:
            raise ConfigError("%s:%d: %s: %s" % (source, lineno, name, exc)) from None

    def many(name: str, convert=str) -> list:
        return [convert(text) for (text,), _ in values.get(name, [])]

    port = one("tls-port", _port)
    if port is None:
        return None
    tls_name = one("tls-name")
    if tls_name is None:
        raise ConfigError("%s:%d: tls-port needs a tls-name naming a tls context" % (source, values["tls-port"][-1][1]))
    if tls_name == "<hostname>":
        tls_name = socket.gethostname()
    if tls_name not in contexts:
        raise ConfigError("%s:%d: tls-name %s: no 'tls %s { }' context in network"
                          % (source, values["tls-name"][-1][1], tls_name, tls_name))
    service = TlsServiceConfig(name=tls_name, context=contexts[tls_name], port=port,
                               addresses=many("tls-address", _address),
                               access_addresses=many("tls-access-address"),
                               access_port=one("tls-access-port", _port),
                               alternate_access_addresses=many("tls-alternate-access-address"),
                               alternate_access_port=one("tls-alternate-access-port", _port),
                               authenticate_client=many("tls-authenticate-client"))
    if "false" in service.authenticate_client and len(service.authenticate_client) > 1:
        raise ConfigError("%s:%d: tls-authenticate-client false cannot be combined with names"
                          % (source, values["tls-authenticate-client"][-1][1]))
    service.ssl_context = _ssl_context(service, source, service_line)
    return service


def _port(text: str) -> int:
    value = integer(text)
    if value > 65535:
        raise ValueError("%d is not a port" % value)
    return value


def _ssl_context(service: TlsServiceConfig, source: str, service_line: int) -> ssl.SSLContext:
    tls = service.context
    where = "%s:%d: tls %s" % (source, tls.line, tls.name)
    if not tls.cert_file or not tls.key_file:
        raise ConfigError("%s: the service port needs cert-file and key-file" % where)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version, context.maximum_version = tls.protocols
    try:
        password = _secret(tls.key_file_password) if tls.key_file_password else None
        context.load_cert_chain(tls.cert_file, tls.key_file, password)
    except (OSError, ValueError, ssl.SSLError) as exc:
        raise ConfigError("%s: cannot load cert-file/key-file: %s" % (where, exc)) from None
    if tls.ca_file or tls.ca_path:
        try:
            context.load_verify_locations(tls.ca_file, tls.ca_path)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError("%s: cannot load ca-file/ca-path: %s" % (where, exc)) from None
    if tls.cipher_suite:
        try:
            context.set_ciphers(tls.cipher_suite)
        except ssl.SSLError as exc:
            raise ConfigError("%s: cipher-suite: %s" % (where, exc)) from None
    if service.client_auth:
        if not (tls.ca_file or tls.ca_path):
            raise ConfigError("%s:%d: clients must present a certificate (tls-authenticate-client is any by "
                              "default) but tls %s has no ca-file or ca-path to verify it; add one, or set "
                              "tls-authenticate-client false" % (source, service_line, tls.name))
        context.verify_mode = ssl.CERT_REQUIRED
    return context
