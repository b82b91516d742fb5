"""Sponsored products: eligible campaigns, ranked for one shopper, logged as impressions and clicks.

Design decisions:

* An ad lives in the product space: the unit embedding of its creative (headline + text) plus
  its product's vector, renormalised. Candidates are the eligible ads nearest the shopper's
  unit behaviour vector (Euclidean distance, which for unit vectors is ``sqrt(2 - 2 cos)``);
  the click model turns each into ``p(click)`` and the slots go by expected value
  ``bid_cpc * p(click)``, the usual second-stage auction order.
* Eligibility is checked on every request against the database, never cached: campaign dates
  (inclusive, in the shop's timezone, UTC), daily budget (today's spend is clicks x bid; an ad
  is shown only while the rest of its budget can pay for one more click, so it never
  overspends by design), per-shopper daily frequency cap, product in stock.
* Impressions and clicks are rows (``ad_impressions``, ``ad_clicks``) written before the
  results are returned, so billing and the click model's training logs are data, not log
  lines. A click is keyed by its impression id: a double click is stored once.
* Sponsored results are always ``sponsored=True`` and come back in their own list; merging
  them into organic results is a UI decision, and an unlabelled ad is never possible.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
from sqlalchemy import (
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    func,
    select,
)

from retrieval import Ad, ConfigError, Embedder, NotFoundError, Product, normalize_rows

from ._clickmodel import ClickModel, DistanceLogistic
from ._db import Database
from ._recommend import Recommendation
from ._vectors import ProductVectors


@dataclass(frozen=True)
class AdConfig:
    slots: int = 2
    max_impressions_per_day: int = 3  # per ad per shopper
    candidates: int = 20  # nearest eligible ads the click model scores

    def __post_init__(self) -> None:
        if self.slots < 0 or self.max_impressions_per_day < 1 or self.candidates < 1:
            raise ConfigError("AdConfig needs slots >= 0, max_impressions_per_day >= 1 and candidates >= 1")


def day_of(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).date().isoformat()


def _parse_day(value: str) -> date:
    return date.fromisoformat(value.strip()[:10])  # "2026-11-01" or a full ISO timestamp


def campaign_active(ad: Ad, day: str) -> bool:
    """Start and end dates are both inclusive days in UTC."""
    try:
        return _parse_day(ad.start) <= date.fromisoformat(day) <= _parse_day(ad.end)
    except ValueError:  # an unreadable date never runs a campaign
        return False


def ad_vectors(ads: Iterable[Ad], vectors: ProductVectors, embedder: Embedder) -> dict[str, np.ndarray]:
    ads = [a for a in ads if vectors.vector(a.product_id) is not None]
    if not ads:
        return {}
    creative = embedder.embed_batch([f"{a.headline}. {a.text}".strip() for a in ads])
    product = vectors.matrix[vectors.rows(a.product_id for a in ads)]
    return dict(zip([a.ad_id for a in ads], normalize_rows(creative + product), strict=True))


metadata = MetaData()
impressions_table = Table(
    "ad_impressions", metadata,
    Column("impression_id", String(40), primary_key=True),
    Column("user_id", String(120), nullable=False),
    Column("ad_id", String(120), nullable=False),
    Column("product_id", String(200), nullable=False),
    Column("shown_at", Float, nullable=False),
    Column("day", String(10), nullable=False),  # UTC day: caps and budgets are per day
    Column("position", Integer, nullable=False),
    Column("expected_ctr", Float, nullable=False),
    Column("bid_cpc", Float, nullable=False),
    Index("ix_impressions_user_day", "user_id", "day"),
)
clicks_table = Table(
    "ad_clicks", metadata,
    Column("impression_id", String(40), ForeignKey("ad_impressions.impression_id"), primary_key=True),
    Column("ad_id", String(120), nullable=False),
    Column("clicked_at", Float, nullable=False),
    Column("day", String(10), nullable=False),
    Column("cost", Float, nullable=False),
    Index("ix_clicks_ad_day", "ad_id", "day"),
)


def _m001_ads(conn: Connection) -> None:
    metadata.create_all(conn, tables=[impressions_table, clicks_table])


MIGRATIONS = [_m001_ads]


class AdServer:
    def __init__(self, ads: Mapping[str, Ad], products: Mapping[str, Product], db: Database,
                 vectors: ProductVectors, embedder: Embedder, click_model: ClickModel | None = None,
                 config: AdConfig | None = None):
        self.ads = dict(ads)
        self.products = products
        self.db = db
        self.config = config or AdConfig()
        # Untrained fallback: a plausible CTR falling with distance until a model is trained.
        self.click_model: ClickModel = click_model or DistanceLogistic()
        self.vectors = ad_vectors(self.ads.values(), vectors, embedder)
        db.migrate("recsys_ads", MIGRATIONS)

    def spend_today(self, day: str) -> dict[str, float]:
        with self.db.engine.connect() as conn:
            rows = conn.execute(select(clicks_table.c.ad_id, func.sum(clicks_table.c.cost))
                                .where(clicks_table.c.day == day).group_by(clicks_table.c.ad_id))
            return {ad_id: float(total or 0.0) for ad_id, total in rows}

    def impressions_today(self, user_id: str, day: str) -> dict[str, int]:
        with self.db.engine.connect() as conn:
            rows = conn.execute(select(impressions_table.c.ad_id, func.count())
                                .where(impressions_table.c.user_id == user_id, impressions_table.c.day == day)
                                .group_by(impressions_table.c.ad_id))
            return {ad_id: int(n) for ad_id, n in rows}

    def eligible(self, user_id: str, now: float) -> list[Ad]:
        day = day_of(now)
        spend = self.spend_today(day)
        seen = self.impressions_today(user_id, day)
        out = []
        for ad in self.ads.values():
            product = self.products.get(ad.product_id)
            if (ad.ad_id in self.vectors and product is not None and product.stock > 0
                    and campaign_active(ad, day)
                    and spend.get(ad.ad_id, 0.0) + ad.bid_cpc <= ad.daily_budget + 1e-9
                    and seen.get(ad.ad_id, 0) < self.config.max_impressions_per_day):
                out.append(ad)
        return out

    def serve(self, user_id: str, user_vector: np.ndarray, now: float | None = None,
              slots: int | None = None, exclude_products: frozenset[str] = frozenset()) -> tuple[Recommendation, ...]:
        """Choose, log and return the sponsored results for one request.

        ``exclude_products``: products already in the organic list; an ad for one of them would
        show the same item twice, once labelled and once not.
        """
        now = time.time() if now is None else now
        slots = self.config.slots if slots is None else slots
        ads = [a for a in self.eligible(user_id, now) if a.product_id not in exclude_products] if slots > 0 else []
        if not ads:
            return ()
        user = np.asarray(user_vector, dtype=np.float32)
        matrix = np.stack([self.vectors[a.ad_id] for a in ads])
        dist = np.linalg.norm(matrix - user, axis=1)
        near = np.lexsort(([a.ad_id for a in ads], dist))[: self.config.candidates]
        ads, matrix = [ads[i] for i in near], matrix[near]
        p = self.click_model.predict(np.repeat(user[None], len(ads), axis=0), matrix, [a.ad_id for a in ads])
        value = np.array([a.bid_cpc for a in ads]) * p
        order = np.lexsort(([a.ad_id for a in ads], -value))[:slots]
        chosen: list[tuple[Ad, float]] = []
        for i in order:  # one product, one slot: two campaigns for the same item waste the second
            if all(a.product_id != ads[i].product_id for a, _ in chosen):
                chosen.append((ads[i], float(p[i])))
        results, rows = [], []
        for position, (ad, ctr) in enumerate(chosen):
            imp = uuid.uuid4().hex
            rows.append(dict(impression_id=imp, user_id=user_id, ad_id=ad.ad_id, product_id=ad.product_id,
                             shown_at=now, day=day_of(now), position=position, expected_ctr=ctr, bid_cpc=ad.bid_cpc))
            results.append(Recommendation(ad.product_id, ctr, f"Sponsored by {ad.advertiser}: {ad.headline}",
                                          sponsored=True, source="sponsored", impression_id=imp))
        with self.db.engine.begin() as conn:  # logged before the shopper sees them
            conn.execute(impressions_table.insert(), rows)
        return tuple(results)

    def record_click(self, impression_id: str, now: float | None = None, *, user_id: str | None = None) -> bool:
        """Count a click once; True if it was new. Unknown impressions are the caller's error, and
        with ``user_id`` so is an impression shown to somebody else (same message: ids stay private)."""
        now = time.time() if now is None else now
        with self.db.engine.begin() as conn:
            imp = conn.execute(select(impressions_table).where(
                impressions_table.c.impression_id == str(impression_id))).first()
            if imp is None or (user_id is not None and imp.user_id != user_id):
                raise NotFoundError(f"Unknown impression id {impression_id!r}; pass the impression_id of a "
                                    "sponsored result")
            # RETURNING, not rowcount: psycopg reports -1 for INSERT ... ON CONFLICT DO NOTHING.
            stmt = (self.db.insert(clicks_table).on_conflict_do_nothing(index_elements=["impression_id"])
                    .returning(clicks_table.c.impression_id))
            result = conn.execute(stmt, dict(impression_id=imp.impression_id, ad_id=imp.ad_id,
                                             clicked_at=now, day=day_of(now), cost=imp.bid_cpc))
            return result.first() is not None
