"""Writing the shop directory: every part generated in a fixed order from one seed."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any

from .ads import make_ads
from .catalogue import SPECS
from .common import NOW, Dice
from .events import Simulator, pick_trending
from .facts import check_coverage, demo_facts
from .orders import make_orders
from .policies import POLICIES, README
from .products import generate_products
from .shoppers import PERSONAS, make_customers, make_shoppers, personas_doc


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_events(path: Path, rows: list[tuple[int, str, str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["user_id", "item_id", "event", "timestamp"])
        for ts, user, item, event in rows:
            writer.writerow([user, item, event, ts])


def generate(out: Path, seed: int) -> dict[str, Any]:
    d = Dice(seed)
    items = generate_products(d)
    products = sorted((it.record for it in items), key=lambda r: int(r["id"][1:]))
    check_coverage(products)
    customers = make_customers(d)
    shoppers = make_shoppers(customers, items, d)
    orders = make_orders(shoppers, items, d)
    ads = make_ads(items, d)
    trending = pick_trending(items, d)
    sim = Simulator(items, trending, d)
    for s in shoppers:
        sim.shopper(s)
    by_id = {it.record["id"]: it for it in items}
    for order in orders:
        sim.order(order, by_id)
    events = sim.sorted_rows()

    (out / "policies").mkdir(parents=True, exist_ok=True)
    write_jsonl(out / "products.jsonl", products)
    write_jsonl(out / "customers.jsonl", customers)
    write_jsonl(out / "orders.jsonl", orders)
    write_jsonl(out / "ads.jsonl", ads)
    write_events(out / "events.csv", events)
    for name, text in POLICIES.items():
        (out / "policies" / f"{name}.md").write_text(text, encoding="utf-8")
    write_json(out / "personas.json", personas_doc(shoppers))
    write_json(out / "demo_facts.json", demo_facts(products, trending, ads))
    stats = {
        "products": len(products),
        "leaves": len(SPECS),
        "brands": len({p["brand"] for p in products}),
        "customers": len(customers),
        "orders": len(orders),
        "ads": len(ads),
        "events": len(events),
        "users": len({e[1] for e in events}),
        "today": NOW.date().isoformat(),
        "personas": len(PERSONAS),
        "persona_names": "; ".join(p.label.lower() for p in PERSONAS),
    }
    (out / "README.md").write_text(README.format(**stats), encoding="utf-8")
    return stats


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Generate the ShopTalk demo shop: a sports & outdoor and beauty store in one directory."
    )
    parser.add_argument("--out", type=Path, default=Path("data/demo_shop"), help="shop directory to write")
    parser.add_argument("--seed", type=int, default=7, help="random seed (same seed, same bytes)")
    args = parser.parse_args(argv)
    stats = generate(args.out, args.seed)
    print(f"wrote {args.out}: " + ", ".join(f"{k}={v}" for k, v in stats.items() if k != "persona_names"))
