"""Info commands that manage secondary indexes: sindex-create, -delete, -exists, -list, sindex/<ns>/<name>."""

from __future__ import annotations

from ..wire import ResultCode
from ..wire.info import command_params, error_value
from .ctx_display import display_context


_KTYPES = {"numeric": "numeric", "string": "string", "blob": "blob", "geo2dsphere": "geo2dsphere"}
_ITYPES = {"default": "default", "list": "list", "mapkeys": "mapkeys", "mapvalues": "mapvalues"}
MAX_INDEX_NAME = 63
MAX_SET_NAME = 63


def _check_context_and_expression(context, expression):
    """The error value for a `context=` or `exp=` the server cannot use, else None."""
    from ..store.sindex import parse_context, parse_expression
    from ..wire import AerospikeWireError
    try:
        if context:
            parse_context(context)
        if expression:
            parse_expression(expression)
    except AerospikeWireError as exc:
        what = "context" if context and not expression else "exp"
        return error_value(ResultCode.PARAMETER, "bad '%s': %s" % (what, exc))
    return None


class SindexCommands:
    def __init__(self, node):
        self.node = node

    def _target(self, line: str):
        params = command_params(line)
        ns_name = params.get("namespace", params.get("ns"))
        if not ns_name:
            return None, params, error_value(ResultCode.PARAMETER, "missing namespace")
        ns = self.node.namespaces.get(ns_name)
        if ns is None:
            return None, params, error_value(ResultCode.NAMESPACE_NOT_FOUND, "namespace not found")
        return ns, params, None

    def create(self, line: str) -> str:
        from ..store.sindex import IndexDefinition
        ns, params, err = self._target(line)
        if err:
            return err
        name = params.get("indexname")
        if not name:
            return error_value(ResultCode.PARAMETER, "missing indexname")
        if len(name.encode()) > MAX_INDEX_NAME:  # as a real node answers (not 205)
            return error_value(ResultCode.PARAMETER, "'indexname' value too long")
        if len((params.get("set") or "").encode()) > MAX_SET_NAME:
            return error_value(ResultCode.PARAMETER, "'set' value too long")
        bin_name, ktype = params.get("bin"), params.get("type")
        if "indexdata" in params:  # old form: indexdata=<bin>,<TYPE>
            bin_name, _, ktype = params["indexdata"].partition(",")
        ktype = _KTYPES.get((ktype or "").lower())
        itype = _ITYPES.get(params.get("indextype", "default").lower())
        if ktype is None or itype is None:
            return error_value(ResultCode.PARAMETER, "bad index type")
        expression = params.get("exp") or None
        context = params.get("context") or None
        if not bin_name and not expression:
            return error_value(ResultCode.PARAMETER, "missing bin")
        if expression and (bin_name or context):
            return error_value(ResultCode.PARAMETER, "'exp' is exclusive with 'bin' and 'context'")
        err = _check_context_and_expression(context, expression)
        if err:
            return err
        if bin_name and len(bin_name.encode()) > 15:
            return error_value(ResultCode.PARAMETER, "bin name too long")
        definition = IndexDefinition(name, params.get("set") or None, bin_name or None, ktype, itype,
                                     context, expression)
        existing = ns.indexes.get(name)
        if existing is not None:
            if existing.definition.same_target(definition):
                return "ok"
            return error_value(ResultCode.INDEX_FOUND, "'indexname' already exists with different definition")
        # as a real 8.1 node: the same definition under a new name renames the index (the old
        # name is dropped)
        for other in list(ns.indexes.values()):
            if other.definition.same_target(definition):
                ns.drop_index(other.definition.name)
        ns.create_index(definition)
        return "ok"

    def delete(self, line: str) -> str:
        ns, params, err = self._target(line)
        if err:
            return err
        ns.drop_index(params.get("indexname", ""))
        return "ok"

    def exists(self, line: str) -> str:
        ns, params, err = self._target(line)
        if err:
            return err
        return "true" if params.get("indexname") in ns.indexes else "false"

    @staticmethod
    def _describe(ns, index, b64: bool) -> str:
        """One sindex-list entry. Without b64=true a node shows the context as text; its
        expression text (as_exp_display) is not reproduced: spikelite shows the base64 form."""
        d = index.definition
        context = d.context if b64 or not d.context else display_context(d.context)
        return ("ns=%s:indexname=%s:set=%s:bin=%s:type=%s:indextype=%s:context=%s:exp=%s:state=RW"
                % (ns.name, d.name, d.set_name or "null", d.bin_name or "null", d.ktype, d.itype,
                   context or "null", d.expression or "null"))

    def list(self, line: str) -> str:
        params = command_params(line)
        b64 = params.get("b64") == "true"
        names = [params["ns"]] if params.get("ns") else list(self.node.namespaces)
        entries = [self._describe(ns, index, b64) for name in names
                   if (ns := self.node.namespaces.get(name)) for index in ns.indexes.values()]
        return ";".join(entries)

    def stats(self, line: str) -> str:
        """`sindex/<ns>/<name>` (deprecated form)."""
        parts = line.split("/")[1:]
        if len(parts) != 2:
            return self.list("sindex-list")
        return self._stat_of(self.node.namespaces.get(parts[0]), parts[1])

    def stat(self, line: str) -> str:
        """`sindex-stat:namespace=<ns>;indexname=<name>`: clients poll its load_pct after a create."""
        ns, params, err = self._target(line)
        if err:
            return err
        return self._stat_of(ns, params.get("indexname", ""))

    @staticmethod
    def _stat_of(ns, name: str) -> str:
        index = ns.indexes.get(name) if ns is not None else None
        if index is None:
            return error_value(ResultCode.INDEX_NOT_FOUND, "no index")
        return "entries=%d;used_bytes=0;load_pct=100;load_time=0;stat_gc_recs=0" % index.entries()

