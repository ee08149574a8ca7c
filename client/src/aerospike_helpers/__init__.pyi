from aerospike._types import HyperLogLog as HyperLogLog

__all__ = ['HyperLogLog']
