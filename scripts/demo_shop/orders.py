"""Orders: about three months of them, every status, tracked where shipped."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from .common import NOW, ORDER_DAYS, Dice, snap_price
from .events import random_moment
from .products import Item
from .shoppers import Shopper

STATUS_COUNTS = {"delivered": 58, "shipped": 28, "processing": 20, "cancelled": 20, "returned": 24}
RETURN_REASONS = {
    "Sports & Outdoors": [
        "too small",
        "too large",
        "changed my mind",
        "arrived damaged",
        "not as pictured",
        "ran in them, not the right fit (Run Happy trial)",
    ],
    "Beauty": [
        "skin reaction within 14 days",
        "wrong shade",
        "arrived damaged",
        "changed my mind (unopened)",
        "stopped working (defective)",
    ],
}


def iso_z(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def tracking_number(carrier: str, d: Dice) -> str:
    digits = lambda n: "".join(str(d.integer(0, 9)) for _ in range(n))  # noqa: E731
    if carrier == "UPS":
        letters = "".join(d.pick(list("ABCDEFGHJKLMNPRSTUVWXYZ0123456789")) for _ in range(6))
        return f"1Z{letters}03{digits(8)}"
    if carrier == "FedEx":
        return digits(12)
    return f"9400{digits(18)}"


def order_lines(s: Shopper, d: Dice, in_stock_only: bool) -> list[dict[str, Any]]:
    lines, used = [], set()
    for _ in range(d.pick([1, 1, 1, 2, 2, 3])):
        keys = list(s.persona.affinity)
        key = d.pick(keys, list(s.persona.affinity.values()))
        group, w = s.weights[key]
        item = group[int(d.rng.choice(len(group), p=w / w.sum()))]
        if item.record["id"] in used or (in_stock_only and item.record["stock"] == 0):
            continue
        used.add(item.record["id"])
        price = item.record["price"]
        if d.chance(0.15):  # bought before a price change: the order keeps the price paid
            price = snap_price(price * d.uniform(0.85, 1.08), d)
        consumable = (
            item.record["category"].startswith("Beauty > Skincare") or item.spec.key == "resistance_bands"
        )
        lines.append(
            {
                "product_id": item.record["id"],
                "quantity": 2 if consumable and d.chance(0.2) else 1,
                "unit_price": round(price, 2),
            }
        )
    if not lines:
        return order_lines(s, d, in_stock_only)
    return lines


def status_dates(status: str, d: Dice) -> datetime:
    ago = {
        "processing": (0.05, 1.9),
        "shipped": (1.5, 5.0),
        "delivered": (6, ORDER_DAYS),
        "returned": (14, 85),
        "cancelled": (1, ORDER_DAYS),
    }[status]
    day = (NOW - timedelta(days=d.uniform(*ago))).date()
    placed = random_moment(d, day)
    return min(placed, NOW - timedelta(minutes=d.integer(20, 600)))


def is_oversized(item: Item) -> bool:
    """Ground freight per shipping.md: benches, dip stations, adjustable dumbbell sets."""
    a = item.record["attributes"]
    return (
        item.spec.key == "benches"
        or (item.spec.key == "pullup_bars" and a["weight_kg"] >= 25)
        or (item.spec.key == "dumbbells" and a["adjustable"] is True)
    )


def make_order(s: Shopper, status: str, items_by_id: dict[str, Item], d: Dice) -> dict[str, Any]:
    placed = status_dates(status, d)
    lines = order_lines(s, d, in_stock_only=status in ("processing", "shipped"))
    oversized = any(is_oversized(items_by_id[ln["product_id"]]) for ln in lines)
    method = "ground freight" if oversized else d.pick(["standard", "standard", "standard", "express"])
    order: dict[str, Any] = {
        "order_id": "",
        "customer_id": s.id,
        "status": status,
        "placed_at": iso_z(placed),
        "items": lines,
        "carrier": None,
        "tracking_number": None,
        "eta": None,
        "shipping_method": method,
    }
    transit = {"standard": (3, 5), "express": (2, 2), "ground freight": (5, 8)}[method]
    if status in ("shipped", "delivered", "returned"):
        carrier = d.pick(["UPS", "FedEx"] if oversized else ["UPS", "FedEx", "USPS"])
        order["carrier"], order["tracking_number"] = carrier, tracking_number(carrier, d)
        arrives = placed.date() + timedelta(days=1 + d.integer(*transit))
        if status == "shipped":
            order["eta"] = max(arrives, NOW.date()).isoformat()
        else:
            order["delivered_at"] = arrives.isoformat()
    if status == "returned":
        back = date.fromisoformat(order["delivered_at"]) + timedelta(days=d.integer(4, 24))
        order["returned_at"] = min(back, NOW.date() - timedelta(days=1)).isoformat()
        domain = items_by_id[lines[0]["product_id"]].record["category"].split(" > ")[0]
        order["return_reason"] = d.pick(RETURN_REASONS[domain])
    return order


def make_orders(shoppers: list[Shopper], items: list[Item], d: Dice) -> list[dict[str, Any]]:
    """~150 orders over ~90 customers who joined before they ordered, statuses in fixed counts."""
    by_id = {it.record["id"]: it for it in items}
    eligible = [s for s in shoppers if s.customer["joined_at"] < "2026-08-01"]
    w = [
        s.persona.buy
        * (1.6 if s.customer["tier"] == "gold" else 1.2 if s.customer["tier"] == "silver" else 1.0)
        for s in eligible
    ]
    w = [x / sum(w) for x in w]
    buyers = [eligible[int(i)] for i in d.rng.choice(len(eligible), size=90, replace=False, p=w)]
    statuses = d.shuffled([st for st, n in STATUS_COUNTS.items() for _ in range(n)])
    owners = buyers + [
        d.pick(buyers, [b.persona.buy for b in buyers]) for _ in range(len(statuses) - len(buyers))
    ]
    orders = [make_order(s, st, by_id, d) for s, st in zip(owners, statuses, strict=True)]
    orders.sort(key=lambda o: o["placed_at"])
    number = 48210
    for o in orders:
        number += d.integer(3, 40)  # other customers' orders in between
        o["order_id"] = f"O{number}"
    return orders
