"""A small asyncio web service on `aerospike.aio` (purespike's asyncio API), standard library only.

    python examples/aio_web_service.py --aerospike 127.0.0.1:3000 --port 8080
    curl -X PUT localhost:8080/notes/7 -d '{"text": "buy milk", "done": false}'
    curl localhost:8080/notes/7
    curl localhost:8080/notes            # every note (a scan, read with `async for`)
    curl -X DELETE localhost:8080/notes/7

Every request is a coroutine of one event loop; the client's calls are awaited, so a slow
answer of the cluster holds up nobody else. Without --aerospike it serves from a spikelite
embedded in the process (`{"embedded": True}`, the `embedded` extra).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

import aerospike.aio
from aerospike import exception as ex

NAMESPACE = "test"
SET = "notes"
STATUS_TEXT = {200: "OK", 204: "No Content", 400: "Bad Request", 404: "Not Found",
               405: "Method Not Allowed", 503: "Service Unavailable"}


class NotesService:
    """The application: notes stored as records of set `notes`, keyed by an integer id."""

    def __init__(self, client: aerospike.aio.Client, set_name: str = SET) -> None:
        self.client = client
        self.set_name = set_name

    async def handle(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        """(HTTP status, JSON-able reply) of one request."""
        parts = [part for part in path.split("/") if part]
        if parts == ["notes"] and method == "GET":
            notes = {}
            async for _, _, bins in self.client.scan(NAMESPACE, self.set_name).results():
                notes[str(bins["id"])] = bins["note"]
            return 200, notes
        if len(parts) != 2 or parts[0] != "notes" or not parts[1].isdigit():
            return 404, {"error": "no such resource"}
        key = (NAMESPACE, self.set_name, int(parts[1]))
        try:
            if method == "GET":
                _, meta, bins = await self.client.get(key)
                return 200, {"note": bins["note"], "version": meta["gen"]}
            if method == "PUT":
                note = json.loads(body or b"null")
                if not isinstance(note, dict):
                    return 400, {"error": "a note is a JSON object"}
                await self.client.put(key, {"id": int(parts[1]), "note": note})
                return 204, None
            if method == "DELETE":
                await self.client.remove(key)
                return 204, None
        except ex.RecordNotFound:
            return 404, {"error": "no note %s" % parts[1]}
        except ex.TimeoutError:
            return 503, {"error": "the cluster did not answer in time"}
        except ValueError:
            return 400, {"error": "the body is not JSON"}
        return 405, {"error": "GET, PUT or DELETE"}


async def serve_http(service: NotesService, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """One HTTP/1.1 request per connection (enough for an example; a real service would use an
    asyncio web framework and call the client the same way)."""
    try:
        request_line = (await reader.readline()).decode("latin-1").split()
        headers: dict[str, str] = {}
        while True:
            line = (await reader.readline()).decode("latin-1").strip()
            if not line:
                break
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
        if len(request_line) < 2:
            status, reply = 400, {"error": "bad request line"}
        else:
            status, reply = await service.handle(request_line[0].upper(), request_line[1], body)
        payload = b"" if reply is None else json.dumps(reply).encode()
        head = "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % (
            status, STATUS_TEXT.get(status, ""), len(payload))
        writer.write(head.encode("latin-1") + payload)
        await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


async def start(service: NotesService, host: str = "127.0.0.1", port: int = 0) -> asyncio.Server:
    """The HTTP server (listening already; port 0 picks a free one)."""
    async def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await serve_http(service, reader, writer)

    return await asyncio.start_server(on_connection, host, port)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--aerospike", help="HOST:PORT of a node (default: an embedded spikelite)")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    if args.aerospike:
        host, _, port = args.aerospike.rpartition(":")
        config: dict[str, Any] = {"hosts": [(host, int(port))]}
    else:
        config = {"embedded": True}
    async with aerospike.aio.client(config) as client:
        server = await start(NotesService(client), port=args.port)
        print("serving notes on http://127.0.0.1:%d/notes" % args.port)
        async with server:
            await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
