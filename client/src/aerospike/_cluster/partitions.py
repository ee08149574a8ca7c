"""The partition map: which node holds each partition of each namespace, per replica."""

from __future__ import annotations

from .peers import PARTITIONS


class NamespacePartitions:
    __slots__ = ("replicas", "regimes")

    def __init__(self, replica_count: int):
        self.replicas: list[list] = [[None] * PARTITIONS for _ in range(replica_count)]
        self.regimes = [0] * PARTITIONS

    def ensure_replicas(self, count: int) -> None:
        while len(self.replicas) < count:
            self.replicas.append([None] * PARTITIONS)


class PartitionMap:
    def __init__(self) -> None:
        self.namespaces: dict[str, NamespacePartitions] = {}

    def update(self, node, parsed: dict[str, tuple[int, list[bytes]]]) -> None:
        """Merge one node's `replicas` answer (newer regimes win)."""
        for ns, (regime, bitmaps) in parsed.items():
            table = self.namespaces.get(ns)
            if table is None:
                table = self.namespaces[ns] = NamespacePartitions(len(bitmaps))
            table.ensure_replicas(len(bitmaps))
            for index, bitmap in enumerate(bitmaps):
                owners = table.replicas[index]
                for pid in range(PARTITIONS):
                    if bitmap[pid >> 3] & (0x80 >> (pid & 7)):
                        if regime >= table.regimes[pid]:
                            owners[pid] = node
                            if index == 0:
                                table.regimes[pid] = regime
                    elif owners[pid] is node:
                        owners[pid] = None

    def remove_node(self, node) -> None:
        for table in self.namespaces.values():
            for owners in table.replicas:
                for pid in range(PARTITIONS):
                    if owners[pid] is node:
                        owners[pid] = None
