"""``aerospike.exception``: the exception classes of the Aerospike client.

Same class names, hierarchy and ``code`` class attributes as the official
client (19.3.0), plus two internal helpers for purespike itself:
``exception_for()`` and ``CODE_TO_CLASS`` (not part of the official module,
and left out of ``__all__`` so ``from aerospike.exception import *`` only
brings in the classes, as with the official module).

How the official exceptions behave (checked against the C extension):

* A raised exception has ``args == (code, msg, file, line, in_doubt)``:
  ``code`` int, ``msg`` str, ``file`` str or None, ``line`` int or None,
  ``in_doubt`` bool. ``str(exc)`` is therefore ``str(args)`` and ``repr(exc)``
  is ``ClassName(code, 'msg', ...)`` -- plain ``Exception`` behaviour, no
  custom ``__init__``/``__str__``/``__repr__``.
* ``exc.code``, ``exc.msg``, ``exc.file``, ``exc.line``, ``exc.in_doubt`` and
  ``exc.subcode`` (0 unless the server sent a sub-code) give those values.
  RecordError subclasses also get ``key`` (the key tuple) and ``bin`` (None or
  the bins of a write); IndexError subclasses ``name``; UDFError subclasses
  ``module`` and ``func``.
* Every class has those attributes at class level: ``code`` (int, or None for
  AerospikeError, RecordError and AdminError) and None for all the others, so
  constructing one directly gives plain ``Exception`` semantics:
  ``RecordNotFound()`` has ``args == ()``, ``code == 2`` and ``msg is None``;
  ``RecordNotFound(2, "m", None, None, False)`` keeps those args but its
  ``msg`` is still the class-level None. Use ``exception_for()`` to build a
  fully populated exception inside purespike.
* The classes report ``__module__ == "exception"`` (so they print as
  ``exception.RecordNotFound`` in tracebacks and cannot be pickled); we do
  the same.

Deliberate difference: the C extension stores ``msg``/``file``/``line``/
``in_doubt``/``subcode`` (and ``key``/``bin``...) on the *class* each time it
raises, so a later exception of the same class (even one built directly)
shows the last raised values and ``vars(exc)`` is empty. purespike stores them
on the instance instead; every value read through an instance is the same,
only ``vars(exc)`` and the class-level attributes after a raise differ.
"""

# ---------------------------------------------------------------------------
# Root
# ---------------------------------------------------------------------------


class AerospikeError(Exception):
    # Class-level defaults; exception_for() sets the real values on the instance.
    code = None
    msg = None
    file = None
    line = None
    in_doubt = None
    subcode = None


class TimeoutError(AerospikeError):  # noqa: A001  (shadows the builtin on purpose)
    # Client-side or server-side timeout: both use result code 9.
    code = 9


# ---------------------------------------------------------------------------
# Client-side errors (negative codes from the client library)
# ---------------------------------------------------------------------------


class ClientError(AerospikeError):
    code = -1


class ParamError(ClientError):
    code = -2


class InvalidHostError(ClientError):
    code = -4


class ClientAbortError(ClientError):
    code = -5


class AsyncConnectionError(ClientError):
    code = -6


class NoMoreConnectionsError(ClientError):
    code = -7


class InvalidNodeError(ClientError):
    code = -8


class TLSError(ClientError):
    code = -9


class ConnectionError(ClientError):  # noqa: A001
    code = -10


class MaxRetriesExceeded(ClientError):
    code = -12


class MaxErrorRateExceeded(ClientError):
    code = -14


class NoResponse(ClientError):
    code = -15


class BatchFailed(ClientError):
    code = -16


class TransactionFailed(ClientError):
    code = -17


class TransactionAlreadyCommitted(ClientError):
    code = -18


class TransactionAlreadyAborted(ClientError):
    code = -19


# ---------------------------------------------------------------------------
# Server-side errors (positive result codes)
# ---------------------------------------------------------------------------


class ServerError(AerospikeError):
    code = 1


class InvalidRequest(ServerError):
    code = 4


class ServerFull(ServerError):
    code = 8


class AlwaysForbidden(ServerError):
    code = 10


class ScanAbortedError(ServerError):
    code = 15


class UnsupportedFeature(ServerError):
    code = 16


class DeviceOverload(ServerError):
    code = 18


class NamespaceNotFound(ServerError):
    code = 20


class ForbiddenError(ServerError):
    code = 22


class ElementNotFoundError(ServerError):
    code = 23


class ElementExistsError(ServerError):
    code = 24


class OpNotApplicable(ServerError):
    code = 26


class FilteredOut(ServerError):
    code = 27


class LostConflict(ServerError):
    code = 28


class BatchDisabledError(ServerError):
    code = 150


class BatchMaxRequestError(ServerError):
    code = 151


class BatchQueueFullError(ServerError):
    code = 152


class InvalidGeoJSON(ServerError):
    code = 160


class QueryAbortedError(ServerError):
    code = 210


# --- cluster ---------------------------------------------------------------


class ClusterError(ServerError):
    code = 11


class ClusterChangeError(ClusterError):
    code = 7


# --- records and bins ------------------------------------------------------


class RecordError(ServerError):
    code = None
    key = None  # the key tuple of the failed command
    bin = None  # None, or the bins of a failed write


class RecordNotFound(RecordError):
    code = 2


class RecordGenerationError(RecordError):
    code = 3


class RecordExistsError(RecordError):
    code = 5


class BinExistsError(RecordError):
    code = 6


class BinIncompatibleType(RecordError):
    code = 12


class RecordTooBig(RecordError):
    code = 13


class RecordBusy(RecordError):
    code = 14


class BinNotFound(RecordError):
    code = 17


class RecordKeyMismatch(RecordError):
    code = 19


class BinNameError(RecordError):
    code = 21


# --- secondary indexes -----------------------------------------------------


class IndexError(ServerError):  # noqa: A001
    code = 204
    name = None  # the index name


class IndexFoundError(IndexError):
    code = 200


class IndexNotFound(IndexError):
    code = 201


class IndexOOM(IndexError):
    code = 202


class IndexNotReadable(IndexError):
    code = 203


class IndexNameMaxLen(IndexError):
    code = 205


class IndexNameMaxCount(IndexError):
    code = 206


# --- queries ---------------------------------------------------------------


class QueryError(ServerError):
    code = 213


class QueryQueueFull(QueryError):
    code = 211


class QueryTimeout(QueryError):
    code = 212


# --- UDFs ------------------------------------------------------------------


class UDFError(ServerError):
    code = 100
    module = None  # the UDF module
    func = None  # the UDF function


class UDFNotFound(UDFError):
    code = 1301


class LuaFileNotFound(UDFError):
    code = 1302


# --- security / admin ------------------------------------------------------


class AdminError(ServerError):
    code = None


class SecurityNotSupported(AdminError):
    code = 51


class SecurityNotEnabled(AdminError):
    code = 52


class SecuritySchemeNotSupported(AdminError):
    code = 53


class InvalidCommand(AdminError):
    code = 54


class InvalidField(AdminError):
    code = 55


class IllegalState(AdminError):
    code = 56


class InvalidUser(AdminError):
    code = 60


class UserExistsError(AdminError):
    code = 61


class InvalidPassword(AdminError):
    code = 62


class ExpiredPassword(AdminError):
    code = 63


class ForbiddenPassword(AdminError):
    code = 64


class InvalidCredential(AdminError):
    code = 65


class InvalidRole(AdminError):
    code = 70


class RoleExistsError(AdminError):
    code = 71


class InvalidPrivilege(AdminError):
    code = 72


class InvalidWhitelist(AdminError):
    code = 73


class QuotasNotEnabled(AdminError):
    code = 74


class InvalidQuota(AdminError):
    code = 75


class NotAuthenticated(AdminError):
    code = 80


class RoleViolation(AdminError):
    code = 81


class NotWhitelisted(AdminError):
    code = 82


class QuotaExceeded(AdminError):
    code = 83


# ---------------------------------------------------------------------------
# Module bookkeeping
# ---------------------------------------------------------------------------

_CLASSES = [
    _obj for _obj in list(globals().values())
    if isinstance(_obj, type) and issubclass(_obj, AerospikeError)
]

# The official classes are created with the dotted name "exception.<Class>",
# so they report __module__ == "exception".
for _cls in _CLASSES:
    _cls.__module__ = "exception"
del _cls

__all__ = [_cls.__name__ for _cls in _CLASSES]

# Result code -> exception class. Every code belongs to exactly one class in
# the official client (19.3.0), so there is no ambiguity to resolve; the
# three classes without a code (AerospikeError, RecordError, AdminError) are
# never chosen by code.
CODE_TO_CLASS: "dict[int, type[AerospikeError]]" = {}
for _cls in _CLASSES:
    if _cls.code is not None:
        if _cls.code in CODE_TO_CLASS:  # pragma: no cover - guards future edits
            raise RuntimeError("result code %d used by %s and %s"
                               % (_cls.code, CODE_TO_CLASS[_cls.code].__name__, _cls.__name__))
        CODE_TO_CLASS[_cls.code] = _cls
del _cls

_UNSET = object()

# Extra attributes the official client fills in for some families.
_EXTRA_ATTRS = ("key", "bin", "name", "module", "func")


#: The C client's error message buffer holds 1023 bytes and its NUL: longer messages are cut.
_MESSAGE_MAX_BYTES = 1023


def _cut_message(msg: str, limit: int = _MESSAGE_MAX_BYTES) -> str:
    """`msg` cut to `limit` UTF-8 bytes, as the C client's message buffer cuts it (a character cut
    in two is left out)."""
    data = msg.encode("utf-8", "surrogatepass")
    if len(data) <= limit:
        return msg
    return data[:limit].decode("utf-8", "ignore")


def exception_for(code: int, msg: str = "", in_doubt: bool = False, file: "str | None" = None,
                  line: "int | None" = None, *, subcode: int = 0, key=_UNSET, bin=_UNSET,
                  name=_UNSET, module=_UNSET, func=_UNSET) -> AerospikeError:
    """The exception the official client raises for result ``code``.

    Returns (does not raise) an instance of the class registered for ``code``
    with ``args == (code, msg, file, line, in_doubt)`` and the attributes
    ``code``, ``msg``, ``file``, ``line``, ``in_doubt`` and ``subcode`` set on
    the instance. ``key``/``bin`` (RecordError family), ``name`` (IndexError
    family) and ``module``/``func`` (UDFError family) are set when given and
    the class has that attribute; otherwise they stay at the class default None.

    Unknown codes -- server codes with no class such as 25 (enterprise only),
    29-34, 50, 66, 120-127 (MRT), 207, 214..., and client codes such as -3,
    -11, -13 -- give a plain ``AerospikeError`` carrying that code. That is
    what the official client does (verified by making a server answer with
    each result code): it does not fall back to ServerError/ClientError.
    """
    code = int(code)
    cls = CODE_TO_CLASS.get(code, AerospikeError)
    msg = "" if msg is None else str(msg)
    if len(msg) > _MESSAGE_MAX_BYTES // 4:
        msg = _cut_message(msg)
    line = None if line is None else int(line)
    in_doubt = bool(in_doubt)
    exc = cls(code, msg, file, line, in_doubt)
    exc.code = code
    exc.msg = msg
    exc.file = file
    exc.line = line
    exc.in_doubt = in_doubt
    exc.subcode = int(subcode) if subcode is not None else 0
    for attr, value in zip(_EXTRA_ATTRS, (key, bin, name, module, func)):
        if value is not _UNSET and hasattr(cls, attr):
            setattr(exc, attr, value)
    return exc

