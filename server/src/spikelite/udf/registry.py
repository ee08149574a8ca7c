"""The UDF module registry and its info commands (udf-put, udf-get, udf-list, udf-remove).

Modules live in memory; with `mod-lua { user-path DIR }` in the config they are also written to
DIR as `<filename>` and loaded from it at start, as a real node keeps them. One registry is shared
by every node of a local cluster (a real cluster distributes modules through system metadata).
Replies follow the server's `udf_cask.c`, including its `error=...` form (not `ERROR:`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import threading
from pathlib import Path

from ..wire.info import command_params
from .lua_env import DEFAULT_USER_PATH, LuaError, ModuleState

log = logging.getLogger("spikelite.udf")

MAX_FILENAME = 127
MAX_CONTENT = 1024 * 1024


class UdfModule:
    __slots__ = ("filename", "source", "content64", "version")

    def __init__(self, filename: str, source: bytes, version: int):
        self.filename = filename
        self.source = source
        self.content64 = base64.b64encode(source).decode()
        self.version = version

    @property
    def name(self) -> str:
        """The module name UDF calls use: the filename without its extension."""
        return self.filename.split(".", 1)[0]

    def smd_hash(self) -> str:
        """SHA1 of the module's system-metadata value, as udf-list reports it."""
        value = json.dumps({"content64": self.content64, "type": "LUA", "name": self.filename})
        return hashlib.sha1(value.encode()).hexdigest()


class UdfRegistry:
    def __init__(self, user_path: str | None = None):
        self.user_path = user_path
        self.modules: dict[str, UdfModule] = {}     # filename -> module
        self._version = 0
        self._states: dict[str, ModuleState] = {}  # module name -> loaded state
        self.lock = threading.RLock()              # Lua states are used by one thread at a time
        if user_path:
            self._load_dir(Path(user_path))

    # -- storage ----------------------------------------------------------------------------------

    def _load_dir(self, path: Path) -> None:
        if not path.is_dir():
            return
        for entry in sorted(path.iterdir()):
            if entry.suffix == ".lua" and entry.is_file():
                source = entry.read_bytes()
                try:
                    self._validate(entry.name, source)
                except LuaError as exc:
                    log.warning("udf %s in %s does not load: %s", entry.name, path, exc.message)
                    continue
                self._store(entry.name, source, persist=False)

    def _store(self, filename: str, source: bytes, persist: bool = True) -> None:
        with self.lock:
            self._version += 1
            self.modules[filename] = UdfModule(filename, source, self._version)
            self._states.clear()  # modules may require each other: reload everything lazily
        if persist and self.user_path:
            os.makedirs(self.user_path, exist_ok=True)
            tmp = Path(self.user_path) / (".%s.tmp" % filename)
            tmp.write_bytes(source)
            os.replace(tmp, Path(self.user_path) / filename)

    def remove(self, filename: str) -> None:
        with self.lock:
            removed = self.modules.pop(filename, None)
            self._states.clear()
        # Only a registered module's own file: any other name (`../x`, a NUL) never reaches the disk.
        if self.user_path and removed is not None:
            try:
                os.remove(Path(self.user_path) / filename)
            except (FileNotFoundError, IsADirectoryError):
                pass

    def by_name(self, name: str) -> UdfModule | None:
        """The module a UDF call names ("mod" for "mod.lua")."""
        module = self.modules.get(name + ".lua")
        if module is not None:
            return module
        for module in self.modules.values():
            if module.name == name:
                return module
        return None

    def chunkname(self, name: str) -> str:
        return "@%s/%s.lua" % (self.user_path or DEFAULT_USER_PATH, name)

    def _validate(self, filename: str, source: bytes) -> None:
        name = filename.split(".", 1)[0]
        state = ModuleState(name, source, self.chunkname(name), self._source_of,
                            self.user_path or DEFAULT_USER_PATH)
        del state

    def _source_of(self, name: str) -> bytes | None:
        module = self.by_name(name)
        return module.source if module is not None else None

    def state(self, name: str) -> ModuleState | None:
        """The loaded Lua state of a module (None when not registered); raises LuaError."""
        module = self.by_name(name)
        if module is None:
            return None
        state = self._states.get(name)
        if state is None:
            state = ModuleState(name, module.source, self.chunkname(name), self._source_of,
                                self.user_path or DEFAULT_USER_PATH)
            self._states[name] = state
        return state

    # -- info commands ----------------------------------------------------------------------------

    def info_put(self, line: str) -> str:
        params = command_params(line)
        filename = params.get("filename")
        if not filename or len(filename) > MAX_FILENAME or "/" in filename or "\x00" in filename:
            return "error=invalid_filename"
        dot = filename.find(".")
        if dot <= 0 or dot == len(filename) - 1:
            return "error=invalid_filename"
        content_len = params.get("content-len")
        if content_len is None:
            return "error=invalid_content_len"
        udf_type = params.get("udf-type", "LUA")
        if udf_type != "LUA":
            return "error=invalid_udf_type"
        if not content_len.isdigit() or int(content_len) % 4 != 0:
            return "error=invalid_content_len"
        content = params.get("content")
        if content is None or len(content) != int(content_len):
            return "error=invalid_content"
        if len(content) // 4 * 3 > MAX_CONTENT:
            return "error=invalid_udf_content_len,>1M"
        try:
            source = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            return "error=invalid_base64_content"
        with self.lock:
            try:
                self._validate(filename, source)
            except LuaError as exc:
                file, line_no, message = _split_lua_error(exc.message, filename)
                return "error=compile_error;file=%s;line=%d;message=%s" % (
                    file, line_no, base64.b64encode(message.encode()).decode())
        self._store(filename, source)
        log.info("UDF module %s registered", filename)
        return "ok"

    def info_get(self, line: str) -> str:
        filename = command_params(line).get("filename")
        if not filename:
            return "error=invalid_filename"
        module = self.modules.get(filename)
        if module is None:
            return "error=not_found"
        if not module.source:
            return "error=empty"
        return "type=LUA;content=%s;" % module.content64

    def info_list(self, _line: str) -> str:
        return "".join("filename=%s,hash=%s,type=LUA;" % (m.filename, m.smd_hash())
                       for m in list(self.modules.values()))

    def info_remove(self, line: str) -> str:
        filename = command_params(line).get("filename")
        if filename is None:  # an empty name is "ok", as a node answers (nothing to remove)
            return "error=invalid_filename"
        self.remove(filename)
        return "ok"


def _split_lua_error(message: str, filename: str) -> tuple[str, int, str]:
    """(file, line, message) of a Lua load error "<chunk>:<line>: <text>", as mod-lua reports it."""
    text = message.split("\n", 1)[0]
    head, sep, rest = text.partition(".lua:")
    if sep:
        line_text, sep2, msg = rest.partition(": ")
        if sep2 and line_text.isdigit():
            return filename, int(line_text), msg
    return filename, 0, text[:256]
