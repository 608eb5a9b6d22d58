"""Aggregation of per-iteration outputs into :class:`Series` (mean, p5, p50, p95 per step), for the engines:
streamed step by step for one run (:class:`SeriesCollector`), or kept whole per block of iterations so that
blocks run apart (the API's chunks) combine into exactly what one run would report (:class:`OutputArrays`)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any, Protocol

from hireflow.shared.errors import MissingExtraError

try:
    import numpy as np
    from numpy.typing import NDArray
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise MissingExtraError("simulation", "the workforce simulation") from exc

from hireflow.domain.models.workforce_results import OUTPUTS, Series, SimulationSummary

FloatArray = NDArray[np.float64]
_QUANTILES = (5.0, 50.0, 95.0)
_OUTPUT_INDEX = {name: index for index, name in enumerate(OUTPUTS)}


class Collector(Protocol):
    """Where an engine puts each step's outputs: per role ``(iterations, roles)`` and in total ``(iterations,)``."""

    def add(self, name: str, per_role: Any, total: Any) -> None:
        """Record the next step of output ``name``."""
        ...


class SeriesCollector:
    """Collects, step by step, each output per role (arrays ``(iterations, roles)``) and in total
    (``(iterations,)``), keeping only the four statistics per step, so memory does not grow with iterations."""

    def __init__(self, roles: list[str]) -> None:
        self._roles = roles
        self._stats: dict[tuple[str, str | None], list[FloatArray]] = {}

    def add(self, name: str, per_role: Any, total: Any) -> None:
        """Record one step of output ``name``."""
        # Every role and the total in one matrix, so the statistics take one numpy call per step rather than one
        # per role: with few iterations the calls' overhead, not the arithmetic, is the cost.
        by_role = np.asarray(per_role, dtype=np.float64)
        columns = np.column_stack((by_role, np.asarray(total, dtype=np.float64)))
        stats = _column_stats(columns)  # (4, roles + 1)
        for index, role in enumerate([*self._roles, None]):
            self._stats.setdefault((name, role), []).append(stats[:, index])

    def series(self) -> list[Series]:
        """Every collected series: per output, the total first, then each role in scenario order."""
        result: list[Series] = []
        for name in OUTPUTS:
            for role in [None, *self._roles]:
                rows = np.array(self._stats[(name, role)])  # (steps, 4)
                mean, p5, p50, p95 = (rows[:, column].tolist() for column in range(4))
                result.append(Series(name=name, role=role, mean=mean, p5=p5, p50=p50, p95=p95))
        return result


def _column_stats(values: FloatArray) -> FloatArray:
    """Mean, p5, p50 and p95 of each column of ``(iterations, columns)``: an array ``(4, columns)``."""
    return np.vstack((values.mean(axis=0), np.percentile(values, _QUANTILES, axis=0)))


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


class OutputArrays:
    """Every output of a block of iterations, kept whole so blocks run apart can be combined exactly.

    ``values[output, step, iteration, column]`` holds output ``OUTPUTS[output]`` of each role (columns in
    scenario order) and, in the last column, of the whole workforce; ``savings`` and ``reskilling`` are
    ``(steps, iterations)``. It has the :class:`SeriesCollector` ``add`` interface, so an engine fills either.
    """

    def __init__(self, values: FloatArray, savings: FloatArray, reskilling: FloatArray) -> None:
        self.values, self.savings, self.reskilling = values, savings, reskilling
        self._filled: dict[str, int] = {}

    @classmethod
    def empty(cls, roles: int, steps: int, iterations: int) -> OutputArrays:
        """Zeros for ``roles`` roles (plus the total), ``steps`` steps and ``iterations`` iterations."""
        values = np.zeros((len(OUTPUTS), steps, iterations, roles + 1))
        return cls(values, np.zeros((steps, iterations)), np.zeros((steps, iterations)))

    @property
    def iterations(self) -> int:
        return int(self.values.shape[2])

    def add(self, name: str, per_role: Any, total: Any) -> None:
        """Record the next step of output ``name``."""
        step = self._filled.get(name, 0)
        block = self.values[_OUTPUT_INDEX[name], step]
        block[:, :-1] = per_role
        block[:, -1] = total
        self._filled[name] = step + 1

    def to_bytes(self) -> bytes:
        """A compressed ``.npz`` of the arrays (what the API stores per chunk)."""
        buffer = io.BytesIO()
        np.savez_compressed(buffer, values=self.values, savings=self.savings, reskilling=self.reskilling)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> OutputArrays:
        """The arrays :meth:`to_bytes` wrote; ValueError when ``data`` is not such a file."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as stored:
                return cls(stored["values"], stored["savings"], stored["reskilling"])
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise ValueError(f"not the outputs of a simulation chunk: {exc}") from exc


def combine_outputs(
    parts: Sequence[OutputArrays], roles: list[str], horizon_steps: int
) -> tuple[list[Series], SimulationSummary]:
    """The series and summary of the iterations of every part together, as one run would aggregate them."""
    if not parts:
        raise ValueError("no outputs to combine")
    collector = SeriesCollector(roles)
    values = np.concatenate([part.values for part in parts], axis=2)
    for index, name in enumerate(OUTPUTS):
        for step in range(horizon_steps):
            block = values[index, step]
            collector.add(name, block[:, :-1], block[:, -1])
    savings = np.concatenate([part.savings for part in parts], axis=1)
    reskilling = np.concatenate([part.reskilling for part in parts], axis=1)
    return collector.series(), summarise(savings, reskilling, horizon_steps)
