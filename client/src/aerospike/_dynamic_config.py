"""The dynamic configuration file (``aerospike.ConfigProvider``, ``AEROSPIKE_CLIENT_CONFIG_URL``).

`read_file` reads the YAML file the official (C) client reads and checks each field as it does
(same messages: ``Invalid uint max_retries: abc``, ``Invalid replica: X``...). The result,
`FileConfig`, holds the policy fields per purespike policy kind (`overrides`, which beat both the
client's policies and a call's), the client settings, the metrics settings and, when the file is
read at client creation, the static settings (``config_interval``, connection limits). A file whose
``version`` is not ``1.0.0`` is read anyway, with a warning.
"""

from __future__ import annotations

import os

from ._logging import log
from ._yaml_subset import YamlError, parse


ENV_VAR = "AEROSPIKE_CLIENT_CONFIG_URL"
FILE_VERSION = "1.0.0"
_UINT32_MAX = (1 << 32) - 1

_READ_MODE_AP = {"ONE": 0, "ALL": 1}
_READ_MODE_SC = {"SESSION": 0, "LINEARIZE": 1, "ALLOW_REPLICA": 2, "ALLOW_UNAVAILABLE": 3}
_REPLICA = {"MASTER": 0, "MASTER_PROLES": 1, "SEQUENCE": 2, "PREFER_RACK": 3, "RANDOM": 4}
_DURATION = {"LONG": 0, "SHORT": 1, "LONG_RELAX_AP": 2}


class ConfigFileError(Exception):
    """The file could not be opened or read; the message is the official client's."""


def config_path(provider) -> str | None:
    """The file to read: the environment variable (a path or a file:// URL) before the config's
    ConfigProvider, as the official client."""
    url = os.environ.get(ENV_VAR)
    if url:
        return url[7:] if url.startswith("file://") else url
    return provider.path if provider is not None else None


def _strtoul(text: str) -> int | None:
    """C's strtoul: leading blanks, a sign, the leading digits (the rest is ignored); None when
    there are no digits or the value overflows an unsigned long. A negative value wraps."""
    body = text.lstrip()
    negative = body[:1] == "-"
    if body[:1] in "+-" and body:
        body = body[1:]
    digits = len(body) - len(body.lstrip("0123456789"))
    if not digits:
        return None
    number = int(body[:digits])
    if number >= 1 << 64:
        return None
    return (-number) % (1 << 64) if negative else number


def _uint(name: str, value, low: int = 0, high: int = _UINT32_MAX) -> int:
    text = value if isinstance(value, str) else ""
    number = _strtoul(text)
    if number is None:
        raise ConfigFileError("Invalid uint %s: %s" % (name, text))
    if not low <= number <= high:
        raise ConfigFileError("Invalid uint %s: %s. valid range: %d - %d" % (name, text, low, high))
    return number


def _uint8(name: str, value) -> int:
    text = value if isinstance(value, str) else ""
    number = _strtoul(text)
    if number is None or number > 255:
        raise ConfigFileError("Invalid uint8 %s: %s" % (name, text))
    return number


def _bool(name: str, value) -> bool:
    if value == "true":
        return True
    if value == "false":
        return False
    raise ConfigFileError("Invalid bool %s: %s" % (name, value if isinstance(value, str) else ""))


def _choice(table: dict, name: str, value) -> int:
    if isinstance(value, str) and value in table:
        return table[value]
    raise ConfigFileError("Invalid %s: %s" % (name, value if isinstance(value, str) else ""))


def _timeout_delay(name: str, value) -> int:
    number = _uint(name, value)
    if 0 < number < 1000:
        raise ConfigFileError("Invalid %s: %s. valid values are 0 or >= 1000" % (name, value))
    return number


#: Fields every command section has: file name -> (purespike policy key, parser).
_COMMON = {
    "connect_timeout": ("connect_timeout", _uint),
    "socket_timeout": ("socket_timeout", _uint),
    "total_timeout": ("total_timeout", _uint),
    "timeout_delay": ("timeout_delay", _timeout_delay),
    "max_retries": ("max_retries", _uint),
    "sleep_between_retries": ("sleep_between_retries", _uint),
    "replica": ("replica", lambda n, v: _choice(_REPLICA, n, v)),
}
_READ_MODES = {
    "read_mode_ap": ("read_mode_ap", lambda n, v: _choice(_READ_MODE_AP, n, v)),
    "read_mode_sc": ("read_mode_sc", lambda n, v: _choice(_READ_MODE_SC, n, v)),
}
_BATCH = dict(_COMMON, **_READ_MODES, **{
    "max_concurrent_threads": ("concurrent", lambda n, v: _uint(n, v) != 1),
    "allow_inline": ("allow_inline", _bool),
    "allow_inline_ssd": ("allow_inline_ssd", _bool),
    "respond_all_keys": ("respond_all_keys", _bool),
})
_ROW_WRITE = {"durable_delete": ("durable_delete", _bool), "send_key": ("key", _bool)}

#: Section -> (its fields, the purespike policy kinds they go to). A field in several kinds lists
#: the kinds its value goes to: the file's write policy covers write, operate, apply and remove, its
#: read modes read and operate, its batch_write shared fields the batch parent.
_SECTIONS = {
    "read": (dict(_COMMON, **_READ_MODES), {"*": ("read",), "read_mode_ap": ("read", "operate"),
                                            "read_mode_sc": ("read", "operate")}),
    "write": (dict(_COMMON, **_ROW_WRITE), {"*": ("write", "operate", "apply", "remove")}),
    "query": (dict(_COMMON, info_timeout=("info_timeout", _uint),
                   expected_duration=("expected_duration", lambda n, v: _choice(_DURATION, n, v)),
                   include_bin_data=("include_bin_data", _bool)), {"*": ("query",)}),
    "scan": (dict(_COMMON, concurrent_nodes=("concurrent_nodes", _bool),
                  max_concurrent_nodes=("max_concurrent_nodes", _uint)), {"*": ("scan",)}),
    "batch_read": (_BATCH, {"*": ("batch",)}),
    "batch_write": (dict(_BATCH, **_ROW_WRITE), {"*": ("batch_parent_write",), "durable_delete": ("batch_write",),
                                                 "send_key": ("batch_write",)}),
    "batch_udf": (_ROW_WRITE, {"*": ("batch_apply",)}),
    "batch_delete": (_ROW_WRITE, {"*": ("batch_remove",)}),
    "txn_verify": (_BATCH, {"*": ()}),
    "txn_roll": (_BATCH, {"*": ()}),
}
#: Fields the C client reads but does not use.
_IGNORED = {"fail_on_filtered_out", "record_queue_size"}

_CLIENT_DYNAMIC = {
    "app_id": str, "timeout": _uint, "max_error_rate": _uint, "error_rate_window": _uint, "login_timeout": _uint,
    "max_socket_idle": _uint, "tend_interval": _uint, "fail_if_not_connected": _bool,
    "use_service_alternative": _bool, "rack_aware": _bool,
}
_CLIENT_STATIC = {"config_interval", "max_connections_per_node", "min_connections_per_node",
                  "async_max_connections_per_node", "async_min_connections_per_node"}


class FileConfig:
    def __init__(self) -> None:
        self.version = FILE_VERSION
        self.overrides: dict[str, dict] = {}
        self.client: dict = {}
        self.static: dict = {}
        self.metrics: dict = {}


def _section(name, body) -> dict:
    if body == "":
        return {}
    if not isinstance(body, dict):
        raise ConfigFileError("Unexpected value for section %s" % name)
    return body


def read_file(path: str, init: bool) -> FileConfig:
    """Read and check the file; `init` (at client creation) also reads its static section."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        raise ConfigFileError("Failed to open: %s" % path) from None
    try:
        return _interpret(parse(text), init)
    except (YamlError, ConfigFileError) as exc:
        raise ConfigFileError("Failed to parse: %s\n%s" % (path, exc)) from None


def _interpret(document, init: bool) -> FileConfig:
    result = FileConfig()
    if document is None:
        return result
    if not isinstance(document, dict):
        raise ConfigFileError("Expected a mapping at the top of the file")
    for name, body in document.items():
        if name == "version":
            result.version = body if isinstance(body, str) else ""
            if result.version != FILE_VERSION:
                log(1, "Unexpected dynamic config file version: %s expected: %s" % (result.version, FILE_VERSION,))
        elif name == "static":
            if init:
                for section, fields in _section(name, body).items():
                    if section != "client":
                        log(2, "Unexpected section: %s" % (section,))
                        continue
                    for field, value in _section(section, fields).items():
                        if field in _CLIENT_STATIC:
                            result.static[field] = _uint(field, value)
                        else:
                            log(2, "Unexpected field: client.%s" % (field,))
        elif name == "dynamic":
            for section, fields in _section(name, body).items():
                _dynamic_section(result, section, _section(section, fields))
        else:
            log(2, "Unexpected section: %s" % (name,))
    return result


def _dynamic_section(result: FileConfig, section: str, fields: dict) -> None:
    if section == "client":
        for field, value in fields.items():
            if field == "rack_ids":
                values = value if isinstance(value, list) else [value]
                result.client["rack_ids"] = [_int32(field, v) for v in values]
            elif field in _CLIENT_DYNAMIC:
                parser = _CLIENT_DYNAMIC[field]
                result.client[field] = value if parser is str else parser(field, value)
            else:
                log(2, "Unexpected field: client.%s" % (field,))
        return
    if section == "metrics":
        for field, value in fields.items():
            if field == "enable":
                result.metrics["enable"] = _bool(field, value)
            elif field in ("latency_columns", "latency_shift"):
                result.metrics[field] = _uint8(field, value)
            elif field == "labels":
                result.metrics["labels"] = [(str(k), str(v)) for k, v in _section(field, value).items()]
            else:
                log(2, "Unexpected field: metrics.%s" % (field,))
        return
    if section not in _SECTIONS:
        log(2, "Unexpected section: %s" % (section,))
        return
    known, targets = _SECTIONS[section]
    for field, value in fields.items():
        if field in _IGNORED:
            continue
        if field not in known:
            log(2, "Unexpected field: %s.%s" % (section, field,))
            continue
        key, parser = known[field]
        parsed = parser(field, value)
        if key == "key":
            if not parsed:
                continue  # send_key can only be switched on by the file
            parsed = 1  # aerospike.POLICY_KEY_SEND
        for kind in targets.get(field, targets["*"]):
            result.overrides.setdefault(kind, {})[key] = parsed


def _int32(name: str, value) -> int:
    text = value if isinstance(value, str) else ""
    try:
        return int(text.strip())
    except ValueError:
        raise ConfigFileError("Invalid int %s: %s" % (name, text)) from None


def file_signature(path: str):
    """What tells a changed file: its modification time and size (None if it cannot be read)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)
