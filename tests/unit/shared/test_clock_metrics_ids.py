"""Clock, metrics hooks and identifier normalisation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from hireflow.shared import metrics
from hireflow.shared.clock import FixedClock, SystemClock, ensure_utc
from hireflow.shared.errors import ValidationFailed
from hireflow.shared.ids import new_request_id, normalize_email, normalize_phone


def test_system_clock_is_aware_utc() -> None:
    now = SystemClock().now()
    assert now.tzinfo is UTC


def test_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(datetime(2026, 1, 1, 12, tzinfo=UTC))
    clock.advance(timedelta(hours=2))
    assert clock.now() == datetime(2026, 1, 1, 14, tzinfo=UTC)


def test_ensure_utc_converts_offsets_and_assumes_utc_for_naive() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert ensure_utc(datetime(2026, 1, 1, 12, tzinfo=plus_two)) == datetime(2026, 1, 1, 10, tzinfo=UTC)
    assert ensure_utc(datetime(2026, 1, 1, 12)).tzinfo is UTC


def test_emit_reaches_registered_sinks_and_survives_broken_ones() -> None:
    sink = metrics.InMemorySink()

    def broken(name: str, value: float, tags: dict[str, str]) -> None:
        raise RuntimeError("provider down")

    metrics.register_sink(broken)
    metrics.register_sink(sink)
    try:
        metrics.emit("seed.rows", 10, table="candidates")
        metrics.emit("seed.rows", 5, table="candidates")
    finally:
        metrics.unregister_sink(broken)
        metrics.unregister_sink(sink)
    metrics.emit("seed.rows", 100)  # no sink: nothing recorded, nothing raised
    assert sink.total("seed.rows") == 15
    assert sink.records[0] == ("seed.rows", 10.0, {"table": "candidates"})


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+1 415 555 2671", "US", "+14155552671"),
        ("(415) 555-2671", "US", "+14155552671"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("+52 55 1234 5678", "US", "+525512345678"),
    ],
)
def test_normalize_phone_to_e164(raw: str, region: str, expected: str) -> None:
    assert normalize_phone(raw, region) == expected


@pytest.mark.parametrize("raw", ["", "hello", "+1 000", "12"])
def test_bad_phone_is_a_clear_validation_error(raw: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        normalize_phone(raw)
    assert caught.value.errors[0]["field"] == "phone"


def test_normalize_email_and_request_ids() -> None:
    assert normalize_email("  Ana.Lopez@Example.COM ") == "ana.lopez@example.com"
    assert len(new_request_id()) == 16
    assert new_request_id() != new_request_id()
