"""Metrics hooks: ``emit(name, value, **tags)`` fans out to whatever sinks a deployment registered.

The SDK calls :func:`emit` at interesting points (rows seeded, sync batches, request timings). With no sink
registered it costs a function call and nothing else. A deployment connects its provider (StatsD, Prometheus,
OpenTelemetry) by registering a sink once at start-up.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol


class MetricSink(Protocol):
    """Receives every emitted metric."""

    def __call__(self, name: str, value: float, tags: dict[str, str]) -> None: ...


_sinks: list[MetricSink] = []
_lock = threading.Lock()


def register_sink(sink: MetricSink) -> None:
    """Send every future metric to ``sink`` as well."""
    with _lock:
        _sinks.append(sink)


def unregister_sink(sink: MetricSink) -> None:
    """Stop sending metrics to ``sink``; unknown sinks are ignored."""
    with _lock:
        if sink in _sinks:
            _sinks.remove(sink)


def emit(name: str, value: float = 1.0, **tags: object) -> None:
    """Record one measurement. A failing sink never breaks the caller."""
    if not _sinks:
        return
    text_tags = {key: str(tag) for key, tag in tags.items()}
    for sink in list(_sinks):
        try:
            sink(name, float(value), text_tags)
        except Exception:  # noqa: S112 - metrics must never take the application down
            continue


@dataclass
class InMemorySink:
    """A sink that keeps every measurement; for tests and the ``hireflow info`` self-check."""

    records: list[tuple[str, float, dict[str, str]]] = field(default_factory=list)

    def __call__(self, name: str, value: float, tags: dict[str, str]) -> None:
        self.records.append((name, value, tags))

    def total(self, name: str) -> float:
        return sum(value for recorded, value, _ in self.records if recorded == name)

    def by_name(self) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for name, value, _ in self.records:
            totals[name] += value
        return dict(totals)
