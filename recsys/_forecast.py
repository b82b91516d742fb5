"""Market prediction: daily demand per category, forecast 7 and 14 days ahead, with a backtest.

Design decisions:

* Series are daily counts of all events and of purchases per category at the top two levels
  of the path ("Sports & Outdoors > Running"): deep enough to act on, shallow enough that a
  category sees activity most days. Days without activity are zeros, not gaps (UTC days).
* The model is a registry entry (``FORECASTERS``: AutoETS by default, AutoARIMA, seasonal
  naive) from statsforecast, weekly season (7). All series go through one ``StatsForecast``
  call, which is the fast path of that library.
* Every forecast comes with its own evidence: the model and seasonal naive are refitted on all
  but the last 14 days and scored on them by MASE (mean absolute error over the mean in-sample
  seasonal-naive error), in the same run. MASE < 1 beats the in-sample naive; the useful
  comparison for the analytics page is model vs seasonal naive on the same holdout.
* A series too short for a weekly model (under three seasons plus the holdout) gets a
  seasonal-naive forecast and no backtest rather than a confident guess.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

import numpy as np

from retrieval import ITEM_EVENTS, ConfigError, Product

from ._events import Event

Metric = Literal["events", "purchases"]


def _ets(m: int):
    from statsforecast.models import AutoETS

    return AutoETS(season_length=m)


def _arima(m: int):
    from statsforecast.models import AutoARIMA

    return AutoARIMA(season_length=m)


def _naive(m: int):
    from statsforecast.models import SeasonalNaive

    return SeasonalNaive(season_length=m)


FORECASTERS: dict[str, Callable[[int], object]] = {
    "auto_ets": _ets,
    "auto_arima": _arima,
    "seasonal_naive": _naive,
}


@dataclass(frozen=True)
class CategoryForecast:
    category: str
    metric: Metric
    history_dates: tuple[str, ...]
    history: tuple[float, ...]
    forecast_dates: tuple[str, ...]
    forecast: tuple[float, ...]  # daily, ``horizon`` days after the last history day
    next_7: float  # forecast totals
    next_14: float
    mase: float | None  # model on the holdout; None when the series is too short or flat
    mase_naive: float | None  # seasonal naive on the same holdout


@dataclass(frozen=True)
class MarketForecast:
    model: str
    season_length: int
    holdout_days: int
    series: tuple[CategoryForecast, ...]

    def summary(self) -> dict[str, dict[str, float | int]]:
        """Mean MASE of the model and of seasonal naive per metric, over backtested series."""
        out: dict[str, dict[str, float | int]] = {}
        for metric in ("events", "purchases"):
            done = [
                s
                for s in self.series
                if s.metric == metric and s.mase is not None and s.mase_naive is not None
            ]
            if done:
                out[metric] = {
                    "series": len(done),
                    "mase_model": round(float(np.mean([s.mase for s in done])), 3),
                    "mase_seasonal_naive": round(float(np.mean([s.mase_naive for s in done])), 3),
                    "model_wins": sum(s.mase < s.mase_naive for s in done),  # type: ignore[operator]
                }
        return out

    def as_dict(self) -> dict:
        return {**asdict(self), "summary": self.summary()}


def daily_counts(
    events: Sequence[Event], products: Mapping[str, Product], depth: int = 2
) -> tuple[list[date], dict[tuple[str, Metric], np.ndarray]]:
    """Zero-filled daily series per (category prefix, metric) over the events' day range."""
    rows = [
        (datetime.fromtimestamp(e.timestamp, UTC).date(), " > ".join(p.category_path[:depth]), e.event)
        for e in events
        if e.event in ITEM_EVENTS and (p := products.get(e.item_id or "")) is not None
    ]
    if not rows:
        return [], {}
    first = min(r[0] for r in rows)
    days = [first + timedelta(d) for d in range((max(r[0] for r in rows) - first).days + 1)]
    out: dict[tuple[str, Metric], np.ndarray] = {}
    for day, cat, event in rows:
        i = (day - first).days
        out.setdefault((cat, "events"), np.zeros(len(days)))[i] += 1
        if event == "purchase":
            out.setdefault((cat, "purchases"), np.zeros(len(days)))[i] += 1
        else:
            out.setdefault((cat, "purchases"), np.zeros(len(days)))
    return days, dict(sorted(out.items()))


def mase(actual: np.ndarray, predicted: np.ndarray, train: np.ndarray, m: int) -> float | None:
    scale = float(np.mean(np.abs(train[m:] - train[:-m]))) if len(train) > m else 0.0
    if scale == 0.0:
        return None  # a flat history has no naive error to compare against
    return float(np.mean(np.abs(actual - predicted)) / scale)


def _run(
    series: Mapping[str, np.ndarray], start: date, model: str, m: int, h: int
) -> dict[str, dict[str, np.ndarray]]:
    """Forecast ``h`` days for every series at once; {id: {"model": ..., "naive": ...}}."""
    import pandas as pd
    from statsforecast import StatsForecast

    if not series:
        return {}
    frames = [
        pd.DataFrame({"unique_id": uid, "ds": pd.date_range(start, periods=len(y), freq="D"), "y": y})
        for uid, y in series.items()
    ]
    models = [FORECASTERS[model](m)] + (
        [] if model == "seasonal_naive" else [FORECASTERS["seasonal_naive"](m)]
    )
    fc = StatsForecast(models=models, freq="D", n_jobs=1).forecast(df=pd.concat(frames), h=h)
    cols = [c for c in fc.columns if c not in ("unique_id", "ds")]
    out = {}
    for uid, part in fc.groupby("unique_id", sort=False):
        values = {
            c: np.clip(part[c].to_numpy(dtype=float), 0.0, None) for c in cols
        }  # counts are never negative
        out[str(uid)] = {"model": values[cols[0]], "naive": values[cols[-1]]}
    return out


def market_forecast(
    events: Sequence[Event],
    products: Mapping[str, Product],
    *,
    model: str = "auto_ets",
    season_length: int = 7,
    horizon: int = 14,
    holdout: int = 14,
    depth: int = 2,
) -> MarketForecast:
    if model not in FORECASTERS:
        raise ConfigError(f"Unknown forecaster {model!r}; choose one of: {', '.join(FORECASTERS)}")
    days, counts = daily_counts(events, products, depth)
    m = season_length
    ids = {f"{cat}|{metric}": (cat, metric) for cat, metric in counts}
    fitted = {uid: counts[key] for uid, key in ids.items()}
    long_enough = {uid: y for uid, y in fitted.items() if len(y) >= 3 * m + holdout}
    start = days[0] if days else date.today()
    back = _run({uid: y[:-holdout] for uid, y in long_enough.items()}, start, model, m, holdout)
    ahead = _run(long_enough, start, model, m, horizon)
    short = _run(
        {uid: y for uid, y in fitted.items() if uid not in long_enough and len(y) >= m},
        start,
        "seasonal_naive",
        m,
        horizon,
    )
    future = [(days[-1] + timedelta(d)).isoformat() for d in range(1, horizon + 1)] if days else []
    out = []
    for uid, (cat, metric) in ids.items():
        y = fitted[uid]
        fc = ahead.get(uid, short.get(uid, {})).get("model", np.zeros(horizon))
        scores: tuple[float | None, float | None] = (None, None)
        if uid in back:
            train, test = y[:-holdout], y[-holdout:]
            scores = (mase(test, back[uid]["model"], train, m), mase(test, back[uid]["naive"], train, m))
        out.append(
            CategoryForecast(
                cat,
                metric,
                tuple(d.isoformat() for d in days),
                tuple(float(v) for v in y),
                tuple(future),
                tuple(round(float(v), 3) for v in fc),
                round(float(fc[:7].sum()), 2),
                round(float(fc[:14].sum()), 2),
                *scores,
            )
        )
    return MarketForecast(model, m, holdout, tuple(out))
