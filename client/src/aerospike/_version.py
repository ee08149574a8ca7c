"""The official client version purespike stands in for (``aerospike.__version__``, the metrics file)."""

VERSION = "19.3.0"
