"""Quickstart: the Aerospike Python API against spikelite, with no Aerospike cluster.

    ./dev demo                      # purespike, spikelite embedded in this process
    python examples/quickstart.py   # with whichever `aerospike` is installed

With purespike the client starts spikelite itself: `aerospike.client({"embedded": True})`.
With the official C client, spikelite runs as a child process (`spikelite.spawn()`), because some
C-client calls hold the GIL while they wait for the network.
Either way, moving to a real cluster means giving `{"hosts": [("10.0.0.1", 3000)]}` instead.
"""

import contextlib

import aerospike
from aerospike import exception as ex
from aerospike_helpers.operations import operations as op


@contextlib.contextmanager
def connected_client():
    if getattr(aerospike, "__purespike__", False):
        client = aerospike.client({"embedded": True})  # starts spikelite in-process
        try:
            yield client
        finally:
            client.close()  # also stops the embedded server
    else:
        import spikelite

        with spikelite.spawn() as server:  # `python -m spikelite --port 0` as a child
            client = aerospike.client({"hosts": server.hosts})
            try:
                yield client
            finally:
                client.close()


def main():
    which = "purespike" if getattr(aerospike, "__purespike__", False) else "the official client"
    print("client:", which)
    with connected_client() as client:
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


if __name__ == "__main__":
    main()
