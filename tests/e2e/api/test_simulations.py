"""``/api/v1/simulations``: submit a scenario, poll it, read its results and plot, cancel it, over HTTP."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from hireflow.apps.api.app import create_app
from hireflow.apps.api.routers.simulations import _EXAMPLE_SCENARIO
from hireflow.domain.models.identity import MembershipRole
from hireflow.domain.models.workforce_results import OUTPUTS
from hireflow.domain.services.workforce_scenarios import scenario_from_mapping
from hireflow.shared.config import get_settings
from tests.e2e.api.world import ApiWorld, Tenant, build_world
from tests.unit.workforce.scenarios import role_data

SIMULATIONS = "/api/v1/simulations"
FINAL = {"succeeded", "failed", "cancelled"}
OCCUPATIONS = """O*NET-SOC Code,Title,dv_rating_alpha,dv_rating_beta,dv_rating_gamma,human_rating_alpha,human_rating_beta,human_rating_gamma
43-4051.00,Customer Service Representatives,0.5,0.6,0.7,0.4,0.55,0.7
"""
WAGES = """OCC_CODE,OCC_TITLE,O_GROUP,TOT_EMP,A_MEAN,A_MEDIAN
43-4051,Customer Service Representatives,detailed,"2,800,000","42,830","39,680"
"""


def scenario(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Contact centre",
        "roles": [role_data("Agent", headcount=20), role_data("Analyst", headcount=5, exposure=0.2)],
        "automation_factor": 0.6,
        "adoption": {"kind": "logistic", "midpoint_step": 6, "steepness": 0.5},
        "policy": {"kind": "reduce_headcount"},
        "horizon_steps": 12,
        "iterations": 12,
        "seed": 3,
    }
    return data | changes


@pytest.fixture
def world(make_client: Callable[[FastAPI | None], TestClient], tmp_path: Path) -> ApiWorld:
    """The API world, with chunks of 5 iterations and small occupation tables configured."""
    (tmp_path / "occ_level.csv").write_text(OCCUPATIONS)
    (tmp_path / "oes.csv").write_text(WAGES)
    get_settings.cache_clear()
    settings = get_settings().model_copy(
        update={
            "simulation_chunk_iterations": 5,
            "simulation_max_employees": 10_000,
            "occupation_exposures_path": tmp_path / "occ_level.csv",
            "occupation_wages_path": tmp_path / "oes.csv",
        }
    )
    app = create_app(settings)
    return build_world(app, make_client(app))


def submit(world: ApiWorld, body: dict[str, Any], role: MembershipRole = MembershipRole.ADMIN) -> Any:
    return world.request("POST", SIMULATIONS, role=role, json=body)


def poll(world: ApiWorld, simulation_id: int, tenant: Tenant | None = None) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while True:
        response = world.client.get(f"{SIMULATIONS}/{simulation_id}", headers=world.headers(tenant=tenant))
        assert response.status_code == 200, response.text
        run: dict[str, Any] = response.json()
        if run["status"] in FINAL or time.monotonic() > deadline:
            return run
        time.sleep(0.02)


def test_a_simulation_is_accepted_run_in_chunks_and_its_results_and_plot_are_served(world: ApiWorld) -> None:
    response = submit(world, {"scenario": scenario(), "engine": "vectorized"})

    assert response.status_code == 202, response.text
    accepted = response.json()
    assert response.headers["Location"] == f"{SIMULATIONS}/{accepted['id']}"
    assert (accepted["chunks_total"], accepted["chunk_iterations"], accepted["engine"]) == (
        3,
        5,
        "vectorized",
    )
    assert accepted["created_by_user_id"] == world.a.users[MembershipRole.ADMIN]
    done = poll(world, accepted["id"])
    assert (done["status"], done["progress"], done["chunks_done"], done["error"]) == (
        "succeeded",
        1.0,
        3,
        None,
    )

    results = world.request("GET", f"{SIMULATIONS}/{accepted['id']}/results").json()
    assert (results["iterations"], results["horizon_steps"], results["engine"]) == (12, 12, "vectorized")
    assert {(s["name"], s["role"]) for s in results["series"]} == {
        (name, role) for name in OUTPUTS for role in (None, "Agent", "Analyst")
    }
    headcount = next(s for s in results["series"] if s["name"] == "headcount" and s["role"] is None)
    assert len(headcount["mean"]) == 12
    assert all(
        p5 <= p50 <= p95
        for p5, p50, p95 in zip(headcount["p5"], headcount["p50"], headcount["p95"], strict=True)
    )
    assert headcount["mean"][-1] < 25  # reduce_headcount lets the automated surplus go
    assert set(results["summary"]) >= {"net_annual_savings_mean", "break_even_step"}

    only = world.request(
        "GET", f"{SIMULATIONS}/{accepted['id']}/results", params={"output": "fte_freed", "totals_only": True}
    ).json()
    assert [(s["name"], s["role"]) for s in only["series"]] == [("fte_freed", None)]

    plot = world.request("GET", f"{SIMULATIONS}/{accepted['id']}/plot.png")
    assert plot.status_code == 200
    assert plot.headers["content-type"] == "image/png"
    assert plot.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(plot.content) > 10_000


def test_roles_by_soc_code_take_exposure_and_salary_from_the_configured_tables(world: ApiWorld) -> None:
    role = {
        k: v
        for k, v in role_data("Agent", soc_code="43-4051").items()
        if k not in ("exposure", "annual_salary")
    }
    response = submit(world, {"scenario": scenario(roles=[role], iterations=2, currency="USD")})
    assert response.status_code == 202, response.text

    stored = world.request("GET", f"{SIMULATIONS}/{response.json()['id']}/scenario").json()
    assert stored["roles"][0]["exposure"] == 0.55  # human rater, beta measure: the default source
    assert stored["roles"][0]["annual_salary"] == 4_283_000  # the mean wage, in cents


def test_a_bad_scenario_gets_every_problem_at_once_and_nothing_is_stored(world: ApiWorld) -> None:
    roles = [
        role_data("Agent", headcount=-1),
        role_data("Analyst", exposure=1.5),
        {k: v for k, v in role_data("Clerk", soc_code="99-9999").items() if k != "exposure"},
    ]
    response = submit(world, {"scenario": scenario(roles=roles, horizon_steps=601)})

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"roles.0.headcount", "roles.1.exposure", "roles.2.soc_code", "horizon_steps"} <= fields
    assert world.request("GET", SIMULATIONS).json()["items"] == []


def test_a_scenario_over_the_configured_limits_is_refused_before_it_runs(world: ApiWorld) -> None:
    response = submit(world, {"scenario": scenario(roles=[role_data("Agent", headcount=20_000)])})

    assert response.status_code == 422
    assert "20,000 employees exceed the limit of 10,000" in response.json()["detail"]


def test_results_of_an_unfinished_run_are_a_conflict_and_cancelling_stops_it(world: ApiWorld) -> None:
    slow = scenario(roles=[role_data("Agent", headcount=400)], horizon_steps=120, iterations=60)
    accepted = submit(world, {"scenario": slow, "engine": "mesa"}).json()

    early = world.request("GET", f"{SIMULATIONS}/{accepted['id']}/results")
    assert early.status_code == 409
    assert "has no result" in early.json()["detail"]
    cancelled = world.request("POST", f"{SIMULATIONS}/{accepted['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["finished_at"] is not None
    time.sleep(0.3)  # chunks that were running stop at their next progress report
    assert poll(world, accepted["id"])["status"] == "cancelled"
    assert world.request("GET", f"{SIMULATIONS}/{accepted['id']}/plot.png").status_code == 409


def test_another_company_group_cannot_see_or_cancel_a_simulation(world: ApiWorld) -> None:
    accepted = submit(world, {"scenario": scenario(iterations=1)}).json()
    other = world.headers(tenant=world.b)

    for path in ("", "/results", "/scenario", "/plot.png"):
        assert world.client.get(f"{SIMULATIONS}/{accepted['id']}{path}", headers=other).status_code == 404
    assert world.client.post(f"{SIMULATIONS}/{accepted['id']}/cancel", headers=other).status_code == 404
    assert world.client.get(SIMULATIONS, headers=other).json()["items"] == []


@pytest.mark.parametrize(
    ("role", "read", "run"),
    [
        (MembershipRole.VIEWER, 403, 403),
        (MembershipRole.HIRING_MANAGER, 200, 403),
        (MembershipRole.RECRUITER, 200, 403),
        (MembershipRole.ADMIN, 200, 202),
    ],
)
def test_reading_and_running_simulations_follow_the_permission_matrix(
    world: ApiWorld, role: MembershipRole, read: int, run: int
) -> None:
    assert world.request("GET", SIMULATIONS, role=role).status_code == read
    assert submit(world, {"scenario": scenario(iterations=1)}, role=role).status_code == run


def test_simulations_are_listed_newest_first_with_a_cursor(world: ApiWorld) -> None:
    ids = [submit(world, {"scenario": scenario(iterations=1)}).json()["id"] for _ in range(3)]

    first = world.request("GET", SIMULATIONS, params={"limit": 2}).json()
    rest = world.request("GET", SIMULATIONS, params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [run["id"] for run in first["items"] + rest["items"]] == ids[::-1]
    assert rest["next_cursor"] is None


def test_the_documented_example_is_a_valid_scenario() -> None:
    assert scenario_from_mapping(_EXAMPLE_SCENARIO).total_headcount == 200
