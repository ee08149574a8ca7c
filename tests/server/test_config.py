"""The aerospike.conf subset: what is understood, what is ignored, what is an error."""

from __future__ import annotations

import pytest

from spikelite.config import ConfigError, parse_config

REAL_STYLE = """
# a file in the style of a real aerospike.conf
service {
    proto-fd-max 1000
    cluster-name dev
}
logging {
    file /var/log/aerospike/aerospike.log {
        context any info
    }
}
network {
    service {
        address any
        port 3100
    }
    heartbeat {
        mode mesh
        port 3002
    }
    fabric { port 3001 }
}
namespace test {
    replication-factor 2
    default-ttl 30d
    nsup-period 120
    storage-engine memory
    set users {
        default-ttl 1h
    }
}
namespace bar {
    default-ttl 0
    storage-engine memory {
        data-size 1G
    }
}
"""


def test_real_style_file():
    config = parse_config(REAL_STYLE)
    assert config.port == 3100
    assert config.address == "0.0.0.0"
    assert config.cluster_name == "dev"
    assert config.proto_fd_max == 1000
    assert set(config.namespaces) == {"test", "bar"}
    test = config.namespaces["test"]
    assert test.default_ttl == 30 * 86400
    assert test.nsup_period == 120
    assert test.replication_factor == 2
    assert test.sets["users"].default_ttl == 3600


@pytest.mark.parametrize("text, line, words", [
    ("namespace test {\n  bogus-setting 1\n}\n", 2, "bogus-setting"),
    ("namespace test {\n  default-ttl abc\n}\n", 2, "default-ttl"),
    ("namespace test {\n  storage-engine device\n}\n", 2, "storage-engine"),
    ("namespace test {\n", 1, "never closed"),
    ("}\n", 1, "unmatched"),
    ("stray 1\nnamespace test {\n}\n", 1, "outside"),
    ("wat {\n}\nnamespace test {\n}\n", 1, "unknown context"),
    ("namespace test {\n}\nnamespace test {\n}\n", 3, "twice"),
    ("namespace {\n}\n", 1, "needs a name"),
])
def test_errors_name_the_line(text, line, words):
    with pytest.raises(ConfigError) as info:
        parse_config(text, "my.conf")
    message = str(info.value)
    assert message.startswith("my.conf:%d:" % line), message
    assert words in message


def test_no_namespace_is_an_error():
    with pytest.raises(ConfigError, match="no namespace"):
        parse_config("service {\n}\n")
