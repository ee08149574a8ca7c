"""Argument binding in the manner of the C extension: one parser for every public callable.

The official client's functions are C functions that bind their arguments with CPython's
``PyArg_ParseTupleAndKeywords`` (a format such as ``"O|O:get"`` and a keyword list),
``PyArg_ParseTuple``, or take none at all. A missing, extra, duplicated or unknown
argument raises TypeError worded by CPython (``get() missing required argument 'key'
(pos 1)``, ``'x' is an invalid keyword argument for get()``, ...), and a few formats
convert their argument first (``s``: str, ``K``/``l``/``i``: int, ``p``: truth value).

`SIGNATURES` lists, per class, how each official method binds its arguments; `bind_methods`
wraps a class's methods with those rules, so the Python signatures of purespike's methods
only need to keep the official parameter order. `parse_keywords` is the binder itself
(also used by the module-level functions and the GeoJSON methods).
"""

from __future__ import annotations

import functools
import inspect
import operator

MISSING = object()

_INT_MIN, _INT_MAX = -(1 << 31), (1 << 31) - 1
_LONG_MIN, _LONG_MAX = -(1 << 63), (1 << 63) - 1


def _type_name(value) -> str:
    return "None" if value is None else type(value).__name__


def _convert(code: str, value, fname: str, position: int):
    """One argument through a format unit: the value the C function would see."""
    if code == "s":
        if not isinstance(value, str):
            raise TypeError("%s() argument %d must be str, not %s" % (fname, position, _type_name(value)))
        if "\x00" in value:
            raise ValueError("embedded null character")
        return value
    if code == "K":  # unsigned long long, no overflow check
        if not isinstance(value, int):
            raise TypeError("%s() argument %d must be int, not %s" % (fname, position, _type_name(value)))
        return int(value) & ((1 << 64) - 1)
    if code in "il":
        if isinstance(value, float):
            raise TypeError("'float' object cannot be interpreted as an integer")
        number = operator.index(value)  # TypeError: '<type>' object cannot be interpreted as an integer
        if not _LONG_MIN <= number <= _LONG_MAX:
            raise OverflowError("Python int too large to convert to C long")
        if code == "i" and number > _INT_MAX:
            raise OverflowError("signed integer is greater than maximum")
        if code == "i" and number < _INT_MIN:
            raise OverflowError("signed integer is less than minimum")
        return number
    if code == "p":
        return bool(value)
    return value


_UNITS: dict[str, tuple[list[str], int, str]] = {}


def _units(fmt: str) -> tuple[list[str], int, str]:
    """`"OO|Os:name"` -> (['O', 'O', 'O', 's'], 2 required, 'name') (parsed once per format)."""
    parsed = _UNITS.get(fmt)
    if parsed is None:
        parsed = _UNITS[fmt] = _parse_units(fmt)
    return parsed


def _parse_units(fmt: str) -> tuple[list[str], int, str]:
    spec, _, fname = fmt.partition(":")
    units, required = [], None
    for ch in spec:
        if ch == "|":
            required = len(units)
        elif ch == "!":
            continue
        else:
            units.append(ch)
    return units, len(units) if required is None else required, fname


def parse_keywords(fmt: str, names, args: tuple, kwargs: dict) -> list:
    """Bind args/kwargs as PyArg_ParseTupleAndKeywords(fmt, names) does; optional arguments
    not given come back as MISSING."""
    units, required, fname = _units(fmt)
    total = len(names)
    nargs, nkwargs = len(args), len(kwargs)
    if nargs + nkwargs > total:
        raise TypeError("%s() takes at most %d %sargument%s (%d given)" % (
            fname, total, "keyword " if nargs == 0 else "", "" if total == 1 else "s", nargs + nkwargs))
    values = [MISSING] * total
    left = nkwargs
    for i, name in enumerate(names):
        if i < nargs:
            value = args[i]
        elif left and name in kwargs:
            value = kwargs[name]
            left -= 1
        else:
            if i < required:
                raise TypeError("%s() missing required argument '%s' (pos %d)" % (fname, name, i + 1))
            if not left:
                return values
            continue
        values[i] = _convert(units[i], value, fname, i + 1)
    if left:
        for i in range(nargs):
            if names[i] in kwargs:
                raise TypeError("argument for %s() given by name ('%s') and position (%d)" % (fname, names[i], i + 1))
        for key in kwargs:
            if not isinstance(key, str):
                raise TypeError("keywords must be strings")
            if key not in names:
                raise TypeError("'%s' is an invalid keyword argument for %s()" % (key, fname))
    return values


def parse_tuple(fname: str, least: int, most: int, args: tuple, kwargs: dict) -> list:
    """Bind positional arguments as a METH_VARARGS function with PyArg_ParseTuple does."""
    if kwargs:
        raise TypeError("%s() takes no keyword arguments" % fname)
    n = len(args)
    if not least <= n <= most:
        bound = "exactly" if least == most else ("at least" if n < least else "at most")
        count = least if least == most or n < least else most
        raise TypeError("%s() takes %s %d argument%s (%d given)" % (fname, bound, count, "" if count == 1 else "s", n))
    return list(args) + [MISSING] * (most - n)


def parse_none(qualname: str, args: tuple, kwargs: dict) -> list:
    """A METH_NOARGS function."""
    if kwargs:
        raise TypeError("%s() takes no keyword arguments" % qualname)
    if args:
        raise TypeError("%s() takes no arguments (%d given)" % (qualname, len(args)))
    return []


def _binder(rule, owner: str, method: str):
    kind = rule[0]
    if kind == "kw":
        fmt, names = rule[1], rule[2]
        return lambda args, kwargs: parse_keywords(fmt, names, args, kwargs)
    if kind == "tuple":  # ("tuple", least, most[, format units such as "sO"])
        least, most = rule[1], rule[2]
        units = rule[3] if len(rule) > 3 else ""
        if not units.strip("O"):
            return lambda args, kwargs: parse_tuple(method, least, most, args, kwargs)

        def bind_tuple(args, kwargs):
            values = parse_tuple(method, least, most, args, kwargs)
            return [v if v is MISSING else _convert(code, v, method, i + 1)
                    for i, (code, v) in enumerate(zip(units, values))]

        return bind_tuple
    if kind == "none":
        qualname = "%s.%s" % (owner, method)
        return lambda args, kwargs: parse_none(qualname, args, kwargs)
    if kind == "loose":  # the first `rule[1]` positional arguments; anything else is ignored
        most, names = rule[1], rule[2]
        return lambda args, kwargs: [args[i] if i < len(args) else kwargs.get(names[i], MISSING)
                                     for i in range(most)]
    if kind == "ignore":  # the official function looks at none of its arguments
        return lambda args, kwargs: []
    if kind == "varargs":  # any number of positional arguments; keywords are ignored
        return lambda args, kwargs: list(args)
    if kind == "param":  # bound by keywords, but any binding error is a ParamError with one text
        fmt, names, message = rule[1], rule[2], rule[3]

        def bind(args, kwargs):
            try:
                return parse_keywords(fmt, names, args, kwargs)
            except (TypeError, ValueError, OverflowError):
                from ._errors import param_error
                raise param_error(message) from None

        return bind
    raise ValueError(kind)


def _params(fn, skip_self: bool) -> list:
    """`fn`'s positional parameters (without self when `skip_self`)."""
    signature = inspect.signature(fn).parameters.values()
    return [p for p in signature if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)][1 if skip_self else 0:]


def _positional(fn, skip_self: bool):
    """A function turning bound values into `fn`'s positional arguments: a value not given
    takes fn's own default (None where it has none)."""
    signature = inspect.signature(fn).parameters.values()
    params = _params(fn, skip_self)
    defaults = [None if p.default is p.empty else p.default for p in params]
    if any(p.kind == p.VAR_POSITIONAL for p in signature):
        return lambda values: list(values)

    def arrange(values: list) -> list:
        values = values[:len(params)]
        while values and values[-1] is MISSING:
            values.pop()
        return [defaults[i] if v is MISSING else v for i, v in enumerate(values)]

    return arrange


class _Together:
    """A check of several arguments (see CHECKS), called with those given as keyword arguments."""

    __slots__ = ("check", "indexes", "names")

    def __init__(self, check, indexes, names):
        self.check, self.indexes, self.names = check, indexes, names

    def __call__(self, values) -> None:
        self.check(**{name: values[i] for name, i in zip(self.names, self.indexes)
                      if i < len(values) and values[i] is not MISSING})


def _indexed(names, name, check):
    """(index of the argument, check) for bound_method; for a tuple of names, (-1, a _Together
    check that takes all the values)."""
    if isinstance(name, tuple):
        return -1, _Together(check, [names.index(n) for n in name], name)
    return names.index(name), check


class BeforeArguments(str):
    """In CONNECTED_FIRST: the words of a method that checks the connection before it parses its
    arguments (so a closed client says so even for a call with missing arguments)."""


def _connected_before_arguments(fn, rule, owner, method, connected, checks):
    parsed = bound_method(fn, rule, owner, method, None, [c for c in checks if c != CONNECTION])

    @functools.wraps(fn)
    def method_connected_first(self, *args, **kwargs):
        if getattr(self, "_client", self)._cluster is None:
            from .exception import exception_for
            raise exception_for(11, str(connected))
        return parsed(self, *args, **kwargs)

    return method_connected_first


def bound_method(fn, rule, owner: str, method: str, connected: str | None = None, checks=()):
    """`fn` (a method) taking its arguments by the official method's `rule`; then, as the
    official method: refusing to run on a closed client (ClusterError 11 with the words
    `connected`, when given) and running `checks` ((argument name, check) pairs, see CHECKS)
    in their order, before `fn` sees its arguments."""
    bind, arrange = _binder(rule, owner, method), _positional(fn, True)
    names = rule[2] if rule[0] in ("kw", "param") else ()
    checks = list(checks)
    split = checks.index(CONNECTION) if CONNECTION in checks else 0  # the checks made before the connection's
    before = [_indexed(names, name, check) for name, check in checks[:split]]
    after = [_indexed(names, name, check) for name, check in checks[split:] if (name, check) != CONNECTION]

    # The common call: positional arguments only, within the rule's count, every unit "O" (no
    # conversion): the binder would give them back unchanged, so they go to `fn` as they are.
    # (fn's parameters past the required ones must have defaults, and fn no *args.)
    params = _params(fn, True)
    least = _units(rule[1])[1] if rule[0] == "kw" else 0
    plain = (rule[0] == "kw" and set(_units(rule[1])[0]) <= {"O"} and len(names) <= len(params)
             and all(p.default is not p.empty for p in params[least:])
             and not any(p.kind == p.VAR_POSITIONAL for p in inspect.signature(fn).parameters.values()))
    most = len(names) if plain else -1

    if isinstance(connected, BeforeArguments):  # the official method checks it before parsing
        return _connected_before_arguments(fn, rule, owner, method, connected, checks)

    @functools.wraps(fn)
    def method_with_official_arguments(self, *args, **kwargs):
        if not kwargs and least <= len(args) <= most:
            for index, check in before:
                if index < 0:
                    check(args)
                elif index < len(args):
                    check(args[index])
            if connected is not None:
                try:
                    cluster = self._cluster
                except AttributeError:  # Query/Scan ask their client (no exception raised for a Client)
                    cluster = self._client._cluster
                if cluster is None:
                    from .exception import exception_for
                    raise exception_for(11, connected)
            for index, check in after:
                if index < 0:
                    check(args)
                elif index < len(args):
                    check(args[index])
            return fn(self, *args)
        values = bind(args, kwargs)
        for index, check in before:
            if index < 0:
                check(values)
            elif values[index] is not MISSING:
                check(values[index])
        if connected is not None and getattr(self, "_client", self)._cluster is None:  # Query/Scan ask their client
            from .exception import exception_for
            raise exception_for(11, connected)
        for index, check in after:
            if index < 0:
                check(values)
            elif values[index] is not MISSING:
                check(values[index])
        return fn(self, *arrange(values))

    return method_with_official_arguments


def bound_function(fn, rule, name: str):
    """`fn` (a module-level function) taking its arguments by the official function's `rule`."""
    bind, arrange = _binder(rule, "aerospike", name), _positional(fn, False)

    @functools.wraps(fn)
    def function_with_official_arguments(*args, **kwargs):
        return fn(*arrange(bind(args, kwargs)))

    return function_with_official_arguments


def bind_functions(namespace: dict) -> None:
    """Wrap the module-level functions listed under "aerospike" in SIGNATURES, in `namespace`."""
    for name, rule in SIGNATURES["aerospike"].items():
        namespace[name] = bound_function(namespace[name], rule, name)


def bind_constructor(cls, rule) -> None:
    """`cls(...)` binds its arguments by `rule` (its __init__ wrapped)."""
    cls.__init__ = bound_method(cls.__init__, rule, cls.__name__, "__init__")


def bind_methods(cls, owner: str, named_checks=None) -> None:
    """Wrap the methods of `cls` listed for `owner` in SIGNATURES (those it defines or inherits),
    with their connection check and their CHECKS; `named_checks` gives the checks CHECKS names by
    a string (those that need a layer above this one, such as "key")."""
    named_checks = named_checks or {}
    for method, rule in SIGNATURES[owner].items():
        fn = getattr(cls, method, None)
        if fn is not None:
            checks = [(name, named_checks[check] if isinstance(check, str) else check) if name else (name, check)
                      for name, check in CHECKS.get(owner, {}).get(method, ())]
            setattr(cls, method, bound_method(fn, rule, owner, method, CONNECTED_FIRST.get(owner, {}).get(method),
                                              checks))


#: Client methods whose official versions check the connection before their arguments
#: (after binding them), with the words of their ClusterError.
_NO_CONNECTION = "No connection to aerospike cluster"
_CLIENT_CONNECTED_FIRST = dict.fromkeys((
    "get", "select", "exists", "put", "remove", "remove_bin", "touch", "append", "prepend", "increment",
    "operate", "operate_ordered", "batch_write", "info_all", "truncate", "udf_put", "udf_remove", "udf_list",
    "udf_get", "job_info", "query_apply", "scan_apply", "index_remove", "index_integer_create",
    "index_string_create", "index_blob_create", "index_geo2dsphere_create", "index_single_value_create",
    "index_list_create", "index_map_keys_create", "index_map_values_create", "index_cdt_create",
    "index_expr_create", "admin_create_user", "admin_create_pki_user", "admin_drop_user", "admin_set_password",
    "admin_change_password", "admin_grant_roles", "admin_revoke_roles", "admin_query_user_info",
    "admin_query_users_info", "admin_create_role", "admin_set_whitelist", "admin_set_quotas", "admin_drop_role",
    "admin_grant_privileges", "admin_revoke_privileges", "admin_query_role", "admin_query_roles",
    "admin_get_role", "admin_get_roles"), _NO_CONNECTION)
_CLIENT_CONNECTED_FIRST.update(info_random_node=_NO_CONNECTION + ".", info_single_node=_NO_CONNECTION + ".")
_CLIENT_CONNECTED_FIRST["shm_key"] = _NO_CONNECTION
_CLIENT_CONNECTED_FIRST.update(dict.fromkeys(("admin_set_whitelist", "admin_set_quotas"),
                                             BeforeArguments(_NO_CONNECTION + ".")))
_STREAM_CONNECTED_FIRST = dict.fromkeys(("select", "where", "where_with_expr", "where_with_index_name", "results",
                                         "foreach", "execute_background"), _NO_CONNECTION)
_STREAM_CONNECTED_FIRST.update(dict.fromkeys(("add_ops", "paginate", "is_done"), _NO_CONNECTION + "."))
CONNECTED_FIRST = {
    "Client": _CLIENT_CONNECTED_FIRST,
    "Query": dict(_STREAM_CONNECTED_FIRST, apply=_NO_CONNECTION),
    "Scan": dict(_STREAM_CONNECTED_FIRST, apply=_NO_CONNECTION + ".", execute_background=_NO_CONNECTION + "."),
}


class Is:
    """An argument check: the value must be an instance of `types` (or None, when `none_ok`),
    else the official error: ParamError (code -2), ClientError (-1) or, with code None, TypeError."""

    __slots__ = ("types", "message", "code", "none_ok")

    def __init__(self, types, message: str, code: int | None = -2, none_ok: bool = False):
        self.types, self.message, self.code, self.none_ok = types, message, code, none_ok

    def __call__(self, value) -> None:
        if isinstance(value, self.types) or (self.none_ok and value is None):
            return
        if self.code is None:
            raise TypeError(self.message)
        from .exception import exception_for
        raise exception_for(self.code, self.message)

    def __repr__(self) -> str:
        return "Is(%r, %r)" % (self.types, self.message)


class Allowed:
    """An argument check: the value must be one of `values` (compared with ==), else the error."""

    __slots__ = ("values", "message", "code")

    def __init__(self, values, message: str, code: int = -2):
        self.values, self.message, self.code = tuple(values), message, code

    def __call__(self, value) -> None:
        if isinstance(value, int) and value in self.values:
            return
        from .exception import exception_for
        raise exception_for(self.code, self.message)


class CInt:
    """An argument check: an int that fits a C int, as the official client converts `name`
    ("<name> must be an integer.", "<name> too large for C long.", "... C int.")."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __call__(self, value) -> None:
        from .exception import exception_for
        if not isinstance(value, int):
            raise exception_for(-2, "%s must be an integer." % self.name)
        if not _LONG_MIN <= value <= _LONG_MAX:
            raise exception_for(-2, "%s too large for C long." % self.name)
        if not _INT_MIN <= value <= _INT_MAX:
            raise exception_for(-2, "%s too large for C int." % self.name)


class StrItems:
    """An argument check: every item of a list is a str (the official client converts each to a
    C string: ClientError "Unable to convert unicode object to C string")."""

    __slots__ = ()

    def __call__(self, value) -> None:
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            from .exception import exception_for
            raise exception_for(-1, "Unable to convert unicode object to C string")


class ScanOptions:
    """An argument check: scan_apply's options, when a dict: str keys, "concurrent" and "nobins"
    with bool values, no other key (anything but a dict is not read)."""

    __slots__ = ()

    def __call__(self, value) -> None:
        if not isinstance(value, dict):
            return
        from .exception import exception_for
        for key, option in value.items():
            if not isinstance(key, str):
                raise exception_for(-2, "Policy key must be string")
            if key not in ("concurrent", "nobins"):
                raise exception_for(-2, "Invalid value for scan options")
            if not isinstance(option, bool):
                raise exception_for(-2, "Invalid value(type) for %s" % key)


class NotNone:
    """An argument check: the value must not be None (ParamError with `message`)."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message

    def __call__(self, value) -> None:
        if value is None:
            from .exception import exception_for
            raise exception_for(-2, self.message)


class StrOnlyItems:
    """An argument check: every item of a list is a str (else ClientError with `message`)."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message

    def __call__(self, value) -> None:
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            from .exception import exception_for
            raise exception_for(-1, self.message)


class Filled(Is):
    """An argument check: an instance of `types` that is not empty."""

    __slots__ = ()

    def __call__(self, value) -> None:
        super().__call__(value)
        if value is not None and not value:
            super().__call__(object())  # the same error as a value of another type


class StrKeys:
    """An argument check: a dict's keys must all be str (anything else is not read)."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message

    def __call__(self, value) -> None:
        if isinstance(value, dict) and not all(isinstance(key, str) for key in value):
            from .exception import exception_for
            raise exception_for(-2, self.message)


#: In a method's CHECKS: where the official method checks the connection (first, when absent).
CONNECTION = ("", None)
POLICY = Is(dict, "policy must be a dict", none_ok=True)
_STR, _LIST = str, list
_NS = Is(_STR, "Namespace should be a string")
_INDEX_SET = Is(_STR, "Set should be string, unicode or None", none_ok=True)
_INDEX_BIN = Is((_STR, bytearray), "Bin should be a string")
_INDEX_NAME = Is(_STR, "Index name should be string or unicode")
_INDEX_DATATYPE = CInt("index_datatype")
_USER = Is(_STR, "Username should be a string")
_PASSWORD = Is(_STR, "Password should be a string")
_ROLE = Is(_STR, "Role name should be a string")
_ROLE_DOT = Is(_STR, "Role name should be a string.")
_ROLES = Is(_LIST, "Roles should be a list")
_ROLES_CLIENT = Is(_LIST, "not a list", -1)
_ROLE_NAMES = ("roles", StrItems())
_PRIVILEGES = Is(_LIST, "Privileges should be a list")
_META = Is(dict, "Metadata should be of type dictionary", none_ok=True)
_KEYS = Is(_LIST, "keys should be a list of aerospike key tuples")
_APPLY_ARGS = Is(_LIST, "Arguments should be a list")
_APPLY_SET = Is(_STR, "Set name should be string", none_ok=True)
_APPLY_MODULE = Is(_STR, "Module name should be string")
_APPLY_FUNCTION = Is(_STR, "Function name should be string")
_SINGLE_BIN_OP = (("key", "key"), ("policy", "policy:operate"), ("meta", _META),
                  ("bin", Is((_STR, bytearray), "Bin name should be of type string")))
_INDEX_CREATE = (("policy", POLICY), ("ns", _NS), ("set", _INDEX_SET), ("bin", _INDEX_BIN), ("name", _INDEX_NAME))
_INDEX_TYPED_CREATE = (("index_datatype", _INDEX_DATATYPE), CONNECTION) + _INDEX_CREATE

_STREAM_APPLY = (("module", Is(_STR, "udf module argument must be a string or unicode string", -1)),
                 ("function", Is(_STR, "udf function argument must be a string or unicode string", -1)),
                 ("arguments", Is(_LIST, "udf function arguments must be enclosed in a list", -1)))
_QUERY_OPTIONS = Is(dict, "query options must be a dictionary", none_ok=True)
_NODENAME = Is(_STR, "nodename must be a string")

#: The official methods' argument checks that come before the others, in the official order
#: (learnt by calling the official client with several bad arguments at once). Each is
#: (argument name, check): an `Is`/`Allowed` check, or a name given to bind_methods ("key":
#: the key converts). An argument not given is not checked; a method's own code checks the
#: rest (the values inside lists, ranges, ...) after these. With a tuple of argument names the
#: check sees those arguments together, as keyword arguments (only those given): for steps of
#: the official method whose outcome depends on several of them.
CHECKS = {
    "Client": {
        "admin_create_user": (("roles", _ROLES), _ROLE_NAMES, ("user", _USER), ("password", _PASSWORD),
                              ("policy", "admin policy")),
        "admin_create_pki_user": (("roles", _ROLES), _ROLE_NAMES, ("user", _USER), ("policy", "admin policy")),
        "admin_drop_user": (("policy", "admin policy"), ("user", _USER)),
        "admin_set_password": (("policy", "admin policy"), ("user", _USER), ("password", _PASSWORD)),
        "admin_change_password": (("policy", "admin policy"), ("user", _USER), ("password", _PASSWORD)),
        "admin_grant_roles": (("roles", _ROLES_CLIENT), _ROLE_NAMES, ("user", _USER), ("policy", "admin policy")),
        "admin_revoke_roles": (("roles", _ROLES_CLIENT), _ROLE_NAMES, ("user", _USER), ("policy", "admin policy")),
        "admin_query_user_info": (("policy", "admin policy"), ("user", _USER)),
        "admin_query_users_info": (("policy", "admin policy"),),
        "admin_create_role": (("role", _ROLE), ("privileges", _PRIVILEGES),
                              (("privileges", "policy", "whitelist"), "admin create_role call")),
        "admin_set_whitelist": (("role", _ROLE_DOT),
                                ("whitelist", Is(_LIST, "Whitelist must be a list of IP strings, or None.",
                                                 none_ok=True)),
                                ("policy", "admin policy")),
        "admin_set_quotas": (("role", _ROLE_DOT), ("read_quota", Is(int, "py_read_quota must be an integer.")),
                             ("write_quota", Is(int, "py_write_quota must be an integer.")), ("policy", "admin policy")),
        "admin_drop_role": (("policy", "admin policy"), ("role", _ROLE)),
        "admin_grant_privileges": (("privileges", _PRIVILEGES),
                                   (("privileges", "role", "policy"), "admin privileges call")),
        "admin_revoke_privileges": (("privileges", _PRIVILEGES),
                                   (("privileges", "role", "policy"), "admin privileges call")),
        "admin_query_role": (("policy", "admin policy"), ("role", _ROLE)),
        "admin_query_roles": (("policy", "admin policy"),),
        "admin_get_role": (("policy", "admin policy"), ("role", _ROLE)),
        "admin_get_roles": (("policy", "admin policy"),),
        "apply": (("args", Is(_LIST, "expected UDF method arguments in a 'list'", None)), ("key", "key"),
                  ("policy", POLICY),
                  ("module", Is(_STR, "udf module argument must be a string or unicode string", -1)),
                  ("function", Is(_STR, "function name must be a string or unicode string", -1))),
        "batch_apply": (("keys", _KEYS), ("module", Is(_STR, "module must be a string")),
                        ("function", Is(_STR, "function must be a string")),
                        ("args", Is(_LIST, "args must be a list of arguments for the UDF")), ("keys", "batch keys"),
                        ("policy_batch", POLICY), ("policy_batch_apply", POLICY)),
        "batch_operate": (("ops", Filled(_LIST, "ops should be a list of op dictionaries")), ("keys", _KEYS),
                          ("ttl", Is(int, "ttl should be an integer", none_ok=True)), ("keys", "batch keys"),
                          ("policy_batch", POLICY), ("policy_batch_write", POLICY)),
        "batch_read": (("keys", _KEYS), ("keys", "batch keys"), ("policy", POLICY),
                       ("bins", Is(_LIST, "Bins argument should be a list.", none_ok=True))),
        "batch_remove": (("keys", _KEYS), ("keys", "batch keys"), ("policy_batch", POLICY),
                         ("policy_batch_remove", POLICY)),
        "batch_write": (("policy_batch", "batch policy"),),
        "get_cdtctx_base64": (("ctx", Is(_LIST, "parameter is not list type")),),
        "get_expression_base64": (("expression", Is(_LIST, "expression must be a non empty list of 4 element "
                                                    "tuples, generated by a compiled aerospike expression")),),
        "get_key_partition_id": (("ns", Is(_STR, "Namespace should be a string.")),
                                 ("set", Is(_STR, "Set should be a string or unicode.")),),
        "info_all": (("policy", POLICY), ("command", Is(_STR, "Request must be a string"))),
        # (an info policy converts as an admin one: a dict whose timeout is a C long)
        "info_random_node": (("policy", "admin policy"), ("command", Is(_STR, "Request should be a string."))),
        "info_single_node": (("policy", "admin policy"), ("host", Is(_STR, "Host must be a string."))),
        "operate": (("key", "key"), ("list", Is(_LIST, "Operations should be of type list")),
                    ("policy", "policy:operate"), ("meta", _META)),
        "operate_ordered": (("key", "key"), ("list", Is(_LIST, "Operations should be of type list")),
                            ("policy", "policy:operate"), ("meta", _META)),
        "append": _SINGLE_BIN_OP,
        "prepend": _SINGLE_BIN_OP,
        "increment": _SINGLE_BIN_OP,
        "touch": (("key", "key"), ("policy", "policy:operate"), ("meta", _META)),
        "remove_bin": (("list", Is(_LIST, "Bins should be a list")), ("key", "key"),
                       ("policy", Is(dict, "Incorrect policy -> policy must be a dict", -1, none_ok=True)),
                       ("list", StrOnlyItems("Invalid bin name, bin name should be a string or unicode string")),
                       ("meta", _META)),
        "query_apply": (("args", _APPLY_ARGS), ("set", _APPLY_SET), ("policy", POLICY), ("module", _APPLY_MODULE),
                        ("function", _APPLY_FUNCTION)),
        "scan_apply": (("args", Is(_LIST, "Arguments should be a list", none_ok=True)), ("set", _APPLY_SET),
                       ("policy", "policy:scan"), ("options", ScanOptions()), ("module", _APPLY_MODULE),
                       ("function", _APPLY_FUNCTION)),
        "job_info": (("policy", POLICY),),
        "index_integer_create": _INDEX_CREATE,
        "index_string_create": _INDEX_CREATE,
        "index_blob_create": _INDEX_CREATE,
        "index_geo2dsphere_create": _INDEX_CREATE,
        "index_single_value_create": _INDEX_TYPED_CREATE,
        "index_list_create": _INDEX_TYPED_CREATE,
        "index_map_keys_create": _INDEX_TYPED_CREATE,
        "index_map_values_create": _INDEX_TYPED_CREATE,
        "index_cdt_create": (("index_type", CInt("index_type")), ("index_datatype", _INDEX_DATATYPE),
                             ("ctx", NotNone("ctx cannot be None")), CONNECTION) + _INDEX_CREATE,
        "index_expr_create": (("policy", POLICY), ("ns", _NS), ("set", _INDEX_SET), ("name", _INDEX_NAME)),
        "index_remove": (("policy", POLICY), ("ns", _NS), ("name", _INDEX_NAME)),
        "truncate": (("namespace", Is(_STR, "Namespace must be unicode or string type")),
                     ("set", Is(_STR, "Set must be None, or unicode or string type", none_ok=True)),
                     ("nanos", Is(int, "Nanoseconds must be a long type")),
                     ("policy", Is(dict, "Incorrect Policy -> policy must be a dict", -1, none_ok=True))),
        "udf_put": (("udf_type", Allowed((0,), "Invalid UDF language", -1)), CONNECTION,
                    ("filename", Is(_STR, "Filename should be a string")), ("policy", POLICY)),
        "udf_remove": (("filename", Is(_STR, "Filename should be a string")),),
        "udf_get": (("language", Allowed((0,), "Invalid language", -1)),
                    ("module", Is(_STR, "Module name should be a string or unicode string.", -1)),
                    ("policy", POLICY)),
        "udf_list": (("policy", POLICY),),
        # all before the connection check (its policy too: in the method)
        "set_xdr_filter": (("data_center", Is(_STR, "Data_center should be a string.")),
                           ("namespace", Is(_STR, "Namespace should be a string.")),
                           ("expression_filter", "expression or None")),
    },
    "Query": {
        "apply": _STREAM_APPLY,
        "execute_background": (("policy", "policy:write"),),
        "foreach": (("policy", "policy:query"), ("options", _QUERY_OPTIONS)),
        "results": (("policy", "policy:query"), ("options", _QUERY_OPTIONS)),
    },
    "Scan": {
        "apply": _STREAM_APPLY,  # its policy is not read
        "execute_background": (("policy", "policy:write"),),
        "foreach": (("policy", "policy:scan"), ("options", ScanOptions()), ("nodename", _NODENAME)),
        "results": (("policy", "policy:scan"), ("nodename", _NODENAME)),
    },
}


def _kw(fmt: str, *names: str):
    return ("kw", fmt, names)


#: How each official callable binds its arguments (formats and keyword lists of the C
#: extension 19.x, checked by calling it).
SIGNATURES = {
    "Client": {
        "admin_create_user": _kw("OOO|O:admin_create_user", "user", "password", "roles", "policy"),
        "admin_create_pki_user": _kw("OO|O:admin_create_pki_user", "user", "roles", "policy"),
        "admin_drop_user": _kw("O|O:admin_drop_user", "user", "policy"),
        "admin_set_password": _kw("OO|O:admin_set_password", "user", "password", "policy"),
        "admin_change_password": _kw("OO|O:admin_change_password", "user", "password", "policy"),
        "admin_grant_roles": _kw("OO|O:admin_grant_roles", "user", "roles", "policy"),
        "admin_revoke_roles": _kw("OO|O:admin_revoke_roles", "user", "roles", "policy"),
        "admin_query_user_info": _kw("O|O:admin_query_user_info", "user", "policy"),
        "admin_query_users_info": _kw("|O:admin_query_users_info", "policy"),
        "admin_create_role": _kw("O|OOOOO:admin_create_role", "role", "privileges", "policy", "whitelist",
                                 "read_quota", "write_quota"),
        "admin_set_whitelist": _kw("OO|O:admin_set_whitelist", "role", "whitelist", "policy"),
        "admin_set_quotas": _kw("O|OOO:admin_set_quotas", "role", "read_quota", "write_quota", "policy"),
        "admin_drop_role": _kw("O|O:admin_drop_role", "role", "policy"),
        "admin_grant_privileges": _kw("OO|O:admin_grant_privileges", "role", "privileges", "policy"),
        "admin_revoke_privileges": _kw("OO|O:admin_revoke_privileges", "role", "privileges", "policy"),
        "admin_query_role": _kw("O|O:admin_query_role", "role", "policy"),
        "admin_query_roles": _kw("|O:admin_query_roles", "policy"),
        "admin_get_role": _kw("O|O:admin_get_role", "role", "policy"),
        "admin_get_roles": _kw("|O:admin_get_roles", "policy"),
        "apply": _kw("OOOO|O:apply", "key", "module", "function", "args", "policy"),
        "batch_apply": _kw("OOOO|OO:batch_apply", "keys", "module", "function", "args", "policy_batch",
                           "policy_batch_apply"),
        "batch_operate": _kw("OO|OOO:batch_Operate", "keys", "ops", "policy_batch", "policy_batch_write", "ttl"),
        "batch_read": _kw("O|OO:batch_read", "keys", "bins", "policy"),
        "batch_remove": _kw("O|OO:batch_remove", "keys", "policy_batch", "policy_batch_remove"),
        "batch_write": _kw("O|O:batch_write", "batch_records", "policy_batch"),
        "exists": _kw("O|O:exists", "key", "policy"),
        "get": _kw("O|O:get", "key", "policy"),
        "commit": _kw("O:commit", "transaction"),
        "abort": _kw("O:abort", "transaction"),
        "get_cdtctx_base64": _kw("O:get_cdtctx_base64", "ctx"),
        "get_expression_base64": _kw("O:get_expression_base64", "expression"),
        "get_key_partition_id": _kw("OOO:get_key_partition_id", "ns", "set", "key"),
        "info_all": _kw("O|O:info_all", "command", "policy"),
        "info_random_node": _kw("O|O:info_random_node", "command", "policy"),
        "info_single_node": _kw("OO|O:info_single_node", "command", "host", "policy"),
        "set_xdr_filter": _kw("OOO|O:set_xdr_filter", "data_center", "namespace", "expression_filter", "policy"),
        "operate": _kw("OO|OO:operate", "key", "list", "meta", "policy"),
        "operate_ordered": _kw("OO|OO:operate_ordered", "key", "list", "meta", "policy"),
        "append": _kw("OOO|OO:append", "key", "bin", "val", "meta", "policy"),
        "prepend": _kw("OOO|OO:prepend", "key", "bin", "val", "meta", "policy"),
        "increment": _kw("OOO|OO:increment", "key", "bin", "offset", "meta", "policy"),
        "touch": _kw("O|OOO:touch", "key", "val", "meta", "policy"),
        "put": _kw("OO|OOO:put", "key", "bins", "meta", "policy", "serializer"),
        "query_apply": _kw("sOOOO|OO:query_apply", "ns", "set", "predicate", "module", "function", "args", "policy"),
        "job_info": _kw("Ks|O:job_info", "job_id", "module", "policy"),
        "remove": _kw("O|OO:remove", "key", "meta", "policy"),
        "remove_bin": _kw("OO|OO:remove_bin", "key", "list", "meta", "policy"),
        "scan_apply": _kw("sOOO|OOO:scan_apply", "ns", "set", "module", "function", "args", "policy", "options"),
        "index_integer_create": _kw("OOOO|O:index_integer_create", "ns", "set", "bin", "name", "policy"),
        "index_string_create": _kw("OOOO|O:index_integer_create", "ns", "set", "bin", "name", "policy"),
        "index_blob_create": _kw("OOOO|O:index_integer_create", "ns", "set", "bin", "name", "policy"),
        "index_geo2dsphere_create": _kw("OOOO|O:index_integer_create", "ns", "set", "bin", "name", "policy"),
        "index_expr_create": _kw("OOiiOO|O:index_expr_create", "ns", "set", "index_type", "index_datatype",
                                 "expressions", "name", "policy"),
        "index_cdt_create": _kw("OOOOOOO|O:index_list_create", "ns", "set", "bin", "index_type", "index_datatype",
                                "name", "ctx", "policy"),
        "index_single_value_create": _kw("OOOOO|OO:index_single_value_create", "ns", "set", "bin",
                                         "index_datatype", "name", "policy", "ctx"),
        "index_list_create": _kw("OOOOO|OO:index_list_create", "ns", "set", "bin", "index_datatype", "name",
                                 "policy", "ctx"),
        "index_map_keys_create": _kw("OOOOO|OO:index_map_keys_create", "ns", "set", "bin", "index_datatype",
                                     "name", "policy", "ctx"),
        "index_map_values_create": _kw("OOOOO|OO:index_map_values_create", "ns", "set", "bin", "index_datatype",
                                       "name", "policy", "ctx"),
        "index_remove": _kw("OO|O:index_remove", "ns", "name", "policy"),
        "index_set_create": _kw("OOO|O:index_set_create", "ns", "set", "name", "policy"),
        "select": _kw("OO|O:select", "key", "bins", "policy"),
        "truncate": _kw("OOO|O:truncate", "namespace", "set", "nanos", "policy"),
        "udf_put": _kw("O|lO:udf_put", "filename", "udf_type", "policy"),
        "udf_remove": _kw("O|O:udf_remove", "filename", "policy"),
        "udf_list": _kw("|O:udf_list", "policy"),
        "udf_get": _kw("O|lO:udf_get", "module", "language", "policy"),
        "query": ("param", "O|O:query", ("namespace", "set"), "query() expects atleast 1 parameter"),
        "scan": ("param", "O|O:scan", ("namespace", "set"), "Parameters are incorrect"),
        "connect": ("loose", 2, ("username", "password")),
        "close": ("ignore",),
        "enable_metrics": _kw("|O:enable_metrics", "policy"),
        "disable_metrics": ("none",),
        "get_stats": ("none",),
        "is_connected": ("ignore",),
        "get_nodes": ("ignore",),
        "get_node_names": ("ignore",),
        "shm_key": ("ignore",),
        "get_policies": ("ignore",),
    },
    "Query": {
        "add_ops": _kw("O:ops", "ops"),
        "apply": _kw("OO|O:apply", "module", "function", "arguments"),
        "execute_background": _kw("|O:execute_background", "policy"),
        "foreach": _kw("O|OO:foreach", "callback", "policy", "options"),
        "results": _kw("|OO:results", "policy", "options"),
        "where": ("tuple", 1, 2),
        "where_with_expr": ("tuple", 2, 2),
        "where_with_index_name": ("tuple", 2, 2, "sO"),
        "select": ("varargs",),
        "paginate": ("none",),
        "is_done": ("none",),
        "get_partitions_status": ("none",),
    },
    "Scan": {
        "add_ops": _kw("O:ops", "ops"),
        "apply": _kw("OO|OO:apply", "module", "function", "arguments", "policy"),
        "execute_background": _kw("|O:execute_background", "policy"),
        "foreach": _kw("O|OOO:foreach", "callback", "policy", "options", "nodename"),
        "results": _kw("|OO:results", "policy", "nodename"),
        "select": ("varargs",),
        "paginate": ("ignore",),
        "is_done": ("ignore",),
        "get_partitions_status": ("none",),
    },
    "aerospike": {
        "client": ("param", "O:client", ("config",), "No config argument"),
        "calc_digest": _kw("OOO:calc_digest", "ns", "set", "key"),
        "set_serializer": _kw("O:set_serializer", "function"),
        "set_deserializer": _kw("O:set_deserializer", "function"),
        "unset_serializers": _kw(":unset_serializers"),
    },
}
