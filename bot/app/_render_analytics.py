"""Pure functions from ``Analytics`` to what the admin page shows: headline numbers and tables.

Tables are pandas DataFrames because Gradio's native plots (``gr.LinePlot``, ``gr.BarPlot``)
take a DataFrame; empty inputs give empty frames with the right columns, so a fresh install
shows empty charts rather than errors.
"""

from __future__ import annotations

import time

import pandas as pd

from ..staff import HISTORY_DAYS
from ._render import escape_md


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _score(value: float | None, n: int) -> str:
    return "-" if value is None else f"{value:.2f} / 5 ({n} rated)"


def kpi_markdown(a) -> str:
    """Headline numbers: deflection, handoffs, CSAT bot vs human, ads."""
    ads = a.ads
    ctr = "-" if ads.ctr is None else f"{ads.ctr:.1%}"
    return "  \n".join(
        [
            f"**Conversations:** {a.conversations} ({a.engaged} with a shopper message)",
            f"**Deflection rate:** {_pct(a.deflection_rate)} ({a.deflected} of {a.engaged} answered without a person)",
            f"**Handoffs:** {a.handoffs}",
            f"**CSAT, bot only:** {_score(a.csat_bot_only, a.csat_bot_only_n)} · "
            f"**CSAT, with a person:** {_score(a.csat_human, a.csat_human_n)}",
            f"**Ads:** {ads.impressions} impressions, {ads.clicks} clicks, CTR {ctr}",
        ]
    )


def handoff_frame(a) -> pd.DataFrame:
    rows = sorted(a.handoff_reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    return pd.DataFrame(rows, columns=["reason", "handoffs"])


def csat_frame(a) -> pd.DataFrame:
    return pd.DataFrame(
        [["bot only", a.csat_bot_only, a.csat_bot_only_n], ["with a person", a.csat_human, a.csat_human_n]],
        columns=["conversation", "CSAT", "rated"],
    )


def unanswered_frame(a) -> pd.DataFrame:
    rows = [
        [
            time.strftime("%Y-%m-%d %H:%M", time.localtime(u.at)),
            u.question,
            u.route or "-",
            "yes" if u.fallback else "no",
        ]
        for u in a.unanswered
    ]
    return pd.DataFrame(rows, columns=["when", "question", "route", "model draft rejected"])


def ads_frame(a) -> pd.DataFrame:
    rows = [
        [r["ad_id"], r["impressions"], r["clicks"], "-" if r.get("ctr") is None else f"{r['ctr']:.1%}"]
        for r in a.ads.by_ad
    ]
    return pd.DataFrame(rows, columns=["ad", "impressions", "clicks", "CTR"])


def forecast_frame(a, metric: str = "purchases") -> pd.DataFrame:
    """Daily demand per category, long format (date, demand, category, kind) for ``gr.LinePlot``:
    the last ``HISTORY_DAYS`` of actual counts, then the forecast."""
    rows = []
    for r in a.forecast:
        if r.get("metric") != metric:
            continue
        history = list(zip(r.get("history_dates", ()), r.get("history", ()), strict=False))[-HISTORY_DAYS:]
        rows += [(pd.Timestamp(day), float(value), r["category"], "actual") for day, value in history]
        rows += [
            (pd.Timestamp(day), float(value), r["category"], "forecast")
            for day, value in zip(r.get("forecast_dates", ()), r.get("forecast", ()), strict=False)
        ]
    frame = pd.DataFrame(rows, columns=["date", "demand", "category", "kind"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def forecast_table(a, metric: str = "purchases") -> pd.DataFrame:
    """Totals and backtest accuracy per category (MASE < 1 beats the naive in-sample error)."""

    def fmt(v):
        return "-" if v is None else round(float(v), 2)

    rows = [
        [
            r["category"],
            round(float(r.get("next_7", 0)), 1),
            round(float(r.get("next_14", 0)), 1),
            fmt(r.get("mase")),
            fmt(r.get("mase_naive")),
        ]
        for r in a.forecast
        if r.get("metric") == metric
    ]
    rows.sort(key=lambda row: -row[2])
    return pd.DataFrame(
        rows, columns=["category", "next 7 days", "next 14 days", "MASE (model)", "MASE (seasonal naive)"]
    )


def forecast_note(a) -> str:
    if a.forecast_error:
        return f"**The demand forecast could not be computed: {escape_md(a.forecast_error)}**"
    if not a.forecast:
        return "_No demand forecast available (no recommendation engine or no events yet)._"
    starts = min((r["forecast_dates"][0] for r in a.forecast if r.get("forecast_dates")), default=None)
    return (
        f"_Actual daily demand for the last {HISTORY_DAYS} days, then the forecast from {starts}._"
        if starts
        else ""
    )
