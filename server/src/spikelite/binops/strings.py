"""String operations (server 8.2: wire op 17 STRING_READ / 18 STRING_MODIFY / 19 TO_STRING).

The payload is msgpack ``[command, args...]`` (a modify ends with its write flags), or with a
context ``[0xff, [ctx...], [command, args...]]`` reaching a string inside a list or map bin.
String arguments are msgpack strings with Aerospike's particle-type prefix byte.

Semantics, from the 8.2 documentation (the server source we can read stops at 8.1.2):

- text is UTF-8; indexes count codepoints, a negative one counts from the end, out-of-range ones
  are clamped to [0, length]; ``char_at`` outside the string is PARAMETER (index out of bounds);
- ``find``/``contains``/``starts_with``/``ends_with``/``replace``/``replace_all`` match canonically
  equivalent text (both sides NFC-normalised; ``find`` answers an index into the NFC form, and a
  replace that matched stores the NFC form);
- a bin (or context leaf) that is not a string: BIN_TYPE; a stored string that is not valid UTF-8:
  OP_NOT_APPLICABLE; a malformed payload, a bad argument or an invalid regex: PARAMETER;
  ``to_integer``/``to_double``/``b64_decode`` that cannot convert: OP_NOT_APPLICABLE;
- reads of a missing bin answer nothing; modifies that build text (insert, overwrite, concat,
  pad, repeat, append, prepend) create the bin from "", the others leave a missing bin alone;
  write flags: CREATE_ONLY (the bin must not exist, else BIN_EXISTS), UPDATE_ONLY (it must, else
  BIN_NOT_FOUND), NO_FAIL (those two refusals become no-ops); modifies answer nothing;
- regexes are ICU's, run on Python's ``re`` (flags CASE_INSENSITIVE, MULTILINE, DOTALL,
  UNIX_LINES, GLOBAL); a replacement refers to groups as ``$n`` and escapes with a backslash; a
  pattern that could backtrack badly (or any repeat on a long text) runs in a child process with
  a time limit, past which the op answers OP_NOT_APPLICABLE (the node's regex limit).
"""

from __future__ import annotations

import base64
import binascii
import math
import os
import pickle
import re
import select
import signal
import time
import unicodedata
from typing import Any, Callable

try:
    import re._parser as _sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse as _sre_parse  # type: ignore[no-redef]

from ..wire import AerospikeWireError, Op, OpType, ParticleType, ResultCode
from . import register
from .cdt import values as V

CONTEXT_EVAL = 0xff

# read commands
STRLEN, SUBSTR, CHAR_AT, FIND, CONTAINS, STARTS_WITH, ENDS_WITH, TO_INTEGER, TO_DOUBLE, BYTE_LENGTH, \
    IS_NUMERIC, IS_UPPER, IS_LOWER, TO_BLOB, SPLIT, B64_DECODE, REGEX_COMPARE = range(17)
# modify commands
INSERT, OVERWRITE, CONCAT, SNIP, REPLACE, REPLACE_ALL, UPPER, LOWER, CASE_FOLD, NORMALIZE_NFC, \
    TRIM_START, TRIM_END, TRIM, PAD_START, PAD_END, REPEAT, REGEX_REPLACE, APPEND, PREPEND = range(50, 69)

# write flags
CREATE_ONLY, UPDATE_ONLY, NO_FAIL = 0x01, 0x02, 0x04
# regex flags
RE_CASE_INSENSITIVE, RE_MULTILINE, RE_DOTALL, RE_UNIX_LINES, RE_GLOBAL = 1, 2, 4, 8, 16
# numeric types of is_numeric
NUM_ANY, NUM_INT, NUM_FLOAT = 0, 1, 2

#: The largest string a modify may build (the largest record a node accepts, 8 MiB).
MAX_RESULT_BYTES = 8 * 1024 * 1024

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1
_CREATING = frozenset({INSERT, OVERWRITE, CONCAT, PAD_START, PAD_END, REPEAT, APPEND, PREPEND})

#: command -> argument kinds: "i" integer, "s" string, "p" pair of strings, "l" list of strings;
#: a trailing "?" makes the last argument optional
_READ_ARGS = {STRLEN: "", SUBSTR: "ii?", CHAR_AT: "i", FIND: "si", CONTAINS: "s", STARTS_WITH: "s",
              ENDS_WITH: "s", TO_INTEGER: "", TO_DOUBLE: "", BYTE_LENGTH: "", IS_NUMERIC: "i", IS_UPPER: "",
              IS_LOWER: "", TO_BLOB: "", SPLIT: "s?", B64_DECODE: "", REGEX_COMPARE: "si"}
_MODIFY_ARGS = {INSERT: "is", OVERWRITE: "is", CONCAT: "l", SNIP: "ii", REPLACE: "p", REPLACE_ALL: "p",
                UPPER: "", LOWER: "", CASE_FOLD: "", NORMALIZE_NFC: "", TRIM_START: "", TRIM_END: "", TRIM: "",
                PAD_START: "is", PAD_END: "is", REPEAT: "i", REGEX_REPLACE: "pi", APPEND: "s", PREPEND: "s"}


def param(message: str) -> AerospikeWireError:
    return AerospikeWireError(ResultCode.PARAMETER, message)


def not_applicable(message: str) -> AerospikeWireError:
    return AerospikeWireError(ResultCode.OP_NOT_APPLICABLE, message)


# -- the payload ----------------------------------------------------------------------------------


def _argument(kind: str, value: Any) -> Any:
    if kind == "i":
        if isinstance(value, bool) or not isinstance(value, int):
            raise param("string op: integer argument expected")
        return value
    if kind == "s":
        return _text_argument(value)
    if kind == "p":
        if not isinstance(value, list) or len(value) != 2:
            raise param("string op: a pair of strings expected")
        return _text_argument(value[0]), _text_argument(value[1])
    if not isinstance(value, list):
        raise param("string op: a list of strings expected")
    return [_text_argument(v) for v in value]


def _text_argument(value: Any) -> str:
    if not isinstance(value, str) or isinstance(value, V.Geo):
        raise param("string op: string argument expected")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise param("string op: argument is not valid UTF-8") from None
    if "\0" in value:
        raise param("string op: argument holds a NUL")
    return value


def parse(data: bytes, modify: bool) -> tuple[int, list, int, list | None]:
    """(command, arguments, write flags, ctx items or None); PARAMETER when malformed."""
    reader = V.Reader(bytes(data))
    count = reader.array_header()
    if count == 0:
        raise param("string op: empty payload")
    command = reader.value()
    ctx = None
    if command == CONTEXT_EVAL and not isinstance(command, bool):
        if count != 3:
            raise param("string op: context payload needs [ctx, op]")
        ctx = V.parse_ctx(reader)
        count = reader.array_header()
        if count == 0:
            raise param("string op: empty op inside a context")
        command = reader.value()
    if isinstance(command, bool) or not isinstance(command, int):
        raise param("string op: command must be an integer")
    raw = [reader.value() for _ in range(count - 1)]
    if reader.pos != reader.end:
        raise param("string op: trailing bytes")
    table = _MODIFY_ARGS if modify else _READ_ARGS
    kinds = table.get(command)
    if kinds is None:
        raise param("string op: unknown %s command %d" % ("modify" if modify else "read", command))
    optional = kinds.endswith("?")
    kinds = kinds.rstrip("?")
    flags = 0
    if modify:
        # the write flags close the list; snip to the end comes without them (as the clients send it)
        if command == SNIP and len(raw) == 1:
            kinds = "i"
        elif raw:
            flags = raw.pop()
            if isinstance(flags, bool) or not isinstance(flags, int) or flags & ~(CREATE_ONLY | UPDATE_ONLY | NO_FAIL):
                raise param("string op: bad write flags")
            if flags & CREATE_ONLY and flags & UPDATE_ONLY:
                raise param("string op: CREATE_ONLY and UPDATE_ONLY together")
        else:
            raise param("string op: write flags missing")
    if not (len(raw) == len(kinds) or (optional and len(raw) == len(kinds) - 1)):
        raise param("string op: command %d takes %d arguments, got %d" % (command, len(kinds), len(raw)))
    args = [_argument(kind, value) for kind, value in zip(kinds, raw)]
    return command, args, flags, ctx


# -- the text -------------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """A stored string's text; OP_NOT_APPLICABLE when it is not valid UTF-8."""
    try:
        return bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        raise not_applicable("string bin is not valid UTF-8") from None


def clamp(index: int, length: int) -> int:
    if index < 0:
        index += length
    return min(max(index, 0), length)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _check_size(n_bytes: int) -> None:
    if n_bytes > MAX_RESULT_BYTES:
        raise AerospikeWireError(ResultCode.RECORD_TOO_BIG, "string op result too big")


_INT_RE = re.compile(r"[+-]?[0-9]+\Z")
_FLOAT_RE = re.compile(r"[+-]?[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?\Z")
_DOUBLE_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")


def is_numeric(text: str, numeric_type: int) -> bool:
    if numeric_type == NUM_INT:
        return _INT_RE.match(text) is not None
    if numeric_type == NUM_FLOAT:
        return _FLOAT_RE.match(text) is not None
    if numeric_type == NUM_ANY:
        return _INT_RE.match(text) is not None or _FLOAT_RE.match(text) is not None
    raise param("string op: unknown numeric type %d" % numeric_type)


def to_integer(text: str) -> int:
    if _INT_RE.match(text) is None:
        raise not_applicable("string is not an integer")
    value = int(text)
    if not _INT64_MIN <= value <= _INT64_MAX:
        raise not_applicable("integer out of range")
    return value


def to_double(text: str) -> float:
    if _DOUBLE_RE.match(text) is None:
        raise not_applicable("string is not a number")
    value = float(text)
    if not math.isfinite(value):
        raise not_applicable("number out of range")
    return value


def _regex(pattern: str, flags: int) -> re.Pattern:
    if flags & ~(RE_CASE_INSENSITIVE | RE_MULTILINE | RE_DOTALL | RE_UNIX_LINES | RE_GLOBAL):
        raise param("string op: unknown regex flags 0x%x" % flags)
    py = 0
    if flags & RE_CASE_INSENSITIVE:
        py |= re.IGNORECASE
    if flags & RE_MULTILINE:
        py |= re.MULTILINE
    if flags & RE_DOTALL:
        py |= re.DOTALL
    try:
        return re.compile(pattern, py)
    except (re.error, OverflowError, RecursionError):
        raise param("string op: invalid regex") from None


#: How long a regex that could backtrack badly may run (in a child process) before the op answers
#: OP_NOT_APPLICABLE, as a node's regex step limit (SUB_OPNOT_STRING_REGEX_LIMIT_EXCEEDED) does.
REGEX_TIME_LIMIT = 1.0
#: Text longer than this (codepoints) runs any regex with a repeat in a child process.
REGEX_INLINE_TEXT = 4096

_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def _regex_shape(pattern: str) -> tuple[bool, bool]:
    """(has a repeat, could backtrack exponentially: a repeat inside a repeat, an alternation
    inside a repeat, a back reference or a conditional group)."""
    try:
        parsed = _sre_parse.parse(pattern)
    except Exception:
        return True, True
    found = {"repeat": False, "risky": False}

    def walk(items, in_repeat: bool) -> None:
        for op, av in items:
            name = str(op)
            if name in _REPEATS:
                found["repeat"] = True
                _, high, body = av
                if in_repeat and high > 1:
                    found["risky"] = True
                walk(body, in_repeat or high > 1)
            elif name == "BRANCH":
                if in_repeat:
                    found["risky"] = True
                for branch in av[1]:
                    walk(branch, in_repeat)
            elif name == "SUBPATTERN":
                walk(av[-1], in_repeat)
            elif name in ("ASSERT", "ASSERT_NOT"):
                walk(av[1], in_repeat)
            elif name == "ATOMIC_GROUP":
                walk(av, in_repeat)
            elif name in ("GROUPREF", "GROUPREF_EXISTS", "GROUPREF_IGNORE", "GROUPREF_LOC_IGNORE",
                          "GROUPREF_UNI_IGNORE"):
                found["risky"] = True
    try:
        walk(parsed, False)
    except Exception:
        return True, True
    return found["repeat"], found["risky"]


def _limited(run: Callable[[], Any], pattern: str, text: str) -> Any:
    """``run()`` inline when the regex is harmless on this text, else in a forked child that is
    killed after REGEX_TIME_LIMIT (OP_NOT_APPLICABLE): a single-threaded server must not hang on a
    catastrophic pattern."""
    has_repeat, risky = _regex_shape(pattern)
    if not risky and not (has_repeat and len(text) > REGEX_INLINE_TEXT):
        return run()
    if not hasattr(os, "fork"):
        raise not_applicable("regex may exceed the time limit")
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send the pickled outcome, leave without cleanup
        try:
            os.close(read_fd)
            try:
                outcome = ("ok", run())
            except AerospikeWireError as exc:
                outcome = ("error", (exc.code, str(exc)))
            data = pickle.dumps(outcome)
            view = memoryview(data)
            while view:
                view = view[os.write(write_fd, view):]
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks = []
    deadline = time.monotonic() + REGEX_TIME_LIMIT
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_fd], [], [], left)[0]:
                timed_out = True
                break
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        if timed_out:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.waitpid(pid, 0)
    if timed_out or not chunks:
        raise not_applicable("regex exceeded the time limit")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "error":
        raise AerospikeWireError(value[0], value[1])
    return value


def _expand(replacement: str, match: re.Match) -> str:
    """An ICU replacement: ``$n`` (or ``${n}``) is group n, a backslash takes the next character."""
    out = []
    i, n = 0, len(replacement)
    while i < n:
        ch = replacement[i]
        if ch == "\\":
            if i + 1 >= n:
                raise param("string op: replacement ends with a backslash")
            out.append(replacement[i + 1])
            i += 2
        elif ch == "$":
            j = i + 1
            braced = j < n and replacement[j] == "{"
            if braced:
                j += 1
            k = j
            while k < n and replacement[k].isdigit() and replacement[k].isascii():
                k += 1
            if k == j or (braced and (k >= n or replacement[k] != "}")):
                raise param("string op: bad group reference in replacement")
            group = int(replacement[j:k])
            if group > (match.re.groups):
                raise param("string op: replacement names group %d" % group)
            out.append(match.group(group) or "")
            i = k + 1 if braced else k
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def find(text: str, needle: str, occurrence: int) -> int:
    if occurrence < 1:
        raise param("string op: occurrence must be 1 or more")
    text, needle = _nfc(text), _nfc(needle)
    pos = -1
    for _ in range(occurrence):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            return -1
    return pos


def read(command: int, args: list, text: str) -> Any:
    """The value of a read command on ``text``."""
    if command == STRLEN:
        return len(text)
    if command == SUBSTR:
        start = clamp(args[0], len(text))
        end = clamp(args[1], len(text)) if len(args) > 1 else len(text)
        return text[start:end] if end > start else ""
    if command == CHAR_AT:
        index = args[0] + len(text) if args[0] < 0 else args[0]
        if not 0 <= index < len(text):
            raise param("string op: index out of bounds")
        return text[index]
    if command == FIND:
        return find(text, args[0], args[1])
    if command == CONTAINS:
        return _nfc(args[0]) in _nfc(text)
    if command == STARTS_WITH:
        return _nfc(text).startswith(_nfc(args[0]))
    if command == ENDS_WITH:
        return _nfc(text).endswith(_nfc(args[0]))
    if command == TO_INTEGER:
        return to_integer(text)
    if command == TO_DOUBLE:
        return to_double(text)
    if command == BYTE_LENGTH:
        return len(text.encode("utf-8"))
    if command == IS_NUMERIC:
        return is_numeric(text, args[0])
    if command == IS_UPPER:
        return not any(ch.islower() for ch in text)
    if command == IS_LOWER:
        return not any(ch.isupper() for ch in text)
    if command == TO_BLOB:
        return V.Blob(text.encode("utf-8"), ParticleType.BLOB)
    if command == SPLIT:
        if not args:
            return list(text)
        if args[0] == "":
            raise param("string op: empty separator")
        return text.split(args[0])
    if command == B64_DECODE:
        try:
            return V.Blob(base64.b64decode(text.encode("ascii"), validate=True), ParticleType.BLOB)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise not_applicable("string is not base64") from None
    if command == REGEX_COMPARE:
        compiled = _regex(args[0], args[1])
        return _limited(lambda: compiled.search(text) is not None, args[0], text)
    raise param("string op: unknown read command %d" % command)


def _pad(text: str, target: int, pad: str, at_start: bool) -> str:
    missing = target - len(text)
    if missing <= 0:
        return text
    if pad == "":
        raise param("string op: empty pad string")
    _check_size(len(text.encode("utf-8")) + missing * 4)
    fill = (pad * (missing // len(pad) + 1))[:missing]
    return fill + text if at_start else text + fill


def modify(command: int, args: list, text: str) -> str:
    """The new text of a modify command on ``text``."""
    n = len(text)
    if command == INSERT:
        i = clamp(args[0], n)
        return text[:i] + args[1] + text[i:]
    if command == OVERWRITE:
        i = clamp(args[0], n)
        return text[:i] + args[1] + text[i + len(args[1]):]
    if command == CONCAT:
        return text + "".join(args[0])
    if command == SNIP:
        start = clamp(args[0], n)
        end = clamp(args[1], n) if len(args) > 1 else n
        return text[:start] + text[end:] if end > start else text
    if command in (REPLACE, REPLACE_ALL):
        needle, replacement = args[0]
        if needle == "":
            raise param("string op: empty needle")
        source, needle = _nfc(text), _nfc(needle)
        if needle not in source:
            return text
        if command == REPLACE_ALL:
            _check_size(len(source.encode("utf-8")) * max(1, len(replacement.encode("utf-8"))))
        return source.replace(needle, replacement, -1 if command == REPLACE_ALL else 1)
    if command == UPPER:
        return text.upper()
    if command == LOWER:
        return text.lower()
    if command == CASE_FOLD:
        return text.casefold()
    if command == NORMALIZE_NFC:
        return _nfc(text)
    if command == TRIM_START:
        return text.lstrip()
    if command == TRIM_END:
        return text.rstrip()
    if command == TRIM:
        return text.strip()
    if command in (PAD_START, PAD_END):
        return _pad(text, args[0], args[1], command == PAD_START)
    if command == REPEAT:
        count = args[0]
        if count < 0:
            raise param("string op: negative repeat count")
        _check_size(len(text.encode("utf-8")) * count)
        return text * count
    if command == REGEX_REPLACE:
        (pattern, replacement), flags = args
        compiled = _regex(pattern, flags)
        count = 0 if flags & RE_GLOBAL else 1
        return _limited(lambda: compiled.sub(lambda m: _expand(replacement, m), text, count=count), pattern, text)
    if command == APPEND:
        return text + args[0]
    if command == PREPEND:
        return args[0] + text
    raise param("string op: unknown modify command %d" % command)


# -- value to string (op 19) ----------------------------------------------------------------------


def to_string(particle_type: int, data: bytes) -> str:
    """The text of an integer, double, bool, string or blob value (BIN_TYPE for the others)."""
    from ..wire.particles import decode_float, decode_int
    if particle_type == ParticleType.INTEGER:
        return str(decode_int(data))
    if particle_type == ParticleType.FLOAT:
        value = decode_float(data)
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if particle_type == ParticleType.BOOL:
        return "true" if data and data[0] else "false"
    if particle_type in (ParticleType.STRING, ParticleType.BLOB):
        return decode(data)
    raise AerospikeWireError(ResultCode.BIN_TYPE, "to_string of particle type %d" % particle_type)


# -- the engine -----------------------------------------------------------------------------------


def _result(op: Op, value: Any) -> Op | None:
    particle = V.to_particle(value)
    if particle is None:
        return None
    return Op(op.op, particle[0], op.name, particle[1])


def _write_allowed(exists: bool, flags: int) -> bool:
    """False for a no-op refusal (NO_FAIL); raises the refusal otherwise."""
    if exists and flags & CREATE_ONLY:
        if flags & NO_FAIL:
            return False
        raise AerospikeWireError(ResultCode.BIN_EXISTS, "string bin exists (CREATE_ONLY)")
    if not exists and flags & UPDATE_ONLY:
        if flags & NO_FAIL:
            return False
        raise AerospikeWireError(ResultCode.BIN_NOT_FOUND, "string bin does not exist (UPDATE_ONLY)")
    return True


def apply(op: Op, bins: dict[str, tuple[int, bytes]]) -> Op | None:
    current = bins.get(op.name)
    if op.op == OpType.TO_STRING:
        if current is None:
            return None
        return _result(op, to_string(current[0], current[1]))
    is_modify = op.op == OpType.STRING_MODIFY
    command, args, flags, ctx = parse(op.value, is_modify)
    if ctx is not None:
        return _apply_in_context(op, bins, current, command, args, flags, ctx, is_modify)
    if current is None:
        if not is_modify:
            return None
        if not _write_allowed(False, flags) or command not in _CREATING:
            return None
        text = ""
    else:
        if current[0] != ParticleType.STRING:
            raise AerospikeWireError(ResultCode.BIN_TYPE, "bin is not a string")
        text = decode(current[1])
        if is_modify and not _write_allowed(True, flags):
            return None
    if not is_modify:
        return _result(op, read(command, args, text))
    new = modify(command, args, text)
    data = new.encode("utf-8")
    _check_size(len(data))
    bins[op.name] = (ParticleType.STRING, data)
    return None


def _apply_in_context(op: Op, bins, current, command: int, args: list, flags: int, ctx: list,
                      is_modify: bool) -> Op | None:
    if current is None:
        if not is_modify:
            return None
        root = V.MISSING
    elif current[0] not in (ParticleType.LIST, ParticleType.MAP):
        raise param("string op: context on a bin that is not a list or map")
    else:
        root = V.unpack(current[1])
    target = V.dig(root, ctx, is_modify)
    value = target.value
    exists = value is not V.MISSING
    if exists and (not isinstance(value, str) or isinstance(value, V.Geo)):
        raise AerospikeWireError(ResultCode.BIN_TYPE, "context element is not a string")
    text = ""
    if exists:
        try:
            text = value.encode("utf-8", "surrogateescape").decode("utf-8")
        except UnicodeError:
            raise not_applicable("string element is not valid UTF-8") from None
    if not is_modify:
        return _result(op, read(command, args, text)) if exists else None
    if not _write_allowed(exists, flags) or (not exists and command not in _CREATING):
        return None
    new = modify(command, args, text)
    _check_size(len(new.encode("utf-8")))
    target.set(new)
    if target.root is not V.MISSING:
        bins[op.name] = V.to_bin(target.root)
    return None


register([OpType.STRING_READ, OpType.STRING_MODIFY, OpType.TO_STRING], apply)
