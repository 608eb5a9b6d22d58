"""The :class:`~hireflow.domain.ports.workforce_runs.BlockSimulator` over the two engines: blocks are the
engines' whole outputs (:class:`~hireflow.infra.workforce._aggregate.OutputArrays`) as compressed ``.npz``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from hireflow.domain.models.workforce import Scenario
from hireflow.domain.models.workforce_results import SimulationResult
from hireflow.domain.models.workforce_runs import EngineName
from hireflow.infra.workforce._aggregate import OutputArrays, combine_outputs


class EngineBlocks:
    """Runs blocks on the engine a run names; the Mesa engine is imported only when a run asks for it."""

    def run_block(
        self,
        scenario: Scenario,
        *,
        engine: EngineName,
        first_iteration: int,
        iterations: int,
        seed: int,
        progress: Callable[[float], None] | None = None,
    ) -> bytes:
        outputs = _engine(engine).run_block(
            scenario, first_iteration=first_iteration, iterations=iterations, seed=seed, progress=progress
        )
        return outputs.to_bytes()

    def combine(
        self, scenario: Scenario, *, engine: EngineName, seed: int, blocks: Sequence[bytes]
    ) -> SimulationResult:
        parts = [OutputArrays.from_bytes(block) for block in blocks]
        steps, roles = scenario.horizon_steps, [role.name for role in scenario.roles]
        for part in parts:
            if part.values.shape[1] != steps or part.values.shape[3] != len(roles) + 1:
                raise ValueError(
                    f"a block of shape {part.values.shape} does not fit {steps} steps and {len(roles)} roles"
                )
        series, summary = combine_outputs(parts, roles, steps)
        return SimulationResult(
            scenario_name=scenario.name,
            currency=scenario.currency,
            engine=engine,
            iterations=sum(part.iterations for part in parts),
            seed=seed,
            horizon_steps=steps,
            series=series,
            summary=summary,
        )


def _engine(name: EngineName) -> _BlockEngine:
    if name == "mesa":
        from hireflow.infra.workforce.agents import MesaEngine

        return MesaEngine()
    from hireflow.infra.workforce.vectorized import VectorizedEngine

    return VectorizedEngine()


class _BlockEngine(Protocol):
    """What both engines offer for blocks."""

    def run_block(
        self,
        scenario: Scenario,
        *,
        first_iteration: int,
        iterations: int,
        seed: int,
        progress: Callable[[float], None] | None = None,
    ) -> OutputArrays: ...
