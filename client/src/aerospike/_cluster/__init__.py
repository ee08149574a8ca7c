"""Cluster layer: sockets, nodes and their pools, the partition map, and the tend thread."""
