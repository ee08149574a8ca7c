"""``aerospike.exception``: class hierarchy, codes and instance behaviour.

Public API only, no server: runs unchanged against the official client and
purespike. The expected hierarchy is written out below (checked once against
the official 19.3.0 module) rather than derived from either client.

Class-level attributes of the official classes are overwritten every time the
C extension raises an exception (it stores msg/file/line/... on the class), so
anything about "fresh" classes and directly constructed instances is checked
in a new interpreter, where nothing has been raised yet.
"""

from __future__ import annotations

import builtins
import json
import socket
import subprocess
import sys
import textwrap

import aerospike
import pytest
from aerospike import exception

# (class name, base class name, code class attribute)
HIERARCHY = [
    ("AerospikeError", "Exception", None),
    ("TimeoutError", "AerospikeError", 9),
    # client side
    ("ClientError", "AerospikeError", -1),
    ("ParamError", "ClientError", -2),
    ("InvalidHostError", "ClientError", -4),
    ("ClientAbortError", "ClientError", -5),
    ("AsyncConnectionError", "ClientError", -6),
    ("NoMoreConnectionsError", "ClientError", -7),
    ("InvalidNodeError", "ClientError", -8),
    ("TLSError", "ClientError", -9),
    ("ConnectionError", "ClientError", -10),
    ("MaxRetriesExceeded", "ClientError", -12),
    ("MaxErrorRateExceeded", "ClientError", -14),
    ("NoResponse", "ClientError", -15),
    ("BatchFailed", "ClientError", -16),
    ("TransactionFailed", "ClientError", -17),
    ("TransactionAlreadyCommitted", "ClientError", -18),
    ("TransactionAlreadyAborted", "ClientError", -19),
    # server side
    ("ServerError", "AerospikeError", 1),
    ("InvalidRequest", "ServerError", 4),
    ("ServerFull", "ServerError", 8),
    ("AlwaysForbidden", "ServerError", 10),
    ("ScanAbortedError", "ServerError", 15),
    ("UnsupportedFeature", "ServerError", 16),
    ("DeviceOverload", "ServerError", 18),
    ("NamespaceNotFound", "ServerError", 20),
    ("ForbiddenError", "ServerError", 22),
    ("ElementNotFoundError", "ServerError", 23),
    ("ElementExistsError", "ServerError", 24),
    ("OpNotApplicable", "ServerError", 26),
    ("FilteredOut", "ServerError", 27),
    ("LostConflict", "ServerError", 28),
    ("BatchDisabledError", "ServerError", 150),
    ("BatchMaxRequestError", "ServerError", 151),
    ("BatchQueueFullError", "ServerError", 152),
    ("InvalidGeoJSON", "ServerError", 160),
    ("QueryAbortedError", "ServerError", 210),
    ("ClusterError", "ServerError", 11),
    ("ClusterChangeError", "ClusterError", 7),
    ("RecordError", "ServerError", None),
    ("RecordNotFound", "RecordError", 2),
    ("RecordGenerationError", "RecordError", 3),
    ("RecordExistsError", "RecordError", 5),
    ("BinExistsError", "RecordError", 6),
    ("BinIncompatibleType", "RecordError", 12),
    ("RecordTooBig", "RecordError", 13),
    ("RecordBusy", "RecordError", 14),
    ("BinNotFound", "RecordError", 17),
    ("RecordKeyMismatch", "RecordError", 19),
    ("BinNameError", "RecordError", 21),
    ("IndexError", "ServerError", 204),
    ("IndexFoundError", "IndexError", 200),
    ("IndexNotFound", "IndexError", 201),
    ("IndexOOM", "IndexError", 202),
    ("IndexNotReadable", "IndexError", 203),
    ("IndexNameMaxLen", "IndexError", 205),
    ("IndexNameMaxCount", "IndexError", 206),
    ("QueryError", "ServerError", 213),
    ("QueryQueueFull", "QueryError", 211),
    ("QueryTimeout", "QueryError", 212),
    ("UDFError", "ServerError", 100),
    ("UDFNotFound", "UDFError", 1301),
    ("LuaFileNotFound", "UDFError", 1302),
    ("AdminError", "ServerError", None),
    ("SecurityNotSupported", "AdminError", 51),
    ("SecurityNotEnabled", "AdminError", 52),
    ("SecuritySchemeNotSupported", "AdminError", 53),
    ("InvalidCommand", "AdminError", 54),
    ("InvalidField", "AdminError", 55),
    ("IllegalState", "AdminError", 56),
    ("InvalidUser", "AdminError", 60),
    ("UserExistsError", "AdminError", 61),
    ("InvalidPassword", "AdminError", 62),
    ("ExpiredPassword", "AdminError", 63),
    ("ForbiddenPassword", "AdminError", 64),
    ("InvalidCredential", "AdminError", 65),
    ("InvalidRole", "AdminError", 70),
    ("RoleExistsError", "AdminError", 71),
    ("InvalidPrivilege", "AdminError", 72),
    ("InvalidWhitelist", "AdminError", 73),
    ("QuotasNotEnabled", "AdminError", 74),
    ("InvalidQuota", "AdminError", 75),
    ("NotAuthenticated", "AdminError", 80),
    ("RoleViolation", "AdminError", 81),
    ("NotWhitelisted", "AdminError", 82),
    ("QuotaExceeded", "AdminError", 83),
]

CLASS_NAMES = [name for name, _, _ in HIERARCHY]

# Attributes every class has at class level, with their value before anything is raised.
BASE_ATTRS = ("msg", "file", "line", "in_doubt", "subcode")
# Extra attributes of some families (all None at class level).
FAMILY_ATTRS = {
    "RecordError": ("key", "bin"),
    "IndexError": ("name",),
    "UDFError": ("module", "func"),
}


def _base(name):
    return Exception if name == "Exception" else getattr(exception, name)


# ---------------------------------------------------------------------------
# Hierarchy
# ---------------------------------------------------------------------------


def test_table_has_no_duplicates():
    assert len(CLASS_NAMES) == len(set(CLASS_NAMES))
    codes = [code for _, _, code in HIERARCHY if code is not None]
    assert len(codes) == len(set(codes)), "no two classes share a result code"


def test_module_has_exactly_these_classes():
    classes = {n for n in dir(exception) if isinstance(getattr(exception, n), type)}
    assert classes == set(CLASS_NAMES)


def test_star_import_brings_the_classes():
    namespace = {}
    exec("from aerospike.exception import *", namespace)
    assert set(CLASS_NAMES) <= set(namespace)
    star_classes = {n for n, v in namespace.items() if isinstance(v, type)}
    assert star_classes == set(CLASS_NAMES)


def test_exception_module_is_the_attribute_and_submodule():
    import aerospike.exception as imported

    assert aerospike.exception is imported is exception
    assert exception.__name__ == "aerospike.exception"


@pytest.mark.parametrize("name,base,code", HIERARCHY, ids=CLASS_NAMES)
def test_class_base_and_code(name, base, code):
    cls = getattr(exception, name)
    assert isinstance(cls, type)
    assert issubclass(cls, BaseException)
    assert cls.__bases__ == (_base(base),)
    assert cls.__name__ == name
    assert cls.__qualname__ == name
    assert cls.code == code
    assert type(cls.code) is type(code)
    # The classes are created as "exception.<Name>", not "aerospike.exception.<Name>".
    assert cls.__module__ == "exception"
    assert repr(cls) == f"<class 'exception.{name}'>"


def test_mro_examples():
    e = exception
    assert e.RecordNotFound.__mro__ == (e.RecordNotFound, e.RecordError, e.ServerError,
                                        e.AerospikeError, Exception, BaseException, object)
    assert e.ClusterChangeError.__mro__[:4] == (e.ClusterChangeError, e.ClusterError,
                                                e.ServerError, e.AerospikeError)
    assert e.QueryTimeout.__mro__[:4] == (e.QueryTimeout, e.QueryError, e.ServerError,
                                          e.AerospikeError)
    assert e.TimeoutError.__mro__ == (e.TimeoutError, e.AerospikeError, Exception,
                                      BaseException, object)


def test_names_shadowing_builtins_are_not_the_builtins():
    for name in ("TimeoutError", "ConnectionError", "IndexError"):
        cls = getattr(exception, name)
        builtin = getattr(builtins, name)
        assert cls is not builtin
        assert not issubclass(cls, builtin)
        assert issubclass(cls, exception.AerospikeError)


def test_every_class_is_caught_as_aerospike_error():
    for name in CLASS_NAMES:
        cls = getattr(exception, name)
        with pytest.raises(exception.AerospikeError):
            raise cls()


# ---------------------------------------------------------------------------
# Fresh interpreter: class-level attributes and direct construction
# ---------------------------------------------------------------------------

_FRESH_SCRIPT = textwrap.dedent(
    """
    import json
    import aerospike
    from aerospike import exception

    names = json.loads(NAMES)
    attrs = ("code", "msg", "file", "line", "in_doubt", "subcode",
             "key", "bin", "name", "module", "func")
    out = {}
    for n in names:
        cls = getattr(exception, n)
        class_attrs = {a: repr(getattr(cls, a)) for a in attrs if hasattr(cls, a)}
        bare = cls()
        full = cls(2, "some message", "file.c", 12, True)
        single = cls("just text")
        out[n] = {
            "class_attrs": class_attrs,
            "bare": [repr(bare), str(bare), repr(bare.args),
                     {a: repr(getattr(bare, a)) for a in attrs if hasattr(bare, a)}],
            "full": [repr(full), str(full), repr(full.args), repr(full.code), repr(full.msg),
                     repr(full.in_doubt)],
            "single": [repr(single), str(single), repr(single.args)],
        }
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def fresh():
    """Facts about every class, collected in a new interpreter that raised nothing yet."""
    script = "NAMES = %r\n" % json.dumps(CLASS_NAMES) + _FRESH_SCRIPT
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _expected_class_attrs(name, base, code):
    attrs = {"code": repr(code)}
    attrs.update({a: "None" for a in BASE_ATTRS})
    cls = getattr(exception, name)
    for family, extra in FAMILY_ATTRS.items():
        if issubclass(cls, getattr(exception, family)):
            attrs.update({a: "None" for a in extra})
    return attrs


@pytest.mark.parametrize("name,base,code", HIERARCHY, ids=CLASS_NAMES)
def test_fresh_class_attributes(fresh, name, base, code):
    # code plus msg/file/line/in_doubt/subcode = None on every class; key/bin only on the
    # RecordError family, name only on IndexError's, module/func only on UDFError's.
    assert fresh[name]["class_attrs"] == _expected_class_attrs(name, base, code)


@pytest.mark.parametrize("name,base,code", HIERARCHY, ids=CLASS_NAMES)
def test_direct_construction_without_args(fresh, name, base, code):
    bare_repr, bare_str, bare_args, bare_attrs = fresh[name]["bare"]
    assert bare_repr == f"{name}()"
    assert bare_str == ""
    assert bare_args == "()"
    assert bare_attrs == _expected_class_attrs(name, base, code)


@pytest.mark.parametrize("name,base,code", HIERARCHY, ids=CLASS_NAMES)
def test_direct_construction_with_args(fresh, name, base, code):
    # Plain Exception semantics: the args are kept as given, and the attributes are not
    # filled from them (code stays the class's code, msg stays None).
    args = (2, "some message", "file.c", 12, True)
    full_repr, full_str, full_args, full_code, full_msg, full_in_doubt = fresh[name]["full"]
    assert full_repr == f"{name}{args!r}"
    assert full_str == str(args)
    assert full_args == repr(args)
    assert full_code == repr(code)
    assert full_msg == "None"
    assert full_in_doubt == "None"
    single_repr, single_str, single_args = fresh[name]["single"]
    assert single_repr == f"{name}('just text')"
    assert single_str == "just text"
    assert single_args == "('just text',)"


def test_direct_construction_in_this_process():
    # What does not depend on earlier raises: args, str, repr, class code.
    exc = exception.RecordNotFound(2, "m", None, None, False)
    assert exc.args == (2, "m", None, None, False)
    assert str(exc) == "(2, 'm', None, None, False)"
    assert repr(exc) == "RecordNotFound(2, 'm', None, None, False)"
    assert exc.code == 2
    assert isinstance(exc, exception.RecordError)
    bare = exception.ParamError()
    assert bare.args == ()
    assert bare.code == -2


# ---------------------------------------------------------------------------
# Exceptions raised by the client itself (no server needed)
# ---------------------------------------------------------------------------


def _check_raised(exc, cls, code):
    assert type(exc) is cls
    args = exc.args
    assert len(args) == 5
    assert args[0] == code and type(args[0]) is int
    assert isinstance(args[1], str) and args[1]
    assert args[2] is None or isinstance(args[2], str)
    assert args[3] is None or type(args[3]) is int
    assert args[4] is False
    # The attributes mirror args.
    assert exc.code == args[0]
    assert exc.msg == args[1]
    assert exc.file == args[2]
    assert exc.line == args[3]
    assert exc.in_doubt is args[4]
    assert exc.subcode == 0
    assert str(exc) == str(args)
    assert repr(exc) == f"{cls.__name__}{args!r}"


def test_param_error_from_client_config():
    with pytest.raises(exception.ParamError) as info:
        aerospike.client({})
    _check_raised(info.value, exception.ParamError, -2)
    assert info.value.msg == "Hosts must be a list"
    assert isinstance(info.value, exception.ClientError)
    assert isinstance(info.value, exception.AerospikeError)


def test_param_error_for_empty_host_list():
    with pytest.raises(exception.ParamError) as info:
        aerospike.client({"hosts": []})
    _check_raised(info.value, exception.ParamError, -2)
    assert info.value.msg == "Hosts must not be empty"


def _closed_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_connection_error_when_nothing_listens():
    with pytest.raises(exception.ConnectionError) as info:
        aerospike.client({"hosts": [("127.0.0.1", _closed_port())],
                          "policies": {"total_timeout": 2000}})
    _check_raised(info.value, exception.ConnectionError, -10)
    assert info.value.msg == "Failed to connect"
    assert isinstance(info.value, exception.ClientError)
    assert not isinstance(info.value, builtins.ConnectionError)


def test_raised_exception_is_catchable_by_every_ancestor():
    for ancestor in (exception.ParamError, exception.ClientError, exception.AerospikeError,
                     Exception):
        with pytest.raises(ancestor):
            aerospike.client({})
