"""The write of an open transaction on one record, held beside the committed record.

Only a strong-consistency namespace has them. Commands outside the transaction keep seeing the
committed record; the transaction's own commands see this one. Rolling forward makes it the
committed record, rolling back forgets it (see `commands.transaction`).
"""

from __future__ import annotations

from .record import Record

#: The set of transaction monitor records (one per transaction with writes).
MONITOR_SET = "<ERO~MRT"


class Provisional:
    __slots__ = ("txn_id", "record", "set_name")

    def __init__(self, txn_id: int, record: Record | None, set_name: str | None):
        self.txn_id = txn_id  # the transaction id as the client sent it (unsigned 64-bit)
        self.record = record  # None: the transaction deletes the record
        self.set_name = set_name
