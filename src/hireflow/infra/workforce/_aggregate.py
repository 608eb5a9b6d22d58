"""Aggregation of per-iteration outputs into :class:`Series` (mean, p5, p50, p95 per step), for the engines."""

from __future__ import annotations

from typing import Any

from hireflow.shared.errors import MissingExtraError

try:
    import numpy as np
    from numpy.typing import NDArray
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise MissingExtraError("simulation", "the workforce simulation") from exc

from hireflow.domain.models.workforce_results import OUTPUTS, Series

FloatArray = NDArray[np.float64]
_QUANTILES = (5.0, 50.0, 95.0)


class SeriesCollector:
    """Collects, step by step, each output per role (arrays ``(iterations, roles)``) and in total
    (``(iterations,)``), keeping only the four statistics per step, so memory does not grow with iterations."""

    def __init__(self, roles: list[str]) -> None:
        self._roles = roles
        self._stats: dict[tuple[str, str | None], list[FloatArray]] = {}

    def add(self, name: str, per_role: Any, total: Any) -> None:
        """Record one step of output ``name``."""
        by_role = np.asarray(per_role, dtype=np.float64)
        whole = np.asarray(total, dtype=np.float64)
        for index, role in enumerate(self._roles):
            self._stats.setdefault((name, role), []).append(_stats(by_role[:, index]))
        self._stats.setdefault((name, None), []).append(_stats(whole))

    def series(self) -> list[Series]:
        """Every collected series: per output, the total first, then each role in scenario order."""
        result: list[Series] = []
        for name in OUTPUTS:
            for role in [None, *self._roles]:
                rows = np.array(self._stats[(name, role)])  # (steps, 4)
                mean, p5, p50, p95 = (rows[:, column].tolist() for column in range(4))
                result.append(Series(name=name, role=role, mean=mean, p5=p5, p50=p50, p95=p95))
        return result


def _stats(values: FloatArray) -> FloatArray:
    quantiles = np.percentile(values, _QUANTILES)
    return np.array([values.mean(), *quantiles])
