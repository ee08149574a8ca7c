"""The info protocol (proto type 1): newline-separated command lines, tab-separated replies."""

from __future__ import annotations

from .framing import ProtoType, frame


def parse_request(body: bytes) -> list[str]:
    """Command lines of an info request body (empty lines dropped)."""
    text = body.decode("utf-8", "replace")
    return [line for line in text.split("\n") if line]


def command_name(line: str) -> str:
    """The command name: the line up to its first ':' or '/' or ';'."""
    for i, ch in enumerate(line):
        if ch in ":/;":
            return line[:i]
    return line


def command_params(line: str) -> dict[str, str]:
    """`name:k1=v1;k2=v2` → {k1: v1, k2: v2} (keys lower-cased; a key without '=' maps to '')."""
    _, sep, rest = line.partition(":")
    params: dict[str, str] = {}
    if not sep:
        return params
    for item in rest.split(";"):
        if not item:
            continue
        key, _, value = item.partition("=")
        params[key.strip().lower()] = value
    return params


def build_reply(pairs: list[tuple[str, str]]) -> bytes:
    """A complete type-1 reply: one `line\\tvalue\\n` per request line."""
    body = "".join("%s\t%s\n" % (line, value) for line, value in pairs)
    return frame(ProtoType.INFO, body.encode())


def build_request(commands: list[str]) -> bytes:
    """A complete type-1 request asking for `commands`."""
    return frame(ProtoType.INFO, "".join(c + "\n" for c in commands).encode())


def parse_reply(body: bytes) -> dict[str, str]:
    """{request line: value} of an info reply body."""
    result: dict[str, str] = {}
    for line in body.decode("utf-8", "replace").split("\n"):
        if not line:
            continue
        name, _, value = line.partition("\t")
        result[name] = value
    return result


def error_value(code: int, message: str) -> str:
    """The server's error reply text: `ERROR:<code>:<message>` (code 1 is left out: `ERROR::msg`)."""
    return "ERROR:%s:%s" % ("" if code == 1 else code, message)
