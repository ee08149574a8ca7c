"""Parsing `peers-*` and `replicas` info replies."""

from __future__ import annotations

import base64

PARTITIONS = 4096


class Peer:
    __slots__ = ("node_name", "tls_name", "hosts")

    def __init__(self, node_name: str, tls_name: str, hosts: list[tuple[str, int]]):
        self.node_name = node_name
        self.tls_name = tls_name
        self.hosts = hosts


def _split_top(text: str) -> list[str]:
    """Split on commas that are not inside brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _strip_brackets(text: str) -> str:
    text = text.strip()
    if not (text.startswith("[") and text.endswith("]")):
        raise ValueError("expected a bracketed list: %r" % text)
    return text[1:-1]


def parse_host(text: str, default_port: int) -> tuple[str, int]:
    """`addr`, `addr:port`, `[v6]` or `[v6]:port`."""
    text = text.strip()
    if text.startswith("["):
        end = text.index("]")
        addr, rest = text[1:end], text[end + 1:]
        return addr, int(rest[1:]) if rest.startswith(":") else default_port
    if text.count(":") == 1:
        addr, port = text.split(":")
        return addr, int(port)
    return text, default_port


def parse_peers(value: str) -> tuple[int, list[Peer]]:
    """`<gen>,<default port>,[[id,tls,[host,...]],...]` → (generation, peers)."""
    gen, port, rest = value.split(",", 2)
    default_port = int(port) if port else 3000
    peers = []
    inner = _strip_brackets(rest)
    if inner.strip():
        for item in _split_top(inner):
            fields = _split_top(_strip_brackets(item))
            if len(fields) != 3:
                raise ValueError("bad peer entry %r" % item)
            hosts_text = _strip_brackets(fields[2]) if fields[2].strip() else ""  # departed: [id,,]
            hosts = [parse_host(h, default_port) for h in _split_top(hosts_text)] if hosts_text.strip() else []
            peers.append(Peer(fields[0], fields[1], hosts))
    return int(gen), peers


def parse_replicas(value: str) -> dict[str, tuple[int, list[bytes]]]:
    """`ns:regime,n,b64,...;...` → {namespace: (regime, [bitmap per replica])}."""
    result = {}
    for entry in value.split(";"):
        if not entry:
            continue
        ns, _, rest = entry.partition(":")
        parts = rest.split(",")
        regime, count = int(parts[0]), int(parts[1])
        bitmaps = [base64.b64decode(b) for b in parts[2:2 + count]]
        if len(bitmaps) != count or any(len(b) != PARTITIONS // 8 for b in bitmaps):
            raise ValueError("bad replicas entry for namespace %r" % ns)
        result[ns] = (regime, bitmaps)
    return result
