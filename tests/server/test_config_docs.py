"""docs/configuration.md names every aerospike.conf setting and context spikelite knows.

The names are read from the parser's source (spikelite/config.py and spikelite/tls.py): the keys of
its handler tables, its accepted-and-ignored sets and the names it compares against. A setting
added to the parser without a line in the reference fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import spikelite.config
import spikelite.tls

REPO_ROOT = Path(__file__).resolve().parents[2]
REFERENCE = REPO_ROOT / "docs" / "configuration.md"
SETTING_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)+|[a-z]+")
# Words the parser compares that are values or its own placeholders, not settings.
NOT_SETTINGS = {"s", "m", "h", "d", "k", "g", "t", "p", "true", "yes", "false", "no", "all", "root"}


def _names_in(module) -> set[str]:
    tree = ast.parse(Path(module.__file__).read_text())
    names: set[str] = set()

    def add(node: ast.AST) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SETTING_NAME.fullmatch(node.value):
            names.add(node.value)

    for node in ast.walk(tree):
        if isinstance(node, ast.Set):
            for element in node.elts:
                add(element)
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                if key is not None:
                    add(key)
        elif isinstance(node, ast.Compare) and any(isinstance(op, (ast.Eq, ast.In)) for op in node.ops):
            for side in [node.left, *node.comparators]:
                add(side)
                if isinstance(side, ast.Tuple):
                    for element in side.elts:
                        add(element)
    return names - NOT_SETTINGS


SETTINGS = sorted(_names_in(spikelite.config) | _names_in(spikelite.tls))


def test_the_parser_knows_many_settings() -> None:
    assert len(SETTINGS) > 120, SETTINGS
    assert {"default-ttl", "nsup-period", "tls-port", "session-ttl", "write-block-size"} <= set(SETTINGS)


@pytest.mark.parametrize("name", SETTINGS)
def test_the_reference_names_it(name: str) -> None:
    assert f"`{name}`" in REFERENCE.read_text(encoding="utf-8"), f"docs/configuration.md lacks `{name}`"
