"""Helpers building the operation dicts taken by Client.operate() / operate_ordered().

Submodules (``operations``, ``list_operations``, ...) are imported explicitly, as with the
official package: ``from aerospike_helpers.operations import operations``.
"""
