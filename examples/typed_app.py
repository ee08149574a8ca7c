"""A small typed application on the aerospike API: mypy --strict checks it in ./dev test.

An inventory kept in Aerospike: items with a stock count, tags and prices per shop. It uses the
typed surface of purespike (which the official client's API shares): records, operations, list and
map operations, expressions, batch records, secondary-index queries and exceptions.

    python examples/typed_app.py     # purespike embedded, or the official client on spikelite
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import aerospike
from aerospike import exception as ex
from aerospike import predicates as p
from aerospike_helpers import cdt_ctx
from aerospike_helpers.batch.records import BatchRecords, Write
from aerospike_helpers.expressions import base as exp_base
from aerospike_helpers.expressions import list as exp_list
from aerospike_helpers.operations import list_operations as lop
from aerospike_helpers.operations import map_operations as mop
from aerospike_helpers.operations import operations as op

NAMESPACE = "test"


@dataclass(frozen=True)
class Item:
    sku: str
    stock: int
    tags: list[str]
    prices: dict[str, float]


class Inventory:
    """Items of one set; every method is one or a few client calls."""

    def __init__(self, client: aerospike.Client, set_name: str) -> None:
        self.client = client
        self.set_name = set_name

    def key(self, sku: str) -> tuple[str, str, str]:
        return (NAMESPACE, self.set_name, sku)

    def add(self, item: Item) -> None:
        bins: dict[str, Any] = {"sku": item.sku, "stock": item.stock, "tags": item.tags,
                                "prices": item.prices}
        self.client.put(self.key(item.sku), bins, policy={"key": aerospike.POLICY_KEY_SEND})

    def get(self, sku: str) -> Item | None:
        try:
            _, _, bins = self.client.get(self.key(sku))
        except ex.RecordNotFound:
            return None
        return Item(bins["sku"], bins["stock"], bins["tags"], bins["prices"])

    def sell(self, sku: str, count: int) -> int:
        """Take `count` from the stock, only if enough is left; returns the new stock."""
        enough = exp_base.GE(exp_base.IntBin("stock"), count).compile()
        try:
            _, meta, bins = self.client.operate(self.key(sku), [op.increment("stock", -count), op.read("stock")],
                                                policy={"expressions": enough})
        except ex.FilteredOut:
            raise ValueError(f"not enough {sku} left") from None
        assert meta["gen"] > 0
        stock: int = bins["stock"]
        return stock

    def tag(self, sku: str, tag: str) -> int:
        """Add a tag (kept sorted and unique); returns the number of tags."""
        policy = {"list_order": aerospike.LIST_ORDERED,
                  "write_flags": aerospike.LIST_WRITE_ADD_UNIQUE | aerospike.LIST_WRITE_NO_FAIL}
        _, _, bins = self.client.operate(self.key(sku), [lop.list_append("tags", tag, policy),
                                                         lop.list_size("tags")])
        size: int = bins["tags"]
        return size

    def set_price(self, sku: str, shop: str, price: float) -> None:
        self.client.operate(self.key(sku), [mop.map_put("prices", shop, price)])

    def cheapest_shop(self, sku: str) -> str:
        ops = [mop.map_get_by_rank("prices", 0, aerospike.MAP_RETURN_KEY)]
        _, _, bins = self.client.operate(self.key(sku), ops)
        shop: str = bins["prices"]
        return shop

    def restock(self, counts: dict[str, int]) -> list[str]:
        """Add stock to many items in one batch; returns the SKUs that failed."""
        records = BatchRecords([Write(self.key(sku), [op.increment("stock", n)]) for sku, n in counts.items()])
        result = self.client.batch_write(records)
        return [str(r.key[2]) for r in result.batch_records if r.result != 0]

    def tagged(self, tag: str) -> list[str]:
        """SKUs carrying `tag`, by a query on a list-values index (filtered again by expression)."""
        has_tag = exp_list.ListGetByValue(None, aerospike.LIST_RETURN_COUNT, tag, exp_base.ListBin("tags"))
        query = self.client.query(NAMESPACE, self.set_name)
        query.where(p.contains("tags", aerospike.INDEX_TYPE_LIST, tag))
        records = query.results({"expressions": exp_base.GT(has_tag, 0).compile()})
        return sorted(str(bins["sku"]) for _, _, bins in records)

    def first_tag_of_all(self) -> dict[str, str]:
        found: dict[str, str] = {}

        def each(record: tuple[Any, Any, dict[str, Any]]) -> None:
            _, _, bins = record
            found[str(bins["sku"])] = bins["tags"][0]

        self.client.scan(NAMESPACE, self.set_name).foreach(each)
        return found

    def nested_first_tag(self, sku: str) -> str:
        _, _, bins = self.client.operate(self.key(sku), [lop.list_get("tags", 0)])
        first: str = bins["tags"]
        ctx = [cdt_ctx.cdt_ctx_list_index(0)]
        self.client.get_cdtctx_base64(ctx)  # a context can be sent to the server in base64 as well
        return first


def demo(inventory: Inventory) -> dict[str, Any]:
    """Exercise every method; returns what it saw (checked by examples/test_typed_app.py)."""
    client = inventory.client
    index = f"{inventory.set_name}_tags"
    client.index_list_create(NAMESPACE, inventory.set_name, "tags", aerospike.INDEX_STRING, index)
    try:
        inventory.add(Item("apple", 10, ["fruit"], {"north": 1.5}))
        inventory.add(Item("pear", 2, ["fruit", "green"], {"north": 2.0, "south": 1.75}))
        inventory.add(Item("kale", 5, ["green"], {"south": 3.0}))
        seen: dict[str, Any] = {
            "sold": inventory.sell("apple", 3),
            "tags": inventory.tag("apple", "red"),
            "cheapest": inventory.cheapest_shop("pear"),
            "failed_restock": inventory.restock({"apple": 5, "kale": 1}),
            "green": inventory.tagged("green"),
            "first_tags": inventory.first_tag_of_all(),
            "first_tag": inventory.nested_first_tag("apple"),
            "missing": inventory.get("plum"),
        }
        inventory.set_price("kale", "north", 2.5)
        seen["kale_cheapest"] = inventory.cheapest_shop("kale")
        try:
            inventory.sell("pear", 3)
        except ValueError as exc:
            seen["oversold"] = str(exc)
        item = inventory.get("apple")
        seen["apple"] = item
        return seen
    finally:
        client.index_remove(NAMESPACE, index)


@contextlib.contextmanager
def connected_client() -> Iterator[aerospike.Client]:
    import spikelite

    with spikelite.spawn() as server:  # works with both clients (see examples/quickstart.py)
        client = aerospike.client({"hosts": server.hosts})
        try:
            yield client
        finally:
            client.close()


def main() -> None:
    with connected_client() as client:
        for name, value in demo(Inventory(client, "typed_app")).items():
            print(f"{name:15} {value}")


if __name__ == "__main__":
    main()
