"""Time as records see it: void times in seconds since 2010-01-01, update times in nanoseconds."""

import time

from ..wire import CITRUSLEAF_EPOCH


class Clock:
    """Wall clock; tests may subclass it to move time."""

    def now_ns(self) -> int:
        return time.time_ns()

    def now_cl(self) -> int:
        """Seconds since the Aerospike (Citrusleaf) epoch."""
        return self.now_ns() // 1_000_000_000 - CITRUSLEAF_EPOCH
