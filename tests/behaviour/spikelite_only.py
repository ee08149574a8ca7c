"""The one list of behaviour tests that only spikelite can pass, each with its reason.

The real-node passes of ``./dev test`` (a real Aerospike CE 8.1.2 node, ``SPIKELITE_SERVER_KIND=
aerospike``) deselect these; every other behaviour test must pass on both servers with both clients.
A key is a test file, or a test file and a test name (``file.py::test_name``, matching every
parametrization), or one parametrized case (``file.py::test_name[id]``).
"""

SPIKELITE_ONLY = {
    "test_admin.py": "security (user and role administration): Community Edition has no security (52)",
    "test_security.py": "security (login, privileges): Community Edition has no security (52)",
    "test_tls.py": "TLS: Community Edition has no TLS",
    "test_persistence.py": "spikelite's storage-engine device (restarts of a spikelite child)",
    "test_cluster_routing.py": "spikelite's own local cluster (the real cluster pass is tests/realcluster)",
    "test_port_mapping.py": "spikelite's own local cluster behind forwarded ports",
    "test_background_query.py::test_background_ops_run_once_per_record_in_a_cluster":
        "spikelite's own local cluster",
    "test_remove_touch.py::test_remove_policies_are_accepted[durable_delete]":
        "durable delete is Enterprise only: Community Edition answers 25",
    "test_transactions.py": "transactions need strong consistency, an Enterprise feature",
    "test_string_ops.py": "string operations need server 8.2; the real node here is 8.1.2",
    "test_argument_details.py::test_udf_get_of_an_empty_name_asks_for_a_module_named_dot":
        "the CE 8.1.2 node crashes (CRITICAL malloc of 2^63-1 bytes) on the 'udf-get:filename=.;' "
        "that the official client sends for an empty name",
    "test_udf.py::test_sandbox_hides_dangerous_globals":
        "spikelite's Lua sandbox is stricter than mod-lua on purpose (no os.execute, io, ...)",
}


def reason_for(nodeid: str):
    """The reason a test is spikelite-only, or None. `nodeid` is pytest's, e.g.
    ``tests/behaviour/test_tls.py::test_x[a]``."""
    path, _, name = nodeid.partition("::")
    filename = path.rsplit("/", 1)[-1]
    for key in (filename, f"{filename}::{name.split('[', 1)[0]}", f"{filename}::{name}"):
        if key in SPIKELITE_ONLY:
            return SPIKELITE_ONLY[key]
    return None
