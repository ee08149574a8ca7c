"""Read-touch (`read_touch_ttl_percent`, server 7.1+): a read late in a record's life resets its
TTL, as a real node does after answering the read.

The read's record_ttl field carries the percentage: 0 uses the set's, else the namespace's
`default-read-touch-ttl-pct` (0 there: never), 0xFFFFFFFF never touches, 1..100 is the
percentage and anything larger is refused with PARAMETER. The record is touched when the time
left is at most that percentage of the TTL it was last written with: its void time becomes now
plus that TTL and its last-update time now; its generation does not change."""

from __future__ import annotations

from ..wire import CITRUSLEAF_EPOCH, AerospikeWireError, ResultCode
from .record import Record

NEVER_TOUCH = 0xFFFFFFFF
USE_CONFIG_DEFAULT = 0


def _percent(ns, record: Record, asked: int) -> int:
    if asked == NEVER_TOUCH:
        return 0
    if asked == USE_CONFIG_DEFAULT:
        set_config = ns.config.sets.get(record.set_name) if record.set_name else None
        if set_config is not None and set_config.default_read_touch_ttl_pct:
            return set_config.default_read_touch_ttl_pct
        return ns.config.default_read_touch_ttl_pct
    if asked > 100:
        raise AerospikeWireError(ResultCode.PARAMETER, "bad read-touch-ttl-pct %d" % asked)
    return asked


def check(ns, record: Record, asked: int) -> bool:
    """Before the read is answered: PARAMETER for a bad percentage; whether to touch after it."""
    if record.void_time == 0:
        return False
    percent = _percent(ns, record, asked)
    if not percent:
        return False
    write_ttl = record.void_time - _lut_seconds(record)
    threshold_void_time = record.void_time - write_ttl * percent // 100
    return ns.clock.now_cl() >= threshold_void_time


def touch(ns, digest: bytes, record: Record) -> None:
    """Reset the TTL the record was written with, from now (unless that would not extend it)."""
    write_ttl = record.void_time - _lut_seconds(record)
    void_time = ns.clock.now_cl() + write_ttl
    if void_time <= record.void_time:
        return  # a node skips a touch that would not extend the void time
    ns.put(digest, Record(record.bins, record.generation, void_time, ns.clock.now_ns(), record.key,
                          record.set_name))


def _lut_seconds(record: Record) -> int:
    return record.last_update_ns // 1_000_000_000 - CITRUSLEAF_EPOCH
