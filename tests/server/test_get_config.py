"""get-config of what the differential test cannot configure on its node: a device namespace's
storage keys (checked by hand on a CE 8.1.2 node configured with a file)."""

from __future__ import annotations

from spikelite.config import parse_config


def test_get_config_of_a_device_namespace_has_a_nodes_device_keys(tmp_path):
    """The storage keys a real 8.1.2 node lists for a `storage-engine device` namespace (checked on
    a CE node configured with a file), in its order."""
    from spikelite.commands.config_info import ConfigCommands
    from spikelite.node import Node
    config = parse_config("namespace d {\n storage-engine device {\n  file %s/d.dat\n  filesize 64M\n"
                          "  cold-start-empty true\n }\n}\n" % tmp_path)
    node = Node(config)
    try:
        text = ConfigCommands(node).get_config("get-config:context=namespace;id=d")
    finally:
        for ns in node.namespaces.values():
            ns.close()
    storage = [item for item in text.split(";") if item.startswith("storage-engine")]
    assert [item.split("=")[0] for item in storage] == [
        "storage-engine", "storage-engine.file[0]", "storage-engine.cache-replica-writes",
        "storage-engine.cold-start-empty", "storage-engine.commit-to-device", "storage-engine.compression",
        "storage-engine.compression-acceleration", "storage-engine.compression-level",
        "storage-engine.defrag-lwm-pct", "storage-engine.defrag-queue-min", "storage-engine.defrag-sleep",
        "storage-engine.defrag-startup-minimum", "storage-engine.direct-files", "storage-engine.disable-odsync",
        "storage-engine.enable-benchmarks-storage", "storage-engine.encryption-key-file",
        "storage-engine.encryption-old-key-file", "storage-engine.evict-used-pct", "storage-engine.filesize",
        "storage-engine.flush-max-ms", "storage-engine.flush-size", "storage-engine.max-write-cache",
        "storage-engine.post-write-cache", "storage-engine.read-page-cache",
        "storage-engine.serialize-tomb-raider", "storage-engine.sindex-startup-device-scan",
        "storage-engine.stop-writes-avail-pct", "storage-engine.stop-writes-used-pct",
        "storage-engine.tomb-raider-sleep"]
    values = dict(item.split("=", 1) for item in storage)
    assert values["storage-engine"] == "device" and values["storage-engine.filesize"] == str(64 << 20)
    assert values["storage-engine.cold-start-empty"] == "true"
    assert values["storage-engine.file[0]"] == "%s/d.dat" % tmp_path
