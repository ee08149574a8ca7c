"""aerospike.aio: the purespike client's API as coroutines, for asyncio applications.

    import aerospike.aio

    client = await aerospike.aio.client({"hosts": [("127.0.0.1", 3000)]})
    key, meta, bins = await client.get(("test", "demo", 1))
    async for record in client.query("test", "demo").results():
        ...
    await client.close()

or ``async with aerospike.aio.client(config) as client: ...``. Every Client method of the sync
API that talks to the cluster is a coroutine here, with the same arguments, policies, return
values and exceptions; the rest (get_policies, get_nodes, query(), scan(), ...) are the sync
ones. Both APIs run the same commands (see docs/asyncio.md); only the way bytes move differs.
"""

from ._client import Client, Query, Scan, client

__all__ = ["Client", "Query", "Scan", "client"]
