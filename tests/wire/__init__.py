"""Unit tests of spikelite.wire, the protocol module (no server needed)."""
