"""The Mesa and vectorized engines implement the same model: over many seeds, the means of every output (total
and per role, at mid-horizon and at the last step) agree within their confidence intervals.

Each engine runs one iteration per seed, so each run's mean is one independent sample of the output; the
test compares ``|m1 - m2| <= 4 * sqrt(se1² + se2²) + 1e-6``.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

pytest.importorskip("mesa")

import numpy as np

from hireflow.domain.models.workforce_results import OUTPUTS
from hireflow.domain.services.workforce_scenarios import scenario_from_mapping
from hireflow.infra.workforce._mesa_model import WorkforceModel
from hireflow.infra.workforce.agents import MesaEngine
from hireflow.infra.workforce.vectorized import VectorizedEngine
from tests.unit.workforce.scenarios import role_data

SEEDS = 200
STEPS = 18
Z = 4.0
ABSOLUTE = 1e-6


def _role(name: str, **changes: Any) -> dict[str, Any]:
    return role_data(name, **({"headcount": 30, "attrition_rate": 0.25} | changes))


SCENARIOS = {
    "absorb": {"policy": {"kind": "absorb"}},
    "reduce_headcount": {
        "policy": {"kind": "reduce_headcount"},
        "adoption": {"kind": "logistic", "midpoint_step": 6, "steepness": 0.5},
    },
    "redeploy": {
        "policy": {"kind": "redeploy", "reskilling_cost_per_employee": 300_000, "delay_months": 2},
        "roles": [
            _role("Agent", exposure=0.8),
            _role("Analyst", headcount=10, exposure=0.1, hiring_lead_time_months=4),
            _role("Lead", headcount=5, exposure=0.0, hiring_lead_time_months=3),
        ],
        "demand_growth": 0.4,
    },
}


def _scenario(**changes: Any) -> Any:
    data = {
        "name": "agreement",
        "roles": [_role("Agent"), _role("Analyst", headcount=15, exposure=0.2, hiring_lead_time_months=0)],
        "automation_factor": 0.6,
        "adoption": {"kind": "linear", "start_step": 0, "end_step": 12},
        "horizon_steps": STEPS,
        "iterations": 1,
    }
    return scenario_from_mapping(data | changes)


def _vectorized_samples(scenario: Any) -> dict[str, list[list[float]]]:
    """``{"output:role": [per-step values of one run, for each seed]}``, one iteration per seed."""
    runs = [VectorizedEngine().run(scenario, iterations=1, seed=seed) for seed in range(SEEDS)]
    samples = {f"{series.name}:{series.role}": [] for series in runs[0].series}
    for run in runs:
        for series in run.series:
            samples[f"{series.name}:{series.role}"].append(series.mean)
    return samples


def _mesa_samples(scenario: Any) -> dict[str, list[list[float]]]:
    """The same from the Mesa model's DataCollector, one model per seed (as :class:`MesaEngine` runs them)."""
    samples: dict[str, list[list[float]]] = {}
    for child in np.random.SeedSequence(0).spawn(SEEDS):
        model = WorkforceModel(scenario, rng=np.random.Generator(np.random.PCG64(child)))
        for _ in range(STEPS):
            model.step()
        for key, values in model.datacollector.model_vars.items():
            name = key if ":" in key else f"{key}:None"
            samples.setdefault(name, []).append(values)
    return samples


def _mean_and_se(values: list[float]) -> tuple[float, float]:
    mean = sum(values) / len(values)
    variance = sum((value - mean) ** 2 for value in values) / (len(values) - 1)
    return mean, math.sqrt(variance / len(values))


@pytest.mark.parametrize("changes", SCENARIOS.values(), ids=list(SCENARIOS))
def test_both_engines_agree_on_the_mean_of_every_output(changes: dict[str, Any]) -> None:
    scenario = _scenario(**changes)
    mesa, vectorized = _mesa_samples(scenario), _vectorized_samples(scenario)
    keys = [f"{name}:{role}" for name in OUTPUTS for role in [None, *(role.name for role in scenario.roles)]]
    disagreements = []
    for key in keys:
        for step in (STEPS // 2 - 1, STEPS - 1):
            m1, se1 = _mean_and_se([run[step] for run in mesa[key]])
            m2, se2 = _mean_and_se([run[step] for run in vectorized[key]])
            if abs(m1 - m2) > Z * math.hypot(se1, se2) + ABSOLUTE:
                disagreements.append(
                    f"{key}@{step + 1}: mesa {m1:.4g}±{se1:.2g}, vectorized {m2:.4g}±{se2:.2g}"
                )
    assert not disagreements, "\n".join(disagreements)


def test_the_redeploy_scenario_does_redeploy() -> None:
    result = MesaEngine().run(_scenario(**SCENARIOS["redeploy"]), iterations=20, seed=1)
    assert sum(result.get("redeployments").mean) > 1
    assert result.summary.total_reskilling_cost_mean > 0
