# Type stub of aerospike_helpers: the HyperLogLog bin value; the helpers are in the submodules.
__all__ = ["HyperLogLog"]

class HyperLogLog(bytes):
    def __new__(cls, o: bytes | bytearray) -> HyperLogLog: ...
