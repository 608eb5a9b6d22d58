"""The agent-based simulation engine: a Mesa 3 model per iteration in which every employee is an agent.

The model itself is in :mod:`hireflow.infra.workforce._mesa_model`, imported on the first run: importing Mesa
scans the whole environment, and importing Hireflow must not. Its step follows, equation by equation, the
specification in the docstring of :mod:`hireflow.infra.workforce.vectorized`; a test checks that the two engines
agree on the mean of every output.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hireflow.domain.models.workforce import Scenario
from hireflow.domain.models.workforce_results import OUTPUTS, SimulationResult
from hireflow.infra.workforce._aggregate import Collector, OutputArrays, SeriesCollector, summarise
from hireflow.shared.errors import MissingExtraError

try:
    import numpy as np
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise MissingExtraError("simulation", "the agent-based workforce simulation") from exc


class MesaEngine:
    """The :class:`~hireflow.domain.ports.workforce.SimulationEngine` with one agent per employee; slow, meant
    for small workforces and as the reference the vectorized engine is checked against."""

    name = "mesa"

    def run(
        self,
        scenario: Scenario,
        *,
        iterations: int | None = None,
        seed: int | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> SimulationResult:
        """Simulate ``scenario`` (resolved: every role has an exposure and a salary)."""
        runs = scenario.iterations if iterations is None else iterations
        seed = scenario.seed if seed is None else seed
        steps, names = scenario.horizon_steps, [role.name for role in scenario.roles]
        collector = SeriesCollector(names)
        savings, reskilling = self._simulate(scenario, 0, runs, seed, collector=collector, progress=progress)
        return SimulationResult(
            scenario_name=scenario.name,
            currency=scenario.currency,
            engine=self.name,
            iterations=runs,
            seed=seed,
            horizon_steps=steps,
            series=collector.series(),
            summary=summarise(savings, reskilling, steps),
        )

    def run_block(
        self,
        scenario: Scenario,
        *,
        first_iteration: int,
        iterations: int,
        seed: int,
        progress: Callable[[float], None] | None = None,
    ) -> OutputArrays:
        """Iterations ``first_iteration`` … ``first_iteration + iterations - 1`` of a run, kept whole; each
        iteration is seeded as in :meth:`run`, so blocks combined give exactly the result of one run."""
        outputs = OutputArrays.empty(len(scenario.roles), scenario.horizon_steps, iterations)
        savings, reskilling = self._simulate(
            scenario, first_iteration, iterations, seed, collector=outputs, progress=progress
        )
        outputs.savings[:], outputs.reskilling[:] = savings, reskilling
        return outputs

    @staticmethod
    def _simulate(
        scenario: Scenario,
        first_iteration: int,
        iterations: int,
        seed: int,
        *,
        collector: Collector,
        progress: Callable[[float], None] | None,
    ) -> tuple[Any, Any]:
        """Run iterations ``first_iteration`` onwards into ``collector``; their savings and reskilling costs.

        Iteration ``i`` draws from ``SeedSequence(seed, spawn_key=(i,))``: the ``i``-th child that
        ``SeedSequence(seed).spawn`` would give, whatever block it runs in."""
        from hireflow.infra.workforce._mesa_model import EXTRA, WorkforceModel

        steps, names = scenario.horizon_steps, [role.name for role in scenario.roles]
        keys = [*OUTPUTS, *EXTRA, *(f"{name}:{role}" for name in OUTPUTS for role in names)]
        data = {key: np.zeros((steps, iterations)) for key in keys}
        for index in range(iterations):
            child = np.random.SeedSequence(seed, spawn_key=(first_iteration + index,))
            model = WorkforceModel(scenario, rng=np.random.Generator(np.random.PCG64(child)))
            for _ in range(steps):
                model.step()
            for key in keys:
                data[key][:, index] = model.datacollector.model_vars[key]
            if progress is not None:
                progress((index + 1) / iterations)
        for step in range(steps):
            for name in OUTPUTS:
                per_role = np.stack([data[f"{name}:{role}"][step] for role in names], axis=1)
                collector.add(name, per_role, data[name][step])
        return data["savings"], data["reskilling"]
