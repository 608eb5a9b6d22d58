"""``POST /api/v1/candidates/{id}/transitions``: funnel moves through HTTP, who may make them, and the funnel
analytics cache that every write moving candidates invalidates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter

from hireflow.domain.models.identity import MembershipRole
from tests.e2e.api.test_candidates import CANDIDATES, create, error_fields, snapshot
from tests.e2e.api.world import ApiWorld, Tenant

R = MembershipRole


def move(world: ApiWorld, candidate_id: int, role: MembershipRole = R.ADMIN, **body: Any) -> Any:
    return world.request("POST", f"{CANDIDATES}/{candidate_id}/transitions", role=role, json=body)


def test_a_transition_moves_the_candidate_and_logs_the_caller(world: ApiWorld) -> None:
    ana = create(world, "4155550101")

    response = move(world, ana["id"], R.HIRING_MANAGER, to_state="contacted", reason="called back")

    assert response.status_code == 200, response.text
    body = response.json()
    manager = world.a.users[R.HIRING_MANAGER]
    assert body["result"] == "applied"
    assert body["candidate"] == world.request("GET", f"{CANDIDATES}/{ana['id']}").json()
    assert body["candidate"]["funnel_state"] == "contacted"
    assert body["candidate"]["state_changed_at"] == body["entry"]["occurred_at"]
    entry = body["entry"]
    assert (entry["from_state"], entry["to_state"], entry["applied"]) == ("lead", "contacted", True)
    assert (entry["actor"], entry["actor_user_id"], entry["reason"]) == (
        f"user:{manager}",
        manager,
        "called back",
    )
    history = world.request("GET", f"{CANDIDATES}/{ana['id']}/history").json()["items"]
    assert history == [entry]


def test_moving_to_the_current_state_writes_nothing(world: ApiWorld) -> None:
    ana = create(world, "4155550101")
    before = snapshot(world)

    response = move(world, ana["id"], to_state="lead")

    assert response.status_code == 200
    assert (response.json()["result"], response.json()["entry"]) == ("unchanged", None)
    assert snapshot(world) == before


def test_a_move_the_funnel_forbids_is_409_naming_the_allowed_states(world: ApiWorld) -> None:
    ana = create(world, "4155550101")
    before = snapshot(world)

    response = move(world, ana["id"], to_state="hired")

    assert response.status_code == 409
    problem = response.json()
    assert problem["type"].endswith("/invalid-transition")
    assert problem["detail"] == (
        "cannot move a candidate from 'lead' to 'hired'; allowed from 'lead': contacted, eligible, expired, "
        "ineligible, rejected, screening, withdrawn"
    )
    assert (problem["from_state"], problem["to_state"]) == ("lead", "hired")
    assert problem["allowed"] == [
        "contacted", "eligible", "expired", "ineligible", "rejected", "screening", "withdrawn"
    ]  # fmt: skip
    assert snapshot(world) == before
    assert move(world, ana["id"], to_state="rejected").status_code == 200
    final = move(world, ana["id"], to_state="contacted")
    assert final.status_code == 409
    assert "none (final state)" in final.json()["detail"]


def test_bad_bodies_are_422_naming_each_field(world: ApiWorld) -> None:
    ana = create(world, "4155550101")

    bad = move(world, ana["id"], to_state="promoted", reason="x" * 501, funnel_state="hired")
    missing = move(world, ana["id"])

    assert error_fields(bad) == {"body.to_state", "body.reason", "body.funnel_state"}
    assert error_fields(missing) == {"body.to_state"}
    assert world.request("GET", f"{CANDIDATES}/{ana['id']}").json()["funnel_state"] == "lead"


def test_who_may_move_candidates(world: ApiWorld) -> None:
    ana = create(world, "4155550101")

    denied = move(world, ana["id"], R.VIEWER, to_state="contacted")

    assert denied.status_code == 403
    assert "candidates:transition" in denied.json()["detail"]
    assert move(world, ana["id"], R.HIRING_MANAGER, to_state="contacted").status_code == 200
    assert move(world, ana["id"], R.RECRUITER, to_state="screening").status_code == 200
    assert (
        world.client.post(f"{CANDIDATES}/{ana['id']}/transitions", json={"to_state": "eligible"}).status_code
        == 401
    )


def test_deleted_and_other_tenants_candidates_cannot_move(world: ApiWorld) -> None:
    gone = create(world, "4155550101")
    theirs = create(world, "4155550102", tenant=world.b)
    assert world.request("DELETE", f"{CANDIDATES}/{gone['id']}").status_code == 204
    before = snapshot(world)

    assert move(world, gone["id"], to_state="contacted").status_code == 404
    assert move(world, theirs["id"], to_state="contacted").status_code == 404
    assert move(world, 999999, to_state="contacted").status_code == 404
    assert snapshot(world) == before


# -- the funnel analytics cache ------------------------------------------------------------------------------
class Counter:
    """A compute that counts its calls, to tell a cached answer from a fresh one."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


def cached(world: ApiWorld, tenant: Tenant, compute: Counter) -> int:
    return world.services.funnel_cache.get_or_compute(tenant.id, "buckets", {}, compute, TypeAdapter(int))


def test_a_transition_makes_the_next_funnel_answer_fresh(world: ApiWorld) -> None:
    ana = create(world, "4155550101")
    mine, theirs = Counter(), Counter()
    assert (cached(world, world.a, mine), cached(world, world.a, mine)) == (
        1,
        1,
    )  # primed: the second is cached
    cached(world, world.b, theirs)

    assert move(world, ana["id"], R.HIRING_MANAGER, to_state="contacted").status_code == 200

    assert cached(world, world.a, mine) == 2
    assert mine.calls == 2
    assert cached(world, world.b, theirs) == 1  # another company group's answers stay cached


def test_every_write_that_moves_candidates_invalidates_the_funnel_cache(world: ApiWorld) -> None:
    ana = create(world, "4155550101")
    bea = create(world, "4155550102", first_name="Bea")
    writes: list[tuple[str, Callable[[], Any]]] = [
        (
            "create",
            lambda: world.request("POST", CANDIDATES, json={"first_name": "Cai", "phone": "4155550103"}),
        ),
        ("change", lambda: world.request("PATCH", f"{CANDIDATES}/{ana['id']}", json={"city": "Lugo"})),
        ("transition", lambda: move(world, ana["id"], to_state="contacted")),
        (
            "merge",
            lambda: world.request(
                "POST", f"{CANDIDATES}/{ana['id']}/merge", json={"duplicate_id": bea["id"]}
            ),
        ),
        ("delete", lambda: world.request("DELETE", f"{CANDIDATES}/{ana['id']}")),
    ]
    compute = Counter()
    for name, write in writes:
        primed = cached(world, world.a, compute)
        assert cached(world, world.a, compute) == primed, name

        assert write().status_code in {200, 201, 204}, name

        assert cached(world, world.a, compute) == primed + 1, name
    refused = move(world, ana["id"], to_state="hired")
    primed = cached(world, world.a, compute)
    assert refused.status_code == 404
    assert cached(world, world.a, compute) == primed
