"""User-defined functions: the module registry, Lua states and record UDF execution."""

from .registry import UdfRegistry

__all__ = ["UdfRegistry"]
