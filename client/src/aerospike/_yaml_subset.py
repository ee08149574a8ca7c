"""The part of YAML the dynamic configuration file uses, read without a YAML library.

The official client reads the file with libyaml and takes from it nested block mappings of plain
or quoted scalars, and lists of scalars (``rack_ids``). This reader takes exactly that: ``key:
value`` and ``key:`` followed by a more indented block, ``- item`` lists, ``[a, b]`` flow lists,
``'...'`` / ``"..."`` quoting, ``#`` comments, and a leading ``---`` / trailing ``...``. Anything
else (tabs for indentation, flow mappings, anchors, multi-line scalars) is a `YamlError`, as a
document the official client's schema has no place for. Every value stays a string.
"""

from __future__ import annotations


class YamlError(ValueError):
    pass


def _strip_comment(line: str) -> str:
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line


def _scalar(text: str, lineno: int) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        body = text[1:-1]
        return body.replace("''", "'") if text[0] == "'" else body.replace('\\"', '"').replace("\\\\", "\\")
    if text[:1] in ("&", "*", "!", "|", ">", "{", "%", "@", "`"):
        raise YamlError("line %d: unsupported YAML: %s" % (lineno, text))
    return text


def _value(text: str, lineno: int):
    text = text.strip()
    if text.startswith("["):
        if not text.endswith("]"):
            raise YamlError("line %d: unterminated flow sequence" % lineno)
        inner = text[1:-1].strip()
        return [_scalar(part, lineno) for part in inner.split(",")] if inner else []
    return _scalar(text, lineno)


def _split_key(text: str, lineno: int) -> tuple[str, str]:
    quote = None
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == ":" and (i + 1 == len(text) or text[i + 1] == " "):
            return _scalar(text[:i], lineno), text[i + 1:]
    raise YamlError("line %d: expected 'key: value', got %r" % (lineno, text))


def parse(text: str):
    """The document as nested dicts (insertion-ordered), lists and strings; None when empty."""
    lines = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        body = _strip_comment(raw).rstrip()
        if not body.strip() or body.strip() in ("---", "..."):
            continue
        indent = len(body) - len(body.lstrip(" "))
        if body[indent:indent + 1] == "\t":
            raise YamlError("line %d: tabs are not allowed for indentation" % lineno)
        lines.append((indent, body.strip(), lineno))
    if not lines:
        return None
    value, pos = _block(lines, 0, lines[0][0])
    if pos != len(lines):
        raise YamlError("line %d: unexpected indentation" % lines[pos][2])
    return value


def _block(lines: list, pos: int, indent: int):
    if lines[pos][1].startswith("- ") or lines[pos][1] == "-":
        items = []
        while pos < len(lines) and lines[pos][0] == indent and (lines[pos][1] == "-" or lines[pos][1].startswith("- ")):
            content, lineno = lines[pos][1][1:].strip(), lines[pos][2]
            if not content:
                raise YamlError("line %d: nested sequences are not supported" % lineno)
            items.append(_value(content, lineno))
            pos += 1
        return items, pos
    mapping: dict = {}
    while pos < len(lines) and lines[pos][0] == indent:
        _, content, lineno = lines[pos]
        key, rest = _split_key(content, lineno)
        if key in mapping:
            raise YamlError("line %d: duplicate key %r" % (lineno, key))
        pos += 1
        if rest.strip():
            mapping[key] = _value(rest, lineno)
        elif pos < len(lines) and (lines[pos][0] > indent or lines[pos][0] == indent and lines[pos][1].startswith("-")):
            mapping[key], pos = _block(lines, pos, lines[pos][0])
        else:
            mapping[key] = ""
    if pos < len(lines) and lines[pos][0] > indent:
        raise YamlError("line %d: unexpected indentation" % lines[pos][2])
    return mapping, pos
