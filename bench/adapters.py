"""Thin adapter giving aerospike-py (module ``aerospike_py``, Rust/PyO3) the worker's Api surface.

Its API mirrors the official client closely; the differences the worker meets are:
``client(config).connect()`` must be called, there is no ``scan`` (a query without a predicate
scans), ``batch_read`` returns a lazy handle whose ``len()`` counts the records, and list
operations live in ``aerospike_py.list_operations``.
"""

from __future__ import annotations

from workloads import NAMESPACE


class AerospikePyApi:
    name = "aerospike_py"
    library = "aerospike_py"

    def __init__(self, host: str, port: int):
        import aerospike_py
        from aerospike_py import list_operations, predicates

        self.module = aerospike_py
        self._list_operations = list_operations
        self._predicates = predicates
        policies = {
            "read": {"total_timeout": 5000},
            "write": {"total_timeout": 5000},
            "batch": {"total_timeout": 30000},
            "query": {"total_timeout": 120000},
        }
        try:
            self.client = aerospike_py.client({"hosts": [(host, port)], "policies": policies}).connect()
        except Exception:  # older releases may not take "policies" in the config
            self.client = aerospike_py.client({"hosts": [(host, port)]}).connect()

    def get(self, key):
        return self.client.get(key)

    def put(self, key, bins):
        self.client.put(key, bins)

    def list_append(self, key, bin_name, value):
        return self.client.operate(key, [self._list_operations.list_append(bin_name, value)])

    def batch_read(self, keys) -> int:
        return len(self.client.batch_read(keys))

    def scan(self, set_name) -> int:
        return len(self.client.query(NAMESPACE, set_name).results())

    def query_equals(self, set_name, bin_name, value) -> int:
        query = self.client.query(NAMESPACE, set_name)
        query.where(self._predicates.equals(bin_name, value))
        return len(query.results())

    def create_index(self, set_name, bin_name, index_name) -> None:
        self.client.index_integer_create(NAMESPACE, set_name, bin_name, index_name)

    def info_all(self, command: str):
        return self.client.info_all(command)

    def close(self) -> None:
        self.client.close()
