"""What the workforce context reads from outside: occupation reference tables.

The infra loaders (``hireflow.infra.workforce.occupations``) build these from the "GPTs are GPTs" occupation
exposure file and the BLS OES national wage file; unit tests build small ones in memory. Both tables are plain
read-only mappings keyed by 2018 SOC code (``43-4051``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from hireflow.domain.models.workforce import Measure, Rater, Scenario
from hireflow.domain.models.workforce_results import SimulationResult


@dataclass(frozen=True)
class OccupationExposure:
    """The share of an occupation's tasks exposed to large language models, per rater and measure.

    ``onet_codes`` lists the O*NET-SOC occupations averaged into this SOC code (one, most of the time).
    """

    soc_code: str
    title: str
    shares: Mapping[tuple[Rater, Measure], float]
    onet_codes: tuple[str, ...] = field(default=())

    def share(self, rater: Rater, measure: Measure) -> float:
        """Exposure (0-1) as rated by ``rater`` with ``measure``."""
        return self.shares[(rater, measure)]


@dataclass(frozen=True)
class OccupationWage:
    """Employment and annual wages of one occupation in U.S. cents; None where the source suppressed or
    top-coded the value."""

    soc_code: str
    title: str
    group: str
    employment: int | None
    annual_mean_cents: int | None
    annual_median_cents: int | None


ExposureTable = Mapping[str, OccupationExposure]
"""Occupation exposures by SOC code."""
WageTable = Mapping[str, OccupationWage]
"""Occupation employment and wages by SOC code."""


class SimulationEngine(Protocol):
    """Runs a resolved scenario (every role has an exposure and a salary) and aggregates its outputs.

    ``iterations`` and ``seed`` override the scenario's; ``progress`` is called with the share done (0-1).
    The same scenario, iterations and seed give the same result, run after run.
    """

    def run(
        self,
        scenario: Scenario,
        *,
        iterations: int | None = None,
        seed: int | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> SimulationResult:
        """Simulate ``scenario`` and return its aggregated outputs."""
        ...
