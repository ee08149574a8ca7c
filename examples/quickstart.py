"""Quickstart: the Aerospike Python API against spikelite, with no Aerospike cluster.

    ./dev demo                      # purespike, spikelite embedded in this process
    python examples/quickstart.py   # with whichever `aerospike` is installed
    python examples/quickstart.py --host 127.0.0.1:3000   # a running server (spikelite or real)

With purespike the client starts spikelite itself: `aerospike.client({"embedded": True})`.
With the official C client, spikelite runs as a child process (`spikelite.spawn()`), because some
C-client calls hold the GIL while they wait for the network.
Either way, moving to a real cluster means giving `{"hosts": [("10.0.0.1", 3000)]}` instead.
"""

import argparse
import contextlib
from collections.abc import Iterator
import os
import tempfile

import aerospike
from aerospike import exception as ex
from aerospike import predicates as p
from aerospike_helpers.operations import operations as op

UDF_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "quickstart_udf.lua")


@contextlib.contextmanager
def connected_client(host: str | None = None, lua_dir: str = ".") -> Iterator[aerospike.Client]:
    # lua.user_path: where the client keeps its copy of registered UDF modules
    config = {"lua": {"user_path": lua_dir}}
    if host:
        address, _, port = host.rpartition(":")
        client = aerospike.client(dict(config, hosts=[(address, int(port))])).connect()
        try:
            yield client
        finally:
            client.close()
    elif getattr(aerospike, "__purespike__", False):
        client = aerospike.client(dict(config, embedded=True))  # starts spikelite in-process
        try:
            yield client
        finally:
            client.close()  # also stops the embedded server
    else:
        import spikelite

        with spikelite.spawn() as server:  # `python -m spikelite --port 0` as a child
            client = aerospike.client(dict(config, hosts=server.hosts))
            try:
                yield client
            finally:
                client.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The aerospike API against spikelite (or any cluster).")
    parser.add_argument("--host", help="HOST:PORT of a running server (default: start spikelite)")
    args = parser.parse_args(argv)
    which = "purespike" if getattr(aerospike, "__purespike__", False) else "the official client"
    print("client:", which)
    with tempfile.TemporaryDirectory() as lua_dir, connected_client(args.host, lua_dir) as client:
        print("nodes:  ", client.get_node_names())
        # A key is (namespace, set, user key). By default spikelite serves namespace "test".
        key = ("test", "demo", "user:1")

        client.put(key, {"name": "Ada", "visits": 1, "tags": ["math"]})
        _, meta, bins = client.get(key)
        print("get     ->", bins, "| generation", meta["gen"])

        # Several operations on one record, applied atomically.
        _, meta, bins = client.operate(key, [op.increment("visits", 1), op.write("lang", "en"),
                                             op.read("visits")])
        print("operate ->", bins, "| generation", meta["gen"])

        _, _, bins = client.select(key, ["name", "lang"])
        print("select  ->", bins)

        client.remove(key)
        try:
            client.get(key)
        except ex.RecordNotFound:
            print("remove  -> record is gone")

        more_calls(client)


def more_calls(client: aerospike.Client) -> None:
    """Batch, secondary-index query, scan, a record UDF and an info command."""
    keys = [("test", "people", "user:%d" % i) for i in range(10)]
    for i, key in enumerate(keys):
        client.put(key, {"n": i, "team": "red" if i % 2 else "blue"})

    batch = client.batch_read(keys[:3])  # one request per node for many keys
    print("batch   ->", [br.record[2]["n"] for br in batch.batch_records if br.record])

    try:
        client.index_single_value_create("test", "people", "n", aerospike.INDEX_NUMERIC, "people_n_idx")
    except ex.IndexFoundError:
        pass  # left by an earlier run
    query = client.query("test", "people")
    query.where(p.between("n", 3, 5))
    print("query   ->", sorted(bins["n"] for _, _, bins in query.results()))

    scan = client.scan("test", "people")
    print("scan    ->", sum(1 for _ in scan.results()), "records")

    client.udf_put(UDF_FILE)
    print("udf     ->", client.apply(keys[0], "quickstart_udf", "add", ["n", 41]))

    replies = client.info_all("namespaces")  # {node name: (error, "namespaces\t<ns>;<ns>\n")}
    namespaces = {ns for _, reply in replies.values() for ns in reply.split("\t")[-1].strip().split(";")}
    print("info    -> namespaces:", ", ".join(sorted(namespaces)))

    client.index_remove("test", "people_n_idx")
    client.udf_remove("quickstart_udf.lua")
    for key in keys:
        client.remove(key)


if __name__ == "__main__":
    main()
