"""Market forecasts on synthetic series with a known weekly pattern and trend."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from recsys._events import Event
from recsys._forecast import daily_counts, market_forecast, mase
from retrieval import ConfigError, Product

START = datetime(2026, 9, 7, 12, tzinfo=UTC)  # a Monday
PRODUCTS = {
    "T1": Product(id="T1", title="Tent", category="Outdoors > Camping > Tents", price=100, stock=3),
    "T2": Product(id="T2", title="Stove", category="Outdoors > Camping > Stoves", price=50, stock=3),
    "L1": Product(id="L1", title="Lipstick", category="Beauty > Cosmetics > Lipstick", price=10, stock=3),
}


def truth(t: np.ndarray) -> np.ndarray:
    """Weekends are busy, and demand grows by half an event a day."""
    weekend = ((t % 7) >= 5).astype(float)
    return np.round(20 + 15 * weekend + 0.5 * t)


def synthetic(days: int = 70) -> list[Event]:
    events = []
    for d, n in enumerate(truth(np.arange(days)).astype(int)):
        ts = (START + timedelta(days=d)).timestamp()
        for i in range(n):
            item = "T1" if i % 2 else "T2"  # both roll up to "Outdoors > Camping"
            events.append(Event(f"u{i}", "purchase" if i % 5 == 0 else "view", ts + i, item))
        events.append(Event("x", "view", ts, "L1"))  # a flat series: one view a day
    return events


@pytest.fixture(scope="module")
def forecast():
    return market_forecast(synthetic(), PRODUCTS)


def test_daily_counts_roll_up_to_two_levels():
    days, counts = daily_counts(synthetic(14), PRODUCTS)
    assert len(days) == 14 and days[0].isoformat() == "2026-09-07"
    assert set(counts) == {
        ("Outdoors > Camping", "events"),
        ("Outdoors > Camping", "purchases"),
        ("Beauty > Cosmetics", "events"),
        ("Beauty > Cosmetics", "purchases"),
    }
    np.testing.assert_array_equal(counts[("Outdoors > Camping", "events")], truth(np.arange(14)))
    assert counts[("Beauty > Cosmetics", "purchases")].sum() == 0


def test_forecast_follows_the_known_pattern(forecast):
    camping = next(s for s in forecast.series if s.category == "Outdoors > Camping" and s.metric == "events")
    expected = truth(np.arange(70, 84))
    assert camping.forecast_dates[0] == "2026-11-16" and len(camping.forecast) == 14
    assert camping.next_7 == pytest.approx(expected[:7].sum(), rel=0.08)
    assert camping.next_14 == pytest.approx(expected.sum(), rel=0.08)
    assert camping.forecast[5] > camping.forecast[2]  # the weekend peak survives
    # Seasonal naive repeats the last training week over both holdout weeks, so it misses the
    # trend by 3.5 then 7 a day, against an in-sample naive error of 3.5: MASE about 1.5.
    assert camping.mase_naive == pytest.approx(1.5, abs=0.15)
    assert camping.mase < 0.5 * camping.mase_naive


def test_flat_series_has_no_mase_and_summary_counts_the_rest(forecast):
    flat = next(s for s in forecast.series if s.category == "Beauty > Cosmetics" and s.metric == "events")
    assert flat.mase is None and flat.next_7 == pytest.approx(7.0, abs=0.5)
    summary = forecast.summary()
    assert summary["events"]["series"] == 1 and summary["events"]["model_wins"] == 1
    assert forecast.as_dict()["summary"] == summary


def test_short_history_gets_a_naive_forecast_without_backtest():
    fc = market_forecast(synthetic(20), PRODUCTS)
    camping = next(s for s in fc.series if s.category == "Outdoors > Camping" and s.metric == "events")
    assert camping.mase is None and len(camping.forecast) == 14
    np.testing.assert_allclose(camping.forecast[:7], truth(np.arange(13, 20)))  # last week repeated


def test_mase_and_unknown_model():
    assert mase(np.array([2.0, 2.0]), np.array([1.0, 3.0]), np.array([0.0, 1.0, 0.0, 1.0]), 1) == 1.0
    with pytest.raises(ConfigError, match="auto_ets"):
        market_forecast([], PRODUCTS, model="prophet")
    assert market_forecast([], PRODUCTS).series == ()
