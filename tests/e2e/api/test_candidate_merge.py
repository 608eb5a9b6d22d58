"""``POST /api/v1/candidates/{id}/merge`` and ``GET /api/v1/candidates/duplicates``: finding and merging
duplicates through HTTP, losing nothing, with permissions and tenancy."""

from __future__ import annotations

from typing import Any

from hireflow.domain.models.identity import MembershipRole
from tests.e2e.api.test_candidates import CANDIDATES, create, error_fields, snapshot
from tests.e2e.api.world import ApiWorld

R = MembershipRole
DUPLICATES = f"{CANDIDATES}/duplicates"


def merge(world: ApiWorld, candidate_id: int, role: MembershipRole = R.ADMIN, **body: Any) -> Any:
    return world.request("POST", f"{CANDIDATES}/{candidate_id}/merge", role=role, json=body)


def test_merging_a_duplicate_into_a_candidate_moves_everything_and_reports_it(world: ApiWorld) -> None:
    keep = create(world, "4155550101", email=None)
    dupe = create(world, "4155550102", email="ana@example.com", city="Lugo")
    with world.services.uow_factory(world.a.id) as uow:
        uow.candidates.add_external_id(dupe["id"], "hubspot", "hs-7")
        uow.commit()
    moved = world.request("POST", f"{CANDIDATES}/{dupe['id']}/transitions", json={"to_state": "contacted"})
    assert moved.status_code == 200

    response = merge(world, keep["id"], R.RECRUITER, duplicate_id=dupe["id"])

    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["kept_id"], report["merged_ids"], report["repointed"]) == (keep["id"], [dupe["id"]], [])
    assert report["moved"]["candidate_external_ids"] == 1
    assert report["moved"]["funnel_log"] == 1
    assert report["filled"] == {"email": dupe["id"], "city": dupe["id"]}
    assert report["candidate"] == world.request("GET", f"{CANDIDATES}/{keep['id']}").json()
    kept = report["candidate"]
    assert (kept["email"], kept["city"]) == ("ana@example.com", "Lugo")
    assert kept["external_ids"] == [{"source": "hubspot", "external_id": "hs-7"}]
    history = world.request("GET", f"{CANDIDATES}/{keep['id']}/history").json()["items"]
    assert [e["id"] for e in history][-1] == report["log_entry_id"]
    assert history[-1]["details"]["merge"]["merged_ids"] == [dupe["id"]]
    assert world.request("GET", f"{CANDIDATES}/{dupe['id']}").status_code == 404
    gone = world.request("GET", f"{CANDIDATES}/{dupe['id']}", params={"include_deleted": True}).json()
    assert gone["merged_into_id"] == keep["id"]
    assert gone["deleted_at"] is not None
    assert [c["id"] for c in world.request("GET", CANDIDATES).json()["items"]] == [keep["id"]]


def test_merging_a_candidate_into_another(world: ApiWorld) -> None:
    keep = create(world, "4155550101")
    dupe = create(world, "4155550102")

    response = merge(world, dupe["id"], into=keep["id"])

    assert response.status_code == 200, response.text
    assert (response.json()["kept_id"], response.json()["merged_ids"]) == (keep["id"], [dupe["id"]])
    again = merge(world, keep["id"], duplicate_id=dupe["id"])
    assert again.status_code == 409  # merged away already
    assert f"merged into candidate {keep['id']}" in again.json()["detail"]


def test_a_merge_names_exactly_one_other_candidate(world: ApiWorld) -> None:
    ana = create(world, "4155550101")
    bea = create(world, "4155550102")
    before = snapshot(world)

    both = merge(world, ana["id"], duplicate_id=bea["id"], into=bea["id"])
    neither = merge(world, ana["id"])
    bad = merge(world, ana["id"], duplicate_id=0, keep=True)
    itself = merge(world, ana["id"], duplicate_id=ana["id"])

    assert error_fields(both) == error_fields(neither) == {"body"}
    assert "exactly one" in both.json()["errors"][0]["msg"]
    assert error_fields(bad) == {"body.duplicate_id", "body.keep"}
    assert error_fields(itself) == {"duplicate_ids"}
    assert snapshot(world) == before


def test_only_who_may_delete_may_merge(world: ApiWorld) -> None:
    ana = create(world, "4155550101")
    bea = create(world, "4155550102")
    before = snapshot(world)

    for role in (R.VIEWER, R.HIRING_MANAGER):
        denied = merge(world, ana["id"], role, duplicate_id=bea["id"])
        assert denied.status_code == 403
        assert "candidates:delete" in denied.json()["detail"]
    assert snapshot(world) == before


def test_duplicates_are_listed_surest_first_in_pages(world: ApiWorld) -> None:
    luis = create(world, "4155550101", first_name="Luis", last_name="Perez", city="Lugo")
    luis2 = create(world, "4155550102", first_name="Luis", last_name="Perez", city="Lugo")
    ana = create(world, "4155550103", email="ana@example.com", city="Lugo")
    anna = create(world, "4155550104", first_name="Anna", email="ana@example.com", city="Lugo")
    create(world, "4155550105", first_name="Zoe", last_name="Unique", city="Vigo")
    create(world, "4155550106", tenant=world.b, email="ana@example.com")

    first = world.request("GET", DUPLICATES, role=R.VIEWER, params={"limit": 1}).json()
    second = world.request("GET", DUPLICATES, params={"limit": 1, "cursor": first["next_cursor"]}).json()

    groups = first["items"] + second["items"]
    assert [g["candidate_ids"] for g in groups] == [[ana["id"], anna["id"]], [luis["id"], luis2["id"]]]
    assert groups[0]["score"] > groups[1]["score"] == 0.9  # email and name beat the name alone
    assert groups[0]["reasons"][0] == "same email"
    assert groups[1]["pairs"] == [
        {
            "first_id": luis["id"],
            "second_id": luis2["id"],
            "score": groups[1]["score"],
            "reasons": ["same name", "same city"],
        }
    ]
    assert (first["next_cursor"] is not None, second["next_cursor"]) == (True, None)
    theirs = world.client.get(DUPLICATES, headers=world.headers(R.ADMIN, world.b)).json()
    assert theirs == {"items": [], "next_cursor": None}
    wrong = world.request("GET", DUPLICATES, params={"cursor": first["next_cursor"].swapcase()})
    assert error_fields(wrong) == {"cursor"}
