"""Info commands that manage secondary and set indexes: sindex-create, -delete, -exists, -list,
-stat and sindex/<ns>/<name>, answered in a real 8.1.2 node's words and in its order of checks
(including the node's habit of going on after a bad index name in -delete/-exists/-stat)."""

from __future__ import annotations

from ..store.sindex import ITYPE_SET, IndexDefinition, parse_context, parse_expression
from ..wire import AerospikeWireError, ResultCode
from ..wire.info import command_params, error_value
from .ctx_display import display_context
from .exp_display import display_expression

_KTYPES = ("numeric", "string", "blob", "geo2dsphere")
_ITYPES = ("default", "list", "mapkeys", "mapvalues")
MAX_INDEX_NAME = 63
MAX_SET_NAME = 63
MAX_BIN_NAME = 15
#: Bytes a set index takes per record of its set (what sindex-stat reports as used_bytes).
SET_INDEX_BYTES_PER_RECORD = 16


class _Refused(Exception):
    """A check failed: `args[0]` is the whole answer."""


def _param(params: dict, name: str, limit: int | None, required: bool, code: int = ResultCode.PARAMETER):
    """A parameter as a node reads it: missing, empty or too long answer its error; an optional
    parameter that is absent is None."""
    value = params.get(name)
    if value is None:
        if required:
            raise _Refused(error_value(code, "missing '%s'" % name))
        return None
    if not value:
        raise _Refused(error_value(code, "missing '%s' value" % name))
    if limit is not None and len(value.encode()) > limit:
        raise _Refused(error_value(code, "'%s' value too long" % name))
    return value


def _namespace_name(params: dict) -> str:
    """`namespace=` (or `ns=`), checked as a node checks it (errors with code 20)."""
    given = {"namespace": params["namespace"]} if "namespace" in params else (
        {"namespace": params["ns"]} if "ns" in params else {})
    return _param(given, "namespace", 31, True, ResultCode.NAMESPACE_NOT_FOUND)


def _index_name_soft(params: dict) -> tuple[str, str]:
    """(index name, error text) for -delete/-exists/-stat: a node writes the error and goes on."""
    try:
        return _param(params, "indexname", MAX_INDEX_NAME, True), ""
    except _Refused as refused:
        return "", refused.args[0]


class SindexCommands:
    def __init__(self, node):
        self.node = node

    # -- create -----------------------------------------------------------------------------------

    def create(self, line: str) -> str:
        try:
            return self._create(command_params(line))
        except _Refused as refused:
            return refused.args[0]

    def _create(self, params: dict) -> str:
        name = _param(params, "indexname", MAX_INDEX_NAME, True)
        ns_name = _namespace_name(params)
        itype_text = params.get("indextype")
        if itype_text is not None and itype_text.lower() == ITYPE_SET:
            definition = self._set_index_definition(params, name, ns_name)
        else:
            definition = self._index_definition(params, name, itype_text)
        ns = self.node.namespaces.get(ns_name)
        if ns is None:
            return "ok"  # as a node: accepted, and dropped where it would be applied
        return self._apply(ns, definition)

    def _set_index_definition(self, params: dict, name: str, ns_name: str) -> IndexDefinition:
        for refused in ("context", "indexdata", "type", "bin", "exp"):
            if refused in params:
                raise _Refused(error_value(ResultCode.PARAMETER,
                                           "%s parameter is not supported for set index" % refused))
        set_name = _param(params, "set", MAX_SET_NAME, True)
        if ns_name not in self.node.namespaces:
            raise _Refused(error_value(ResultCode.PARAMETER, "namespace not found"))
        return IndexDefinition(name, set_name, None, "", ITYPE_SET)

    def _index_definition(self, params: dict, name: str, itype_text: str | None) -> IndexDefinition:
        set_name = _param(params, "set", MAX_SET_NAME, False)
        context = _param(params, "context", None, False)
        if context is not None:
            try:
                parse_context(context)
            except AerospikeWireError as exc:
                words = "invalid base64" if "base64" in str(exc) else "invalid cdt context"
                raise _Refused(error_value(ResultCode.PARAMETER, "'context' %s" % words)) from None
        itype = "default"
        if itype_text is not None:
            itype = _param(params, "indextype", None, False).lower()
            if itype not in _ITYPES:
                raise _Refused(error_value(ResultCode.PARAMETER, "bad 'indextype' - must be one of %s"
                                           % ", ".join("'%s'" % t for t in _ITYPES)))
        indexdata = _param(params, "indexdata", 63, False)
        ktype = _param(params, "type", None, False)
        if indexdata is None and ktype is None:
            raise _Refused(error_value(ResultCode.PARAMETER, "both 'indexdata' and 'type' are missing"))
        if indexdata is not None and ktype is not None:
            raise _Refused(error_value(ResultCode.PARAMETER, "both 'indexdata' and 'type' are specified"))
        expression = None
        if ktype is not None:
            ktype = ktype.lower()
            if ktype not in _KTYPES:
                raise _Refused(error_value(ResultCode.PARAMETER, "bad 'type' - must be one of %s"
                                           % ", ".join("'%s'" % t for t in _KTYPES)))
            bin_name = _param(params, "bin", MAX_BIN_NAME, False)
            expression = _param(params, "exp", None, False)
            if bin_name is not None and expression is not None:
                raise _Refused(error_value(ResultCode.PARAMETER, "both 'bin' and 'exp' are specified"))
            if bin_name is None and expression is None:
                raise _Refused(error_value(ResultCode.PARAMETER, "both 'bin' and 'exp' are missing"))
            if expression is not None:
                if context is not None:
                    raise _Refused(error_value(ResultCode.PARAMETER, "both 'context' and 'exp' are specified"))
                try:
                    parse_expression(expression)
                except AerospikeWireError:
                    raise _Refused(error_value(ResultCode.PARAMETER, "bad 'exp'")) from None
        else:
            bin_name, comma, ktype = indexdata.partition(",")
            if not comma:
                raise _Refused(error_value(ResultCode.PARAMETER, "'indexdata' missing bin type"))
            if not bin_name:
                raise _Refused(error_value(ResultCode.PARAMETER, "'indexdata' missing bin name"))
            if len(bin_name.encode()) > MAX_BIN_NAME:
                raise _Refused(error_value(ResultCode.PARAMETER, "'indexdata' bin name too long"))
            ktype = ktype.lower()
            if ktype not in _KTYPES:
                raise _Refused(error_value(ResultCode.PARAMETER, "bad 'indexdata' bin type - must be one of %s"
                                           % ", ".join("'%s'" % t for t in _KTYPES)))
        if itype == "mapkeys" and ktype == "geo2dsphere":
            raise _Refused(error_value(ResultCode.PARAMETER, "bad 'indexdata' bin type for 'indextype' "
                                       "'mapkeys' - must be one of 'numeric', 'string', 'blob'"))
        return IndexDefinition(name, set_name, bin_name, ktype, itype, context, expression)

    @staticmethod
    def _apply(ns, definition: IndexDefinition) -> str:
        """Create, keep, rename or refuse, by the (name, definition) pairs the namespace has."""
        existing = [d for d in _definitions(ns) if d.name == definition.name]
        if existing:
            if existing[0].same_target(definition):
                return "ok"
            return error_value(ResultCode.INDEX_FOUND, "'indexname' already exists with different definition")
        # the same definition under a new name renames the index (the old name is dropped)
        for other in _definitions(ns):
            if other.same_target(definition):
                ns.drop_index(other.name)
        if definition.itype == ITYPE_SET:
            ns.create_set_index(definition)
        else:
            ns.create_index(definition)
        return "ok"

    # -- delete, exists, stat ---------------------------------------------------------------------

    def _soft_target(self, line: str):
        """(namespace name, index name, the answer's prefix) of -delete/-exists/-stat."""
        params = command_params(line)
        name, prefix = _index_name_soft(params)
        return _namespace_name(params), name, prefix

    def delete(self, line: str) -> str:
        try:
            ns_name, name, prefix = self._soft_target(line)
        except _Refused as refused:
            return refused.args[0]
        ns = self.node.namespaces.get(ns_name)
        if ns is not None and name:
            ns.drop_index(name)
        return prefix + "ok"

    def _local_namespace(self, ns_name: str):
        ns = self.node.namespaces.get(ns_name)
        if ns is None:
            raise _Refused(error_value(ResultCode.NAMESPACE_NOT_FOUND, "namespace not found on node"))
        return ns

    def exists(self, line: str) -> str:
        try:
            ns_name, name, prefix = self._soft_target(line)
            ns = self._local_namespace(ns_name)
        except _Refused as refused:
            return refused.args[0]
        found = name in ns.indexes or name in ns.set_indexes
        return prefix + ("true" if found else "false")

    def stat(self, line: str) -> str:
        """`sindex-stat:namespace=<ns>;indexname=<name>`: clients poll its load_pct after a create."""
        try:
            ns_name, name, prefix = self._soft_target(line)
            ns = self._local_namespace(ns_name)
        except _Refused as refused:
            return refused.args[0]
        return prefix + _stat_of(ns, name)

    def stats(self, line: str) -> str:
        """`sindex/<ns>/<name>` (the deprecated form); `sindex` and `sindex/<ns>` list the
        secondary indexes (not the set indexes), as a node does."""
        parts = [part for part in line.split("/")[1:]]
        if len(parts) < 2 or not parts[1]:
            return self._list_indexes(parts[0] if parts and parts[0] else None, False)
        ns = self.node.namespaces.get(parts[0])
        if ns is None:
            return "ns_type=unknown"
        return _stat_of(ns, parts[1])

    # -- list -------------------------------------------------------------------------------------

    def list(self, line: str) -> str:
        """Secondary indexes, then set indexes; a node checks the namespace for each half."""
        params = command_params(line)
        try:
            ns_name = _namespace_name(params) if ("namespace" in params or "ns" in params) else None
            if ns_name is not None:
                self._local_namespace(ns_name)
        except _Refused as refused:
            return "%s;%s" % (refused.args[0], refused.args[0])
        b64_text = params.get("b64")
        first = None
        if b64_text is not None and b64_text not in ("true", "false"):
            first = error_value(ResultCode.PARAMETER, "bad b64")
        if first is None:
            first = self._list_indexes(ns_name, b64_text == "true")
        second = ";".join("ns=%s:indexname=%s:set=%s:indextype=set" % (ns.name, d.name, d.set_name)
                          for ns in self._namespaces(ns_name) for d in ns.set_indexes.values())
        return ";".join(part for part in (first, second) if part)

    def _namespaces(self, ns_name: str | None) -> list:
        if ns_name is None:
            return list(self.node.namespaces.values())
        return [self.node.namespaces[ns_name]]

    def _list_indexes(self, ns_name: str | None, b64: bool) -> str:
        if ns_name is not None and ns_name not in self.node.namespaces:
            return ""
        return ";".join(_describe(ns, index, b64) for ns in self._namespaces(ns_name)
                        for index in ns.indexes.values())


def _definitions(ns) -> list[IndexDefinition]:
    return [index.definition for index in ns.indexes.values()] + list(ns.set_indexes.values())


def _describe(ns, index, b64: bool) -> str:
    """One sindex-list entry. Without b64=true a node shows the context and the expression as
    text (an expression exp_display does not cover stays in base64)."""
    d = index.definition
    context = d.context if b64 or not d.context else display_context(d.context)
    expression = d.expression
    if expression and not b64:
        expression = display_expression(expression) or expression
    return ("ns=%s:indexname=%s:set=%s:bin=%s:type=%s:indextype=%s:context=%s:exp=%s:state=RW"
            % (ns.name, d.name, d.set_name or "null", d.bin_name or "null", d.ktype, d.itype,
               context or "null", expression or "null"))


def _stat_of(ns, name: str) -> str:
    index = ns.indexes.get(name)
    if index is not None:
        return ("entries=%d;used_bytes=0;entries_per_bval=0;entries_per_rec=0;load_pct=100;load_time=0;"
                "stat_gc_recs=0" % index.entries())
    set_index = ns.set_indexes.get(name)
    if set_index is not None:
        entries = ns.set_counts.get(set_index.set_name, 0)
        return "entries=%d;used_bytes=%d;load_pct=100" % (entries, entries * SET_INDEX_BYTES_PER_RECORD)
    return error_value(ResultCode.INDEX_NOT_FOUND, "no index")
