"""Aggregation of per-iteration outputs into :class:`Series` (mean, p5, p50, p95 per step), for the engines."""

from __future__ import annotations

from typing import Any

from hireflow.shared.errors import MissingExtraError

try:
    import numpy as np
    from numpy.typing import NDArray
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise MissingExtraError("simulation", "the workforce simulation") from exc

from hireflow.domain.models.workforce_results import OUTPUTS, Series, SimulationSummary

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


def summarise(savings: FloatArray, reskilling: FloatArray, horizon_steps: int) -> SimulationSummary:
    """The run's summary from per-step, per-iteration savings and reskilling costs (``(steps, iterations)``,
    minor units): net annual savings, total reskilling cost, and the break-even step (see the engines' spec)."""
    net = (savings - reskilling).sum(axis=0) * 12 / horizon_steps
    ahead = np.flatnonzero(np.cumsum(savings.mean(axis=1)) > np.cumsum(reskilling.mean(axis=1)))
    p5, p95 = np.percentile(net, (5.0, 95.0))
    return SimulationSummary(
        net_annual_savings_mean=float(net.mean()),
        net_annual_savings_p5=float(p5),
        net_annual_savings_p95=float(p95),
        total_reskilling_cost_mean=float(reskilling.sum(axis=0).mean()),
        break_even_step=int(ahead[0]) + 1 if len(ahead) else None,
    )
