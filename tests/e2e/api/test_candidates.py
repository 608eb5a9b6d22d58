"""``/api/v1/candidates``: records, search with every filter and sort, history, permissions and tenancy, through
HTTP. Transitions and merges have files of their own; their helpers live here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from hireflow.apps.api.app import create_app
from hireflow.apps.api.pagination import encode_cursor, encode_keyset_cursor
from hireflow.domain.models.candidates import CandidateSort
from hireflow.domain.models.identity import MembershipRole
from hireflow.domain.models.org import BusinessUnit
from hireflow.shared.clock import FixedClock
from hireflow.shared.config import get_settings
from tests.builders import T0, candidate, location, role
from tests.e2e.api.world import ApiWorld, Tenant, build_world

CANDIDATES = "/api/v1/candidates"
DAY = timedelta(days=1)
R = MembershipRole


# -- helpers the transition and merge tests share ---------------------------------------------------------
def create(world: ApiWorld, phone: str, tenant: Tenant | None = None, **fields: Any) -> dict[str, Any]:
    """Create a candidate as the admin of ``tenant`` (default a) and return it."""
    body = {"first_name": "Ana", "last_name": "Lopez", "phone": phone} | fields
    response = world.client.post(CANDIDATES, json=body, headers=world.headers(R.ADMIN, tenant))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def error_fields(response: Any) -> set[str]:
    """The offending fields of a 422: ``loc`` for request validation, ``field`` for domain rules."""
    assert response.status_code == 422, response.text
    return {error.get("loc") or error["field"] for error in response.json()["errors"]}


def snapshot(world: ApiWorld) -> dict[str, Any]:
    """Both tenants' candidate rows, external ids and funnel logs, to prove a refused request changed nothing."""
    rows = {}
    for tenant in (world.a, world.b):
        with world.services.uow_factory(tenant.id) as uow:
            rows[tenant.slug] = (
                uow.candidates.list(limit=1000),
                uow.candidate_external_ids.list(limit=1000),
                uow.funnel_log.list(limit=1000),
            )
    return rows


def walk(world: ApiWorld, params: dict[str, Any], limit: int = 2) -> list[list[dict[str, Any]]]:
    """Every page of a search, following ``next_cursor`` until it is null."""
    pages: list[list[dict[str, Any]]] = []
    cursor = None
    while len(pages) < 50:
        paging = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        response = world.request("GET", CANDIDATES, params=params | paging)
        assert response.status_code == 200, response.text
        pages.append(response.json()["items"])
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return pages
    raise AssertionError("the pages never ended")


# -- a world whose clock the test moves -------------------------------------------------------------------
@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def world(make_client: Callable[[FastAPI | None], TestClient], clock: FixedClock) -> ApiWorld:
    get_settings.cache_clear()
    app = create_app(clock=clock)
    return build_world(app, make_client(app))


@pytest.fixture
def people(world: ApiWorld, clock: FixedClock) -> dict[str, dict[str, Any]]:
    """Seven candidates of company group a created over three days (ties on every sort), moved along, one
    deleted, one stored without a state change; and one of company group b that no search of a may show."""
    with world.services.uow_factory(world.a.id) as uow:
        unit = uow.business_units.add(BusinessUnit(company_group_id=world.a.id, name="Retail"))
        site = uow.locations.add(location(world.a.id))
        job = uow.roles.add(role(world.a.id))
        uow.commit()
    u, s, j = unit.id, site.id, job.id
    made = {
        "ana": create(world, "4155550101", email="ana@acmemail.com", source="referral", business_unit_id=u),
        "bea": create(
            world, "4155550102", first_name="Bea", source="referral", business_unit_id=u, location_id=s
        ),
    }
    clock.advance(DAY)
    made |= {
        "ann": create(world, "4155550103", first_name="Ana", last_name="Ortiz", source="referral",
                      business_unit_id=u, location_id=s, role_id=j),
        "dar": create(world, "4155550104", first_name="Dario", last_name="Abad", source="walk_in",
                      location_id=s, role_id=j),
    }  # fmt: skip
    clock.advance(DAY)
    made |= {
        "eva": create(world, "4155550105", first_name="Eva", role_id=j),
        "zap": create(world, "6505550106", last_name="Zapata"),
        "old": create(world, "6505550107", first_name="Gone"),
    }
    clock.advance(DAY)
    for key, state in [
        ("ana", "contacted"),
        ("ann", "contacted"),
        ("eva", "contacted"),
        ("bea", "contacted"),
    ]:
        moved = world.request("POST", f"{CANDIDATES}/{made[key]['id']}/transitions", json={"to_state": state})
        assert moved.status_code == 200, moved.text
    clock.advance(timedelta(minutes=5))
    world.request("POST", f"{CANDIDATES}/{made['bea']['id']}/transitions", json={"to_state": "screening"})
    assert world.request("DELETE", f"{CANDIDATES}/{made['old']['id']}").status_code == 204
    with world.services.uow_factory(world.a.id) as uow:
        never = uow.candidates.add(
            candidate(world.a.id, "+14155550108", first_name="Nora", email=None, entered_at=T0 + DAY)
        )
        uow.commit()
    made["nor"] = world.request("GET", f"{CANDIDATES}/{never.id}").json()
    create(world, "4155550101", tenant=world.b, first_name="Ana")  # the same phone in b, never seen by a
    return {key: world.request("GET", f"{CANDIDATES}/{c['id']}", params={"include_deleted": True}).json()
           for key, c in made.items()}  # fmt: skip


# -- records ----------------------------------------------------------------------------------------------
def test_create_stores_a_lead_and_reads_back_the_same(world: ApiWorld, clock: FixedClock) -> None:
    body = {
        "first_name": "Ana",
        "last_name": "López",
        "phone": "(415) 555-0123",
        "email": "Ana.Lopez@Example.com",
        "birth_date": "1998-02-14",
        "city": "Madrid",
        "latitude": 40.4,
        "longitude": -3.7,
        "source": "walk_in",
        "source_detail": "front desk",
        "education_level": "secondary",
        "experience_months": 18,
        "languages": ["es", "en"],
        "shifts_available": ["night"],
        "has_work_authorization": True,
        "salary_expectation_minor": 180000,
        "consent_to_contact": True,
    }

    response = world.request("POST", CANDIDATES, role=R.RECRUITER, json=body)

    assert response.status_code == 201, response.text
    created = response.json()
    assert created["phone_e164"] == "+14155550123"  # national number read in the company group's region (US)
    assert created["email"] == "ana.lopez@example.com"
    assert created["funnel_state"] == "lead"
    assert created["entered_at"] == created["state_changed_at"] == "2024-05-06T09:30:00Z"
    assert (created["deleted_at"], created["merged_into_id"], created["external_ids"]) == (None, None, [])
    assert {k: created[k] for k in body if k != "phone" and k != "email"} == {
        k: v for k, v in body.items() if k not in {"phone", "email"}
    }
    with world.services.uow_factory(world.a.id) as uow:
        uow.candidates.add_external_id(created["id"], "hubspot", "hs-42")
        uow.commit()
    read = world.request("GET", f"{CANDIDATES}/{created['id']}", role=R.VIEWER).json()
    assert read == created | {"external_ids": [{"source": "hubspot", "external_id": "hs-42"}]}


def test_create_refuses_bad_input_listing_every_field(world: ApiWorld) -> None:
    with world.services.uow_factory(world.b.id) as uow:
        theirs = uow.locations.add(location(world.b.id))
        uow.commit()
    before = snapshot(world)

    shape = world.request(
        "POST",
        CANDIDATES,
        json={
            "email": "nope",
            "latitude": 91,
            "funnel_state": "hired",
            "deleted_at": None,
            "languages": ["es-ES"],
        },
    )
    bad_phone = world.request("POST", CANDIDATES, json={"first_name": "Ana", "phone": "12345"})
    foreign = world.request(
        "POST", CANDIDATES, json={"first_name": "Ana", "phone": "4155550123", "location_id": theirs.id}
    )

    assert error_fields(shape) == {
        "body.first_name",
        "body.phone",
        "body.email",
        "body.latitude",
        "body.funnel_state",
        "body.deleted_at",
        "body.languages.0",
    }
    assert error_fields(bad_phone) == {"phone"}
    assert error_fields(foreign) == {"location_id"}
    assert snapshot(world) == before


def test_a_phone_number_belongs_to_one_candidate_per_company_group(world: ApiWorld) -> None:
    first = create(world, "+1 415 555 0123")

    again = world.request("POST", CANDIDATES, json={"first_name": "Bea", "phone": "415.555.0123"})
    elsewhere = create(world, "4155550123", tenant=world.b)

    assert again.status_code == 409
    assert again.json()["type"].endswith("/conflict")
    assert f"candidate {first['id']}" in again.json()["detail"]
    assert elsewhere["phone_e164"] == first["phone_e164"]


def test_patch_changes_only_the_fields_given(world: ApiWorld) -> None:
    ana = create(world, "4155550101", city="Madrid", email="ana@acmemail.com")
    bea = create(world, "4155550102", first_name="Bea")
    path = f"{CANDIDATES}/{ana['id']}"

    changed = world.request(
        "PATCH",
        path,
        role=R.RECRUITER,
        json={"last_name": "Ortiz", "phone": "+1 650 555 0100", "email": None},
    )
    state = world.request("PATCH", path, json={"funnel_state": "hired", "first_name": ""})
    emptied = world.request("PATCH", path, json={"first_name": None})
    taken = world.request("PATCH", path, json={"phone": bea["phone_e164"]})

    assert changed.status_code == 200, changed.text
    read = world.request("GET", path).json()
    assert read == changed.json()
    assert (read["last_name"], read["phone_e164"], read["email"], read["city"]) == (
        "Ortiz",
        "+16505550100",
        None,
        "Madrid",
    )
    assert read["funnel_state"] == "lead"
    assert error_fields(state) == {"body.funnel_state", "body.first_name"}
    assert error_fields(emptied) == {"first_name"}
    assert taken.status_code == 409
    assert world.request("GET", path).json() == read


def test_delete_hides_the_candidate_but_keeps_the_record(world: ApiWorld, clock: FixedClock) -> None:
    ana = create(world, "4155550101")
    path = f"{CANDIDATES}/{ana['id']}"
    clock.advance(DAY)

    deleted = world.request("DELETE", path, role=R.RECRUITER)

    assert deleted.status_code == 204
    assert deleted.content == b""
    assert world.request("GET", path).status_code == 404
    kept = world.request("GET", path, params={"include_deleted": True}).json()
    assert kept["deleted_at"] == "2024-05-07T09:30:00Z"
    assert world.request("GET", CANDIDATES).json()["items"] == []
    assert [
        c["id"] for c in world.request("GET", CANDIDATES, params={"include_deleted": True}).json()["items"]
    ] == [ana["id"]]
    for method, suffix, body in [
        ("DELETE", "", None),
        ("PATCH", "", {"city": "Lugo"}),
        ("GET", "/history", None),
    ]:
        assert world.request(method, path + suffix, json=body).status_code == 404
    assert world.request("GET", path, params={"include_deleted": True}).json() == kept


def test_history_is_the_funnel_log_oldest_first_in_pages(world: ApiWorld, clock: FixedClock) -> None:
    ana = create(world, "4155550101")
    path = f"{CANDIDATES}/{ana['id']}"
    for state in ("contacted", "screening", "eligible"):
        clock.advance(timedelta(minutes=1))
        assert (
            world.request(
                "POST", f"{path}/transitions", json={"to_state": state, "reason": f"to {state}"}
            ).status_code
            == 200
        )

    first = world.request("GET", f"{path}/history", role=R.VIEWER, params={"limit": 2}).json()
    second = world.request(
        "GET", f"{path}/history", params={"limit": 2, "cursor": first["next_cursor"]}
    ).json()

    entries = first["items"] + second["items"]
    assert [(e["from_state"], e["to_state"]) for e in entries] == [
        ("lead", "contacted"),
        ("contacted", "screening"),
        ("screening", "eligible"),
    ]
    admin = world.a.users[R.ADMIN]
    assert {(e["actor"], e["actor_user_id"], e["applied"]) for e in entries} == {
        (f"user:{admin}", admin, True)
    }
    assert entries[2]["reason"] == "to eligible"
    assert entries[0]["occurred_at"] == "2024-05-06T09:31:00Z"
    assert (len(first["items"]), first["next_cursor"] is not None, second["next_cursor"]) == (2, True, None)
    bad = world.request(
        "GET", f"{path}/history", params={"cursor": encode_keyset_cursor("occurred_at", ["soon"], 1)}
    )
    assert error_fields(bad) == {"cursor"}


# -- search -----------------------------------------------------------------------------------------------
def test_every_filter_pages_through_its_matches(world: ApiWorld, people: dict[str, dict[str, Any]]) -> None:
    p = {key: c["id"] for key, c in people.items()}
    unit, site, job = (
        people["ana"]["business_unit_id"],
        people["bea"]["location_id"],
        people["dar"]["role_id"],
    )
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({}, ["ana", "bea", "ann", "dar", "eva", "zap", "nor"]),
        ({"q": "ana"}, ["ana", "ann", "zap"]),
        ({"q": "LOPEZ"}, ["ana", "bea", "eva", "nor"]),
        ({"q": "ana lop"}, ["ana"]),
        ({"q": "ACMEMAIL"}, ["ana"]),
        ({"q": "555010"}, ["ana", "bea", "ann", "dar", "eva", "zap", "nor"]),
        ({"q": "(415) 555-0103"}, ["ann"]),
        ({"q": "+1 650 555 0107"}, []),
        ({"q": "+1 650 555 0107", "include_deleted": True}, ["old"]),
        ({"funnel_state": ["contacted", "screening"]}, ["ana", "bea", "ann", "eva"]),
        ({"business_unit_id": unit}, ["ana", "bea", "ann"]),
        ({"location_id": site}, ["bea", "ann", "dar"]),
        ({"role_id": job}, ["ann", "dar", "eva"]),
        ({"source": "referral"}, ["ana", "bea", "ann"]),
        ({"source": "walk_in"}, ["dar"]),
        ({"entered_from": "2024-05-07"}, ["ann", "dar", "eva", "zap", "nor"]),
        ({"entered_to": "2024-05-07"}, ["ana", "bea", "ann", "dar", "nor"]),
        ({"entered_from": "2024-05-07", "entered_to": "2024-05-07"}, ["ann", "dar", "nor"]),
        ({"include_deleted": True}, ["ana", "bea", "ann", "dar", "eva", "zap", "old", "nor"]),
        ({"q": "ana", "source": "referral", "funnel_state": "contacted", "role_id": job}, ["ann"]),
    ]
    for params, expected in cases:
        pages = walk(world, params)
        assert [c["id"] for page in pages for c in page] == [p[k] for k in expected], params
        assert all(len(page) == 2 for page in pages[:-1]), params
        if len(expected) > 2:
            assert len(pages) >= 2, params


def sort_key(sort: CandidateSort) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    def key(c: dict[str, Any]) -> tuple[Any, ...]:
        values = [c[field] for field in sort.fields]
        return (
            *(
                datetime.fromisoformat(v) if field.endswith("_at") else v
                for field, v in zip(sort.fields, values, strict=True)
            ),
            c["id"],
        )

    return key


def test_every_sort_pages_through_ties_in_order(world: ApiWorld, people: dict[str, dict[str, Any]]) -> None:
    live = [c for c in people.values() if c["deleted_at"] is None]
    for sort in CandidateSort:
        has_values = [c for c in live if None not in [c[f] for f in sort.fields]]
        missing = [c for c in live if None in [c[f] for f in sort.fields]]
        dated = sorted(has_values, key=sort_key(sort), reverse=sort.descending)
        undated = sorted(missing, key=lambda c: c["id"], reverse=sort.descending)

        pages = walk(world, {"sort": sort.value})

        assert [c["id"] for page in pages for c in page] == [c["id"] for c in dated + undated], sort
        assert len(pages) == 4, sort
        if sort.fields == ("state_changed_at",):
            assert undated == [people["nor"]]
            assert pages[-1][-1]["id"] == people["nor"]["id"]  # never moved: last either way


def test_bad_filters_are_422_naming_each(world: ApiWorld) -> None:
    bad = world.request(
        "GET",
        CANDIDATES,
        params={
            "funnel_state": ["lead", "bogus"],
            "business_unit_id": 0,
            "location_id": "x",
            "role_id": -1,
            "source": "fax",
            "entered_from": "yesterday",
            "entered_to": "2024-13-01",
            "include_deleted": "maybe",
            "sort": "first_name",
            "limit": 0,
            "q": "x" * 201,
        },
    )
    window = world.request(
        "GET", CANDIDATES, params={"entered_from": "2024-05-07", "entered_to": "2024-05-06"}
    )
    empty_q = world.request("GET", CANDIDATES, params={"q": ""})

    assert error_fields(bad) == {
        "query.funnel_state.1",
        "query.business_unit_id",
        "query.location_id",
        "query.role_id",
        "query.source",
        "query.entered_from",
        "query.entered_to",
        "query.include_deleted",
        "query.sort",
        "query.limit",
        "query.q",
    }
    assert error_fields(window) == {"entered_to"}
    assert error_fields(empty_q) == {"query.q"}


def test_a_cursor_must_be_one_issued_for_the_same_sort(
    world: ApiWorld, people: dict[str, dict[str, Any]]
) -> None:
    by_id = world.request("GET", CANDIDATES, params={"limit": 2}).json()["next_cursor"]
    cursors = [
        "garbage!",
        "e30",  # {}
        encode_cursor(3),  # an id-only cursor of other lists
        encode_keyset_cursor("entered_at", ["not a time"], 3),
        encode_keyset_cursor("entered_at", ["2024-05-06T09:30:00"], 3),  # no time zone
        encode_keyset_cursor("last_name", ["Lopez"], 3),  # the first name is missing
        encode_keyset_cursor("last_name", ["Lopez", 7], 3),
        encode_keyset_cursor("state_changed_at", [None], -1),
    ]
    for cursor in cursors:
        assert error_fields(
            world.request("GET", CANDIDATES, params={"cursor": cursor, "sort": "entered_at"})
        ) == {"cursor"}, cursor
    reused = world.request("GET", CANDIDATES, params={"cursor": by_id, "sort": "-entered_at"})
    assert error_fields(reused) == {"cursor"}
    assert "sort 'id'" in reused.json()["errors"][0]["message"]
    assert world.request("GET", CANDIDATES, params={"cursor": by_id}).status_code == 200
    assert error_fields(world.request("GET", CANDIDATES, params={"cursor": "x" * 2001})) == {"query.cursor"}


# -- permissions and tenancy ------------------------------------------------------------------------------
def test_roles_decide_who_may_read_write_and_delete(world: ApiWorld) -> None:
    ana = create(world, "4155550101")
    path = f"{CANDIDATES}/{ana['id']}"
    new = {"first_name": "Bea", "phone": "4155550102"}

    for role_ in (R.VIEWER, R.HIRING_MANAGER):
        assert world.request("GET", CANDIDATES, role=role_).status_code == 200
        assert world.request("GET", path, role=role_).status_code == 200
        assert world.request("GET", f"{path}/history", role=role_).status_code == 200
        assert world.request("GET", f"{CANDIDATES}/duplicates", role=role_).status_code == 200
        denied = world.request("POST", CANDIDATES, role=role_, json=new)
        assert denied.status_code == 403
        assert "candidates:write" in denied.json()["detail"]
        assert world.request("PATCH", path, role=role_, json={"city": "Lugo"}).status_code == 403
        assert world.request("DELETE", path, role=role_).status_code == 403
    assert world.client.get(CANDIDATES).status_code == 401
    created = world.request("POST", CANDIDATES, role=R.RECRUITER, json=new)
    assert created.status_code == 201
    superadmin = world.client.get(path, headers=world.superadmin_headers(world.a))
    assert superadmin.status_code == 200
    assert world.request("GET", path).json() == ana


def test_another_tenants_candidate_is_404_on_every_route_and_nothing_changes(world: ApiWorld) -> None:
    mine = create(world, "4155550101")
    theirs = create(world, "4155550102", tenant=world.b)
    path = f"{CANDIDATES}/{theirs['id']}"
    before = snapshot(world)

    responses = [
        world.request("GET", path),
        world.request("GET", path, params={"include_deleted": True}),
        world.request("PATCH", path, json={"city": "Lugo"}),
        world.request("DELETE", path),
        world.request("GET", f"{path}/history"),
        world.request("POST", f"{path}/transitions", json={"to_state": "contacted"}),
        world.request("POST", f"{path}/merge", json={"duplicate_id": mine["id"]}),
        world.request("POST", f"{path}/merge", json={"into": mine["id"]}),
        world.request("POST", f"{CANDIDATES}/{mine['id']}/merge", json={"duplicate_id": theirs["id"]}),
        world.request("POST", f"{CANDIDATES}/{mine['id']}/merge", json={"into": theirs["id"]}),
        world.request("GET", f"{CANDIDATES}/999999"),
    ]

    assert [r.status_code for r in responses] == [404] * len(responses)
    assert all(r.json()["type"].endswith("/not-found") for r in responses)
    assert world.request("GET", CANDIDATES, params={"include_deleted": True}).json()["items"] == [mine]
    assert world.request("GET", CANDIDATES, params={"q": "4155550102"}).json()["items"] == []
    assert snapshot(world) == before
    assert world.request("GET", f"{CANDIDATES}/0").status_code == 422
