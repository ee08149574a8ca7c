"""Unit tests of spikewire, the protocol codec (no server needed)."""
