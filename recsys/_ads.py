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
* Invalid clicks are filtered the way ad networks filter invalid traffic: every click is
  stored (nothing is lost, everything can be audited), but one that is too soon after its
  impression, from a chat with too little activity, or from a client address that already
  has its quota of billed clicks on that ad today is stored with its reason in ``invalid``
  and cost 0. It therefore spends no budget (spend is summed cost), counts in no CTR and is
  no positive label for the click model (``valid_click_ids``). The check and the insert run
  in one write transaction that holds the write lock (SQLite ``BEGIN IMMEDIATE``, a
  PostgreSQL advisory lock per ad and day), so a concurrent burst cannot all read "under
  quota" and all be billed.
* Sponsored results are always ``sponsored=True`` and come back in their own list; merging
  them into organic results is a UI decision, and an unlabelled ad is never possible.
"""

from __future__ import annotations

import math
import time
import uuid
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
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
    case,
    func,
    select,
    text,
)

from retrieval import (
    MAX_USER_ID,
    Ad,
    ConfigError,
    Embedder,
    InputError,
    NotFoundError,
    Product,
    normalize_rows,
)

from ._clickmodel import ClickModel, DistanceLogistic
from ._db import Database, add_columns
from ._recommend import Recommendation
from ._vectors import ProductVectors


@dataclass(frozen=True)
class AdConfig:
    slots: int = 2
    max_impressions_per_day: int = 3  # per ad per shopper
    candidates: int = 20  # nearest eligible ads the click model scores
    # Invalid-click filter: such clicks are stored but not billed (see ``AdServer.record_click``).
    min_click_delay_s: float = 1.0  # a click sooner than this after its impression is "too_soon"
    min_activity: int = 2  # messages + product events a chat needs before its clicks count
    max_clicks_per_client: int = 2  # billed clicks per client address per ad per UTC day

    def __post_init__(self) -> None:
        if self.slots < 0 or self.max_impressions_per_day < 1 or self.candidates < 1:
            raise ConfigError("AdConfig needs slots >= 0, max_impressions_per_day >= 1 and candidates >= 1")
        if not (
            isinstance(self.min_click_delay_s, int | float)
            and math.isfinite(self.min_click_delay_s)
            and self.min_click_delay_s >= 0
        ):
            raise ConfigError(
                f"AdConfig.min_click_delay_s must be a number of seconds >= 0, not {self.min_click_delay_s!r}"
            )
        if not _is_int(self.min_activity) or self.min_activity < 0:
            raise ConfigError(f"AdConfig.min_activity must be an integer >= 0, not {self.min_activity!r}")
        if not _is_int(self.max_clicks_per_client) or self.max_clicks_per_client < 1:
            raise ConfigError(
                f"AdConfig.max_clicks_per_client must be an integer >= 1, not {self.max_clicks_per_client!r}"
            )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


INVALID_REASONS = ("too_soon", "no_activity", "repeated_address")
MAX_CLIENT_TAG = 32  # characters of ``ad_clicks.client``


@dataclass(frozen=True)
class ClickOutcome:
    """What ``record_click`` did. ``new``: the first click on this impression (a double click
    is stored once); ``billed``: it cost the advertiser its bid; ``invalid``: why a new click
    was stored unbilled (one of ``INVALID_REASONS``), else None."""

    new: bool
    billed: bool
    invalid: str | None = None


@dataclass(frozen=True)
class AdPerformance:
    """One ad's totals: every impression, billed (valid) clicks, invalid clicks, spend."""

    ad_id: str
    impressions: int
    clicks: int  # billed clicks only: what CTR is computed from
    invalid_clicks: int
    spend: float

    @property
    def ctr(self) -> float | None:
        return self.clicks / self.impressions if self.impressions else None


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
    "ad_impressions",
    metadata,
    Column("impression_id", String(40), primary_key=True),
    Column("user_id", String(MAX_USER_ID), nullable=False),
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
    "ad_clicks",
    metadata,
    Column("impression_id", String(40), ForeignKey("ad_impressions.impression_id"), primary_key=True),
    Column("ad_id", String(120), nullable=False),
    Column("clicked_at", Float, nullable=False),
    Column("day", String(10), nullable=False),
    Column("cost", Float, nullable=False),  # 0 for an invalid click
    Column("client", String(MAX_CLIENT_TAG), nullable=True),  # hashed client-address tag, if known
    Column("invalid", String(40), nullable=True),  # None: a valid, billed click; else the reason
    Index("ix_clicks_ad_day", "ad_id", "day"),
)


def _m001_ads(conn: Connection) -> None:
    metadata.create_all(conn, tables=[impressions_table, clicks_table])


def _m002_click_filter(conn: Connection) -> None:
    # A database made by this version's migration 1 already has them: add_columns skips those.
    add_columns(conn, clicks_table, ["client", "invalid"])


MIGRATIONS = [_m001_ads, _m002_click_filter]
valid_clicks = clicks_table.c.invalid.is_(None)  # a WHERE clause: billed clicks only


class AdServer:
    def __init__(
        self,
        ads: Mapping[str, Ad],
        products: Mapping[str, Product],
        db: Database,
        vectors: ProductVectors,
        embedder: Embedder,
        click_model: ClickModel | None = None,
        config: AdConfig | None = None,
    ):
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
            rows = conn.execute(
                select(clicks_table.c.ad_id, func.sum(clicks_table.c.cost))
                .where(clicks_table.c.day == day)
                .group_by(clicks_table.c.ad_id)
            )
            return {ad_id: float(total or 0.0) for ad_id, total in rows}

    def impressions_today(self, user_id: str, day: str) -> dict[str, int]:
        with self.db.engine.connect() as conn:
            rows = conn.execute(
                select(impressions_table.c.ad_id, func.count())
                .where(impressions_table.c.user_id == user_id, impressions_table.c.day == day)
                .group_by(impressions_table.c.ad_id)
            )
            return {ad_id: int(n) for ad_id, n in rows}

    def eligible(self, user_id: str, now: float) -> list[Ad]:
        day = day_of(now)
        spend = self.spend_today(day)
        seen = self.impressions_today(user_id, day)
        out = []
        for ad in self.ads.values():
            product = self.products.get(ad.product_id)
            if (
                ad.ad_id in self.vectors
                and product is not None
                and product.stock > 0
                and campaign_active(ad, day)
                and spend.get(ad.ad_id, 0.0) + ad.bid_cpc <= ad.daily_budget + 1e-9
                and seen.get(ad.ad_id, 0) < self.config.max_impressions_per_day
            ):
                out.append(ad)
        return out

    def serve(
        self,
        user_id: str,
        user_vector: np.ndarray,
        now: float | None = None,
        slots: int | None = None,
        exclude_products: frozenset[str] = frozenset(),
    ) -> tuple[Recommendation, ...]:
        """Choose, log and return the sponsored results for one request.

        ``exclude_products``: products already in the organic list; an ad for one of them would
        show the same item twice, once labelled and once not.
        """
        now = time.time() if now is None else now
        slots = self.config.slots if slots is None else slots
        ads = (
            [a for a in self.eligible(user_id, now) if a.product_id not in exclude_products]
            if slots > 0
            else []
        )
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
            rows.append(
                dict(
                    impression_id=imp,
                    user_id=user_id,
                    ad_id=ad.ad_id,
                    product_id=ad.product_id,
                    shown_at=now,
                    day=day_of(now),
                    position=position,
                    expected_ctr=ctr,
                    bid_cpc=ad.bid_cpc,
                )
            )
            results.append(
                Recommendation(
                    ad.product_id,
                    ctr,
                    f"Sponsored by {ad.advertiser}: {ad.headline}",
                    sponsored=True,
                    source="sponsored",
                    impression_id=imp,
                )
            )
        with self.db.engine.begin() as conn:  # logged before the shopper sees them
            conn.execute(impressions_table.insert(), rows)
        return tuple(results)

    @contextmanager
    def _write_lock(self, ad_id: str, day: str) -> Iterator[Connection]:
        """A transaction in which reads and the following write see no concurrent click.

        SQLite: ``BEGIN IMMEDIATE`` takes the database's write lock before the first read
        (pysqlite would otherwise begin only at the INSERT, after the checks). PostgreSQL: a
        transaction-scoped advisory lock per ad and day, the scope of the per-client quota.
        """
        with self.db.engine.connect() as conn:
            if self.db.dialect == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            elif self.db.dialect == "postgresql":
                key = zlib.crc32(f"shoptalk-ad-click:{ad_id}:{day}".encode()) - 2**31  # a signed int4
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    def _invalid_reason(
        self, conn: Connection, imp, now: float, day: str, client: str | None, activity: int | None
    ) -> str | None:
        cfg = self.config
        if now - float(imp.shown_at) < cfg.min_click_delay_s:
            return "too_soon"
        if activity is not None and activity < cfg.min_activity:
            return "no_activity"
        if client is not None:
            billed = conn.execute(
                select(func.count())
                .select_from(clicks_table)
                .where(
                    clicks_table.c.ad_id == imp.ad_id,
                    clicks_table.c.day == day,
                    clicks_table.c.client == client,
                    valid_clicks,
                )
            ).scalar()
            if int(billed or 0) >= cfg.max_clicks_per_client:
                return "repeated_address"
        return None

    def record_click(
        self,
        impression_id: str,
        now: float | None = None,
        *,
        user_id: str | None = None,
        client: str | None = None,
        activity: int | None = None,
    ) -> ClickOutcome:
        """Store a click once (keyed by its impression) and decide whether it is billed.

        Unknown impressions are the caller's error, and with ``user_id`` so is an impression
        shown to somebody else (same message: ids stay private). ``client`` is a short hashed
        client-address tag and ``activity`` how many messages and product events the
        shopper's chat had; either may be None (unknown: that rule does not apply). A new
        click is stored unbilled (cost 0, ``invalid`` set) when it comes less than
        ``min_click_delay_s`` after the impression ("too_soon"), when ``activity`` is below
        ``min_activity`` ("no_activity"), or when ``client`` already has
        ``max_clicks_per_client`` billed clicks on this ad today ("repeated_address").
        """
        now = time.time() if now is None else float(now)
        if client is not None and (not isinstance(client, str) or len(client) > MAX_CLIENT_TAG):
            raise InputError(f"client must be a hashed address tag of at most {MAX_CLIENT_TAG} characters")
        client = client or None
        if activity is not None and not _is_int(activity):
            raise InputError(f"activity must be an integer count, not {activity!r}")
        with self.db.engine.connect() as conn:
            imp = conn.execute(
                select(impressions_table).where(impressions_table.c.impression_id == str(impression_id))
            ).first()
        if imp is None or (user_id is not None and imp.user_id != user_id):
            raise NotFoundError(
                f"Unknown impression id {impression_id!r}; pass the impression_id of a sponsored result"
            )
        day = day_of(now)
        with self._write_lock(imp.ad_id, day) as conn:
            seen = conn.execute(
                select(clicks_table.c.impression_id).where(clicks_table.c.impression_id == imp.impression_id)
            ).first()
            if seen is not None:
                return ClickOutcome(new=False, billed=False)
            reason = self._invalid_reason(conn, imp, now, day, client, activity)
            # RETURNING, not rowcount: psycopg reports -1 for INSERT ... ON CONFLICT DO NOTHING.
            stmt = (
                self.db.insert(clicks_table)
                .on_conflict_do_nothing(index_elements=["impression_id"])
                .returning(clicks_table.c.impression_id)
            )
            result = conn.execute(
                stmt,
                dict(
                    impression_id=imp.impression_id,
                    ad_id=imp.ad_id,
                    clicked_at=now,
                    day=day,
                    cost=0.0 if reason else float(imp.bid_cpc),
                    client=client,
                    invalid=reason,
                ),
            )
            if result.first() is None:
                return ClickOutcome(new=False, billed=False)
        return ClickOutcome(new=True, billed=reason is None, invalid=reason)

    def valid_click_ids(self) -> set[str]:
        """Impression ids with a valid (billed) click: the click model's positive labels."""
        with self.db.engine.connect() as conn:
            return {r[0] for r in conn.execute(select(clicks_table.c.impression_id).where(valid_clicks))}

    def stats(self, day: str | None = None) -> tuple[AdPerformance, ...]:
        """Per ad (every ad with an impression, or a click): impressions, billed clicks, invalid
        clicks and spend, all time or for one UTC ``day``; most shown first."""
        imps, clicks = impressions_table, clicks_table
        shown_q = select(imps.c.ad_id, func.count()).group_by(imps.c.ad_id)
        valid = case((valid_clicks, 1), else_=0)
        clicked_q = select(
            clicks.c.ad_id,
            func.sum(valid),
            func.count() - func.sum(valid),
            func.coalesce(func.sum(clicks.c.cost), 0.0),
        ).group_by(clicks.c.ad_id)
        if day is not None:
            shown_q, clicked_q = shown_q.where(imps.c.day == day), clicked_q.where(clicks.c.day == day)
        with self.db.engine.connect() as conn:
            shown = {a: int(n) for a, n in conn.execute(shown_q)}
            clicked = {
                a: (int(v or 0), int(i or 0), float(c or 0.0)) for a, v, i, c in conn.execute(clicked_q)
            }
        rows = [
            AdPerformance(a, shown.get(a, 0), *clicked.get(a, (0, 0, 0.0))) for a in set(shown) | set(clicked)
        ]
        return tuple(sorted(rows, key=lambda r: (-r.impressions, r.ad_id)))
