"""Sponsored campaigns: live, expired, not yet started, and two for sold-out products."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .catalogue import SPECS
from .common import Dice
from .products import Item

AD_COPY = {
    "Running": (
        [
            "Run farther in the {model}",
            "Your next PR starts here",
            "Light, fast, ready: {model}",
            "Miles feel shorter in the {model}",
        ],
        [
            "{hook} {brand}'s {model} is built for every mile. Try it with our 30-day Run Happy trial.",
            "{hook} Lace up the {model} and feel the difference on your next run.",
            "{hook} Runners rate it {rating} stars. Free standard shipping over $75.",
        ],
    ),
    "Hiking": (
        ["Made for the long way up", "Stay dry on the trail", "The {model} goes where you go"],
        [
            "{hook} {brand}'s {model} is built for wet, rocky days out. Free standard shipping over $75.",
            "{hook} Gear up for the weekend with the {model}, covered by our 2-year gear warranty.",
        ],
    ),
    "Camping": (
        ["Better nights under the stars", "Camp lighter with the {model}", "Sleep well, cook well, see well"],
        [
            "{hook} The {brand} {model} is backed by our 2-year camping gear warranty.",
            "{hook} Pack the {model} for your next trip. Free standard shipping over $75.",
        ],
    ),
    "Fitness": (
        ["Build your home gym", "Stronger at home with {brand}", "Train anywhere with the {model}"],
        [
            "{hook} The {model} turns a spare corner into a gym. Free standard shipping over $75.",
            "{hook} Rated {rating} stars by home athletes. Pay in 4 with Klarna.",
        ],
    ),
    "Skincare": (
        ["Skin that feels calm again", "Your new daily essential", "Dermatologists' pick: {model}"],
        [
            "{hook} {brand}'s {model} fits straight into your routine.",
            "{hook} Loved by {reviews} reviewers. Free standard shipping over $75.",
        ],
    ),
    "Makeup": (
        ["Find your shade", "All-day wear, zero fuss", "Meet the {model}"],
        [
            "{hook} {brand}'s {model} is made to last from morning to night.",
            "{hook} Rated {rating} stars. Free standard shipping over $75.",
        ],
    ),
    "Beauty Tools": (
        ["Salon results at home", "Upgrade your routine", "The {model}, now in stock"],
        [
            "{hook} {brand}'s {model} comes with our 1-year beauty tools warranty.",
            "{hook} A gift they will use every day. Free standard shipping over $75.",
        ],
    ),
}


def ad_hook(r: dict[str, Any]) -> str:
    """One concrete, true claim about the product for the ad copy."""
    a = r["attributes"]
    checks: list[tuple[bool, str]] = [
        ("spf" in a, f"SPF {a.get('spf')} broad-spectrum protection."),
        ("sensitive" in a.get("skin_type", []), "Gentle enough for sensitive skin."),
        (a.get("waterproof") is True, "Fully waterproof."),
        (a.get("adjustable") is True, "Adjustable in seconds."),
        ("shade" in a, f"{len(a.get('shade', []))} shades."),
        (
            "wattage" in a,
            f"{a.get('wattage')} W of drying power."
            if r["category"].endswith("Dryers")
            else "Salon heat, fast.",
        ),
        ("lumens" in a, f"{a.get('lumens')} lumens of light."),
        ("temperature_rating_c" in a, f"Rated to {a.get('temperature_rating_c')} °C."),
        ("ingredients" in a, f"Made with {a.get('ingredients', [''])[0]}."),
        ("weight_g" in a, f"Just {a.get('weight_g')} g."),
        ("material" in a, f"Made of {a.get('material')}."),
    ]
    return next((text for ok, text in checks if ok), "New season, new favourite.")


def ad_record(item: Item, start: str, end: str, d: Dice) -> dict[str, Any]:
    r = item.record
    group = r["category"].split(" > ")[1]
    heads, texts = AD_COPY[group]
    model = r["title"].split(" - ")[0]
    facts = {
        "model": model,
        "brand": r["brand"],
        "hook": ad_hook(r),
        "rating": r["rating"] or "4.5",
        "reviews": r["review_count"],
    }
    return {
        "ad_id": "",
        "advertiser": r["brand"],
        "product_id": r["id"],
        "headline": d.pick(heads).format_map(facts),
        "text": d.pick(texts).format_map(facts),
        "bid_cpc": round(d.uniform(0.2, 2.5), 2),
        "daily_budget": float(5 * d.integer(2, 40)),
        "start": start,
        "end": end,
    }


def make_ads(items: list[Item], d: Dice) -> list[dict[str, Any]]:
    """30 campaigns over both departments: 22 live, 4 expired, 2 not started, 2 for sold-out products."""
    in_stock = [it for it in items if it.record["stock"] > 0]
    sold_out = [it for it in items if it.record["stock"] == 0 and it.record["rating"]]
    # One product per category first, so sponsored results exist across the shop.
    picks = [d.pick([it for it in in_stock if it.spec is spec]) for spec in d.shuffled(SPECS)][:28]
    active_start = lambda: (date(2026, 3, 1) + timedelta(days=d.integer(0, 255))).isoformat()  # noqa: E731
    ads = []
    for n, item in enumerate(picks):
        if n < 4:
            ads.append(
                ad_record(
                    item, (date(2026, 6, 1) + timedelta(days=d.integer(0, 90))).isoformat(), "2026-10-31", d
                )
            )
        elif n < 6:
            ads.append(ad_record(item, "2027-06-01", "2027-12-31", d))
        else:
            ads.append(ad_record(item, active_start(), "2027-12-31", d))
    for item in d.sample(sold_out, 2):
        ads.append(ad_record(item, active_start(), "2027-12-31", d))
    ads = d.shuffled(ads)
    for n, ad in enumerate(ads, start=1):
        ad["ad_id"] = f"AD{n:03d}"
    return ads
