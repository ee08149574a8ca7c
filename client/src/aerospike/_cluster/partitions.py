"""The partition map: which node holds each partition of each namespace, per replica."""

from __future__ import annotations

from .peers import PARTITIONS


class NamespacePartitions:
    __slots__ = ("replicas", "regimes", "masters")

    def __init__(self, replica_count: int):
        self.replicas: list[list] = [[None] * PARTITIONS for _ in range(replica_count)]
        self.regimes = [0] * PARTITIONS
        #: (the distinct nodes of replicas[0], None when a slot is empty), kept until the map changes
        self.masters: tuple | None = None

    def ensure_replicas(self, count: int) -> None:
        while len(self.replicas) < count:
            self.replicas.append([None] * PARTITIONS)


class PartitionMap:
    def __init__(self) -> None:
        self.namespaces: dict[str, NamespacePartitions] = {}

    def update(self, node, parsed: dict[str, tuple[int, list[bytes]]]) -> None:
        """Merge one node's `replicas` answer as the official client does: the node takes every
        partition slot it claims unless the partition's regime is newer than its answer. Slots it no
        longer claims stay as they are until another node claims them (no hole opens while the
        cluster changes); a node losing a slot is asked for its own map again on the next tend."""
        for ns, (regime, bitmaps) in parsed.items():
            table = self.namespaces.get(ns)
            if table is None:
                table = self.namespaces[ns] = NamespacePartitions(len(bitmaps))
            table.ensure_replicas(len(bitmaps))
            table.masters = None
            regimes = table.regimes
            for index, bitmap in enumerate(bitmaps):
                owners = table.replicas[index]
                for pid in range(PARTITIONS):
                    if not bitmap[pid >> 3] & (0x80 >> (pid & 7)):
                        continue
                    if regime < regimes[pid]:
                        continue
                    regimes[pid] = regime
                    old = owners[pid]
                    if old is not node:
                        owners[pid] = node
                        if old is not None:
                            old.partition_generation = -1

    def has_node(self, node) -> bool:
        return any(node in owners for table in self.namespaces.values() for owners in table.replicas)

    def remove_node(self, node) -> None:
        for table in self.namespaces.values():
            table.masters = None
            for owners in table.replicas:
                for pid in range(PARTITIONS):
                    if owners[pid] is node:
                        owners[pid] = None
