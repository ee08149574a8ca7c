"""Runs the asyncio web service example (examples/aio_web_service.py) against the plugin's server:
HTTP requests in, aerospike.aio calls out. purespike only (the official client has no asyncio API)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

pytest.importorskip("aerospike.aio", reason="aerospike.aio is purespike's")

import aerospike.aio  # noqa: E402

from aio_web_service import NotesService, start  # noqa: E402
from spikelite_pytest import Endpoint, SetTracker  # noqa: E402


async def http(port: int, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    payload = b"" if body is None else json.dumps(body).encode()
    writer.write(("%s %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (method, path, len(payload))).encode()
                 + payload)
    await writer.drain()
    status_line = (await reader.readline()).decode()
    headers: dict[str, str] = {}
    while (line := (await reader.readline()).decode().strip()):
        name, _, value = line.partition(":")
        headers[name.lower()] = value.strip()
    data = await reader.readexactly(int(headers["content-length"]))
    writer.close()
    return int(status_line.split()[1]), json.loads(data) if data else None


def test_the_notes_service(spikelite_server: Endpoint, aerospike_cleanup: SetTracker) -> None:
    set_name = aerospike_cleanup.unique_set("test", prefix="aio_notes")

    async def scenario() -> list[tuple[int, Any]]:
        async with aerospike.aio.client({"hosts": list(spikelite_server.hosts)}) as client:
            server = await start(NotesService(client, set_name))
            port = server.sockets[0].getsockname()[1]
            async with server:
                seen = [await http(port, "GET", "/notes/1")]
                # many requests at once: one loop serves them all while the client awaits the node
                await asyncio.gather(*(http(port, "PUT", "/notes/%d" % i, {"text": "note %d" % i})
                                       for i in range(1, 21)))
                seen.append(await http(port, "GET", "/notes/3"))
                seen.append(await http(port, "PUT", "/notes/3", {"text": "edited"}))
                seen.append(await http(port, "GET", "/notes/3"))
                seen.append(await http(port, "DELETE", "/notes/4"))
                seen.append(await http(port, "DELETE", "/notes/4"))
                seen.append(await http(port, "PUT", "/notes/5", [1, 2]))
                status, notes = await http(port, "GET", "/notes")
                seen.append((status, sorted(int(k) for k in notes)))
                seen.append(await http(port, "POST", "/notes/5"))
            return seen

    seen = asyncio.run(scenario())
    assert seen == [
        (404, {"error": "no note 1"}),
        (200, {"note": {"text": "note 3"}, "version": 1}),
        (204, None),
        (200, {"note": {"text": "edited"}, "version": 2}),
        (204, None),
        (404, {"error": "no note 4"}),
        (400, {"error": "a note is a JSON object"}),
        (200, [i for i in range(1, 21) if i != 4]),
        (405, {"error": "GET, PUT or DELETE"}),
    ]
