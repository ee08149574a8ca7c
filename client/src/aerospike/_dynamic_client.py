"""A client's dynamic configuration: the file read at creation, watched while connected.

At creation the file (``AEROSPIKE_CLIENT_CONFIG_URL`` or the config's ``config_provider``) is read
with its static section: ``config_interval`` replaces the provider's interval, the client fields
replace the config's, the policy fields are laid over the client's policies and beat every call's
policy. A file that cannot be read is logged (ERROR) and the client goes on without it, as the
official client. While connected, every ``interval`` ms (counted in tends) a changed file is read
again (its static section ignored): the policy fields are recomputed from the client's own
policies, live client fields applied, and ``metrics.enable`` switches metrics on or off. Metrics
the file switched on or off cannot be switched the other way by ``enable_metrics`` /
``disable_metrics`` (a warning is logged instead).
"""

from __future__ import annotations

import weakref

from ._logging import log
from . import _metrics, exception
from ._config_provider import DEFAULT_INTERVAL_MS, ConfigProvider
from ._dynamic_config import ConfigFileError, FileConfig, config_path, file_signature, read_file
from ._errors import param_error
from ._policies import with_overrides


#: File client fields -> purespike config keys (and a unit conversion).
_CLIENT_KEYS = {
    "app_id": ("app_id", None), "timeout": ("connect_timeout", None), "max_error_rate": ("max_error_rate", None),
    "error_rate_window": ("error_rate_window", None), "login_timeout": ("login_timeout_ms", None),
    "max_socket_idle": ("max_socket_idle", None), "tend_interval": ("tend_interval", None),
    "fail_if_not_connected": ("fail_if_not_connected", None),
    "use_service_alternative": ("use_services_alternate", None), "rack_aware": ("rack_aware", None),
    "rack_ids": ("rack_ids", None),
}


class DynamicConfig:
    def __init__(self, path: str, interval: int) -> None:
        self.path = path
        self.interval = interval
        self.file = FileConfig()
        self.signature = None
        self._client_ref = None

    @classmethod
    def of(cls, config: dict) -> "DynamicConfig | None":
        """The dynamic configuration a client config asks for, or None."""
        provider = config.get("config_provider", None) if "config_provider" in config else None
        if "config_provider" in config and type(provider) is not ConfigProvider:
            raise param_error("config_provider must be an aerospike.ConfigProvider class instance. But a %s was "
                              "received instead" % type(provider).__name__)
        path = config_path(provider)
        if path is None:
            return None
        return cls(path, provider.interval if provider is not None else DEFAULT_INTERVAL_MS)

    @property
    def metrics(self) -> dict:
        return self.file.metrics

    # -- at creation -----------------------------------------------------------------------------

    def apply_at_creation(self, client) -> None:
        self.signature = file_signature(self.path)
        try:
            self.file = read_file(self.path, init=True)
        except ConfigFileError as exc:
            log(0, "%s" % (exc,))
            if str(exc).startswith("Failed to open"):
                log(1, "Failed to read: %s" % (self.path,))
            return
        static = self.file.static
        if "config_interval" in static:
            self.interval = static["config_interval"]
        if "max_connections_per_node" in static:
            client._config["max_conns_per_node"] = static["max_connections_per_node"]
        if "min_connections_per_node" in static:
            client._config["min_conns_per_node"] = static["min_connections_per_node"]
        for field, value in self.file.client.items():
            client._config[_CLIENT_KEYS[field][0]] = value
        client._policies = with_overrides(client._own_policies, self.file.overrides)

    def check_interval(self, cluster_config) -> None:
        tend_ms = int(round(cluster_config.tend_interval * 1000))
        if self.interval < tend_ms:
            raise exception.exception_for(-1, "Dynamic config interval %d must be greater or equal to the tend "
                                          "interval %d" % (self.interval, tend_ms))

    def start(self, client, cluster) -> None:
        """The client is connected: metrics if the file enables them, and the watch."""
        self._client_ref = weakref.ref(client)
        if self.metrics.get("enable") is True:
            settings = _metrics.Settings()
            self.merge_metrics(settings)
            try:
                _metrics.enable(cluster, settings)
            except exception.AerospikeError as exc:
                log(1, "Metrics error: %s" % (exc.msg,))
        every = max(1, self.interval // max(1, int(round(cluster.config.tend_interval * 1000))))
        cluster.after_tend = lambda: self._tended(cluster, every)

    def merge_metrics(self, settings) -> None:
        """The file's metrics fields beat an enable_metrics policy's."""
        for field in ("latency_columns", "latency_shift", "labels"):
            if field in self.metrics:
                setattr(settings, field, self.metrics[field])

    # -- while connected -------------------------------------------------------------------------

    def _tended(self, cluster, every: int) -> None:
        if cluster.tend_count % every:
            return
        signature = file_signature(self.path)
        if signature == self.signature:
            return
        self.signature = signature
        client = self._client_ref() if self._client_ref is not None else None
        if client is None:
            return
        try:
            update = read_file(self.path, init=False)
        except ConfigFileError as exc:
            log(1, "Dynamic configuration error: %s" % (exc,))
            return
        log(2, "Update dynamic config")
        was_enabled = self.metrics.get("enable")
        self.file = update
        client._policies = with_overrides(client._own_policies, update.overrides)
        config = cluster.config
        if "max_error_rate" in update.client:
            config.max_error_rate = update.client["max_error_rate"]
        if "error_rate_window" in update.client:
            config.error_rate_window = max(1, update.client["error_rate_window"])
        if "max_socket_idle" in update.client:
            config.max_socket_idle = update.client["max_socket_idle"]
        enable = update.metrics.get("enable")
        if enable is True and (was_enabled is not True or cluster.metrics_listener is None):
            settings = _metrics.Settings()
            self.merge_metrics(settings)
            try:
                _metrics.enable(cluster, settings)
            except exception.AerospikeError as exc:
                log(1, "Metrics error: %s" % (exc.msg,))
        elif enable is False and cluster.metrics_listener is not None:
            try:
                _metrics.disable(cluster)
            except exception.AerospikeError as exc:
                log(1, "Metrics error: %s" % (exc.msg,))
