"""Record storage: namespaces of records keyed by digest."""

from .clock import Clock
from .namespace import Namespace
from .record import Record

__all__ = ["Clock", "Namespace", "Record"]
