"""Runs the typed sample app (examples/typed_app.py) with the spikelite pytest plugin's fixtures."""

from __future__ import annotations

import aerospike

from spikelite_pytest import SetTracker
from typed_app import Inventory, Item, demo


def test_the_typed_app(aerospike_client: aerospike.Client, aerospike_cleanup: SetTracker) -> None:
    seen = demo(Inventory(aerospike_client, aerospike_cleanup.unique_set("test", prefix="typed_app")))
    assert seen == {
        "sold": 7, "tags": 2, "cheapest": "south", "failed_restock": [], "green": ["kale", "pear"],
        "first_tags": {"apple": "fruit", "pear": "fruit", "kale": "green"}, "first_tag": "fruit",
        "missing": None, "kale_cheapest": "north", "oversold": "not enough pear left",
        "apple": Item("apple", 12, ["fruit", "red"], {"north": 1.5}),
    }
