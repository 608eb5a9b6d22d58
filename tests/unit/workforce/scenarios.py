"""Small scenarios shared by the engine tests: two roles by default, every policy, one role builder."""

from __future__ import annotations

from typing import Any

from hireflow.domain.models.workforce import Scenario
from hireflow.domain.services.workforce_scenarios import scenario_from_mapping

POLICIES: list[dict[str, Any]] = [
    {"kind": "absorb"},
    {"kind": "stop_backfilling"},
    {"kind": "reduce_headcount"},
    {"kind": "redeploy", "reskilling_cost_per_employee": 300_000, "delay_months": 2},
]


def role_data(name: str, **changes: Any) -> dict[str, Any]:
    """A role as a scenario file gives it: 40 people at 50,000.00 a year, 60% exposed, 20% attrition."""
    values: dict[str, Any] = {
        "name": name,
        "headcount": 40,
        "annual_salary": 5_000_000,
        "exposure": 0.6,
        "attrition_rate": 0.2,
        "hiring_lead_time_months": 2,
    }
    return values | changes


def two_roles(agents: int, analysts: int, *, horizon_steps: int, iterations: int, **changes: Any) -> Scenario:
    """Agents (60% exposed) and analysts (20% exposed), linear adoption over a year, factor 0.5, seed 7."""
    data: dict[str, Any] = {
        "name": "test",
        "roles": [
            role_data("Agent", headcount=agents),
            role_data("Analyst", headcount=analysts, exposure=0.2),
        ],
        "automation_factor": 0.5,
        "adoption": {"kind": "linear", "start_step": 0, "end_step": 12},
        "horizon_steps": horizon_steps,
        "iterations": iterations,
        "seed": 7,
    }
    return scenario_from_mapping(data | changes)
