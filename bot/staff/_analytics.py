"""Admin analytics: how well the bot deflects, why it hands off, what shoppers think, what ads do.

Definitions (so the numbers can be argued with):

* *engaged*: a conversation with at least one shopper message (an opened-and-abandoned widget
  says nothing about the bot).
* *deflected*: an engaged conversation that never reached ``waiting`` or ``human``, whether the
  shopper ended it or simply stopped writing; deflection rate = deflected / engaged.
* *CSAT bot-only vs human-involved*: average 1-5 score of rated conversations split by whether
  they ever reached ``waiting`` or ``human``.
* *unanswered*: bot turns routed to ``clarify``, turns whose lookup failed, repeated-failure
  handoffs and errors (``answered`` false), plus turns where the model's draft was rejected
  (``fallback``), each with the shopper's question.
* Ads come from the recommendation engine's own statistics (``RecommendationEngine.ad_stats``:
  impressions, billed clicks, invalid clicks, spend), never from its tables by name; *clicks*
  and CTR count billed clicks only, and clicks the ad server's invalid-click filter rejected
  are reported apart (``invalid_clicks``). Without an engine the section is empty; an error
  reading them is an error, not an empty section.
* The demand forecast comes from ``recsys``'s forecast over the event store; its failing
  leaves its section empty with the error named, never the whole page.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, is_dataclass
from typing import Any

from ..conversations import ConversationStore, Unanswered

log = logging.getLogger(__name__)
HISTORY_DAYS = 28  # days of actual demand kept for the analytics plot


@dataclass(frozen=True)
class AdStats:
    impressions: int = 0
    clicks: int = 0  # billed clicks
    ctr: float | None = None  # billed clicks / impressions
    # {ad_id, impressions, clicks, ctr, invalid_clicks, spend}, most shown first
    by_ad: tuple[dict, ...] = ()
    invalid_clicks: int = 0  # stored but not billed (the ad server's invalid-click filter)


@dataclass(frozen=True)
class Analytics:
    generated_at: float
    conversations: int
    engaged: int
    deflected: int
    deflection_rate: float | None
    status_counts: dict[str, int]
    handoffs: int  # conversations that reached waiting at least once
    handoff_reasons: dict[str, int]  # every handoff, by reason
    csat_bot_only: float | None
    csat_bot_only_n: int
    csat_human: float | None
    csat_human_n: int
    unanswered: tuple[Unanswered, ...]
    ads: AdStats = field(default_factory=AdStats)
    forecast: tuple[dict, ...] = ()  # per-category demand forecast rows
    forecast_error: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def ad_stats(engine) -> AdStats:
    if engine is None:
        return AdStats()
    per_ad = engine.ad_stats()
    rows = tuple(
        {
            "ad_id": a.ad_id,
            "impressions": a.impressions,
            "clicks": a.clicks,
            "ctr": None if a.ctr is None else round(a.ctr, 4),
            "invalid_clicks": a.invalid_clicks,
            "spend": round(a.spend, 2),
        }
        for a in per_ad
    )
    total, hits = sum(a.impressions for a in per_ad), sum(a.clicks for a in per_ad)
    return AdStats(
        total,
        hits,
        round(hits / total, 4) if total else None,
        rows,
        invalid_clicks=sum(a.invalid_clicks for a in per_ad),
    )


def forecast_rows(forecast: Callable[[], object] | None) -> tuple[tuple[dict, ...], str | None]:
    """Rows of the forecast callable's result (a ``MarketForecast`` or a list of dataclasses)."""
    if forecast is None:
        return (), None
    try:
        result = forecast()
    except Exception as exc:  # statsforecast can fail on odd series; analytics must still load
        log.exception("demand forecast failed")
        return (), f"{type(exc).__name__}: {exc}"
    series: Iterable[Any] = getattr(result, "series", None) or result or ()  # type: ignore[assignment]
    rows = []
    for s in series:
        row = asdict(s) if is_dataclass(s) and not isinstance(s, type) else dict(s)
        # The page plots recent actuals before the forecast; older history stays in the forecast module.
        for key in ("history_dates", "history"):
            if key in row:
                row[key] = tuple(row[key])[-HISTORY_DAYS:]
        rows.append(row)
    return tuple(rows), None


def compute_analytics(
    store: ConversationStore, engine, forecast: Callable[[], object] | None, now: float
) -> Analytics:
    summaries = store.summaries()
    engaged = [s for s in summaries if s.shopper_messages > 0]
    deflected = sum(not s.escalated for s in engaged)
    reasons = Counter(r for s in summaries for r in s.reasons)
    bot_scores = [s.csat for s in summaries if s.csat is not None and not s.escalated]
    human_scores = [s.csat for s in summaries if s.csat is not None and s.escalated]
    rows, error = forecast_rows(forecast)
    return Analytics(
        generated_at=now,
        conversations=len(summaries),
        engaged=len(engaged),
        deflected=deflected,
        deflection_rate=round(deflected / len(engaged), 4) if engaged else None,
        status_counts=dict(Counter(s.status for s in summaries)),
        handoffs=sum(bool(s.reasons) for s in summaries),
        handoff_reasons=dict(reasons.most_common()),
        csat_bot_only=_mean(bot_scores),
        csat_bot_only_n=len(bot_scores),  # type: ignore[arg-type]
        csat_human=_mean(human_scores),
        csat_human_n=len(human_scores),  # type: ignore[arg-type]
        unanswered=tuple(store.unanswered()),
        ads=ad_stats(engine),
        forecast=rows,
        forecast_error=error,
    )


def cached_for(
    fn: Callable[[], object], *, seconds: float, clock: Callable[[], float] = time.monotonic
) -> Callable[[], object]:
    """``fn`` recomputed at most every ``seconds`` (a forecast takes seconds; demand moves by the day)."""
    lock = threading.Lock()
    memo: list = []  # [(computed_at, value)]

    def call() -> object:
        with lock:  # one computation at a time; concurrent callers wait for it instead of repeating it
            if not memo or clock() - memo[0][0] > seconds:
                memo[:] = [(clock(), fn())]
            return memo[0][1]

    return call
