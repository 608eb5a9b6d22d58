"""Reference checks through HTTP: a candidate's referees are requested, contacted, respond, are verified (or
decline, or cannot be reached), and messages with them are recorded."""

from __future__ import annotations

from typing import Any

from hireflow.domain.models.identity import MembershipRole
from hireflow.domain.models.screening import ReferenceStatus
from hireflow.domain.services.references import References
from tests.builders import candidate
from tests.e2e.api.world import ApiWorld

R = MembershipRole
REFS = "/api/v1/references"
REFEREE: dict[str, Any] = {
    "name": "Marta Ruiz",
    "phone": "612 345 678",
    "relationship": "former manager",
    "company_name": "Logistica Sur",
}


def _candidate(world: ApiWorld, tenant_id: int | None = None, phone: str = "+15555550100") -> int:
    tenant_id = tenant_id or world.a.id
    with world.services.uow_factory(tenant_id) as uow:
        group = uow.company_groups.get(tenant_id)
        uow.company_groups.update(group.model_copy(update={"default_phone_region": "ES"}))
        person = uow.candidates.add(candidate(tenant_id, phone))
        uow.commit()
    assert person.id is not None
    return person.id


def _candidate_refs(candidate_id: int) -> str:
    return f"/api/v1/candidates/{candidate_id}/references"


def _request(world: ApiWorld, candidate_id: int, **fields: Any) -> dict[str, Any]:
    response = world.request("POST", _candidate_refs(candidate_id), R.RECRUITER, json=REFEREE | fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _foreign_reference(world: ApiWorld) -> tuple[int, int]:
    """Another tenant's candidate and their reference."""
    person = _candidate(world, world.b.id)
    reference = References(world.services.uow_factory).request(
        world.b.id, person, name="Pat", email="p@x.example"
    )
    assert reference.id is not None
    return person, reference.id


def test_a_referee_is_requested_and_read_back(world: ApiWorld) -> None:
    person = _candidate(world)

    created = _request(world, person, email="Marta.Ruiz@Example.com", notes="Worked together 2 years")

    assert created["status"] == "requested"
    assert created["phone_e164"] == "+34612345678"
    assert created["email"] == "marta.ruiz@example.com"
    assert created["requested_at"] is not None
    assert created["notes"] == "Worked together 2 years"
    fetched = world.request("GET", f"{REFS}/{created['id']}", R.VIEWER)
    assert (fetched.status_code, fetched.json()) == (200, created)
    listed = world.request("GET", _candidate_refs(person), R.VIEWER).json()
    assert ([r["id"] for r in listed["items"]], listed["next_cursor"]) == ([created["id"]], None)


def test_bad_referees_are_refused_listing_each_field(world: ApiWorld) -> None:
    person = _candidate(world)

    shape = world.request(
        "POST", _candidate_refs(person), json={"name": "", "email": "not-an-email", "age": 3}
    )
    assert shape.status_code == 422
    assert {e["loc"] for e in shape.json()["errors"]} == {"body.name", "body.email", "body.age"}
    unreachable = world.request("POST", _candidate_refs(person), json={"name": "Nobody"})
    assert unreachable.status_code == 422
    assert "phone number or an email" in unreachable.json()["detail"]
    bad_phone = world.request("POST", _candidate_refs(person), json={"name": "X", "phone": "12"})
    assert [e["field"] for e in bad_phone.json()["errors"]] == ["phone"]
    assert world.request("GET", _candidate_refs(person)).json()["items"] == []


def test_a_reference_goes_from_requested_to_verified(world: ApiWorld) -> None:
    reference = _request(world, _candidate(world))["id"]

    contacted = world.request("POST", f"{REFS}/{reference}/contacted", R.RECRUITER)
    assert (contacted.status_code, contacted.json()["status"]) == (200, "contacted")
    responded = world.request(
        "POST", f"{REFS}/{reference}/response", R.RECRUITER, json={"rating": 4, "notes": "Reliable"}
    ).json()
    assert (responded["status"], responded["rating"]) == ("responded", 4)
    assert responded["responded_at"] is not None
    verified = world.request("POST", f"{REFS}/{reference}/verify", R.RECRUITER, json={"notes": "Called back"})

    assert verified.status_code == 200
    body = verified.json()
    assert body["status"] == "verified"
    assert body["verified_by_user_id"] == world.a.users[R.RECRUITER]
    assert body["verified_at"] is not None
    assert body["notes"] == "Reliable\nCalled back"
    assert world.request("GET", f"{REFS}/{reference}").json() == body

    final = world.request("POST", f"{REFS}/{reference}/decline")
    assert final.status_code == 409
    assert "cannot become 'declined'" in final.json()["detail"]


def test_unreachable_referees_can_be_tried_again_or_decline(world: ApiWorld) -> None:
    person = _candidate(world)
    first, second = _request(world, person)["id"], _request(world, person, name="Luis")["id"]

    unreachable = world.request(
        "POST", f"{REFS}/{first}/unreachable", json={"notes": "No answer twice"}
    ).json()
    assert (unreachable["status"], unreachable["notes"]) == ("unreachable", "No answer twice")
    assert world.request("POST", f"{REFS}/{first}/contacted").json()["status"] == "contacted"
    assert world.request("POST", f"{REFS}/{second}/decline").json()["status"] == "declined"
    too_early = world.request("POST", f"{REFS}/{first}/verify")
    assert too_early.status_code == 409

    bad = world.request("POST", f"{REFS}/{first}/response", json={"rating": 6, "mood": "good"})
    assert {e["loc"] for e in bad.json()["errors"]} == {"body.rating", "body.mood"}
    assert world.request("GET", f"{REFS}/{first}").json()["status"] == "contacted"


def test_messages_are_recorded_once_and_move_the_reference(world: ApiWorld) -> None:
    reference = _request(world, _candidate(world))["id"]
    outbound = {"direction": "outbound", "channel": "whatsapp", "body": "Hi Marta, could you..."}

    sent = world.request("POST", f"{REFS}/{reference}/messages", R.RECRUITER, json=outbound)

    assert sent.status_code == 201
    assert (sent.json()["reference_status"], sent.json()["duplicate"]) == ("contacted", False)
    inbound = {
        "direction": "inbound",
        "channel": "whatsapp",
        "body": "Happy to help",
        "sent_at": "2024-05-06T10:00:00Z",
        "external_message_id": "wamid.1",
    }
    reply = world.request("POST", f"{REFS}/{reference}/messages", json=inbound)
    assert (reply.status_code, reply.json()["reference_status"]) == (201, "responded")
    again = world.request("POST", f"{REFS}/{reference}/messages", json=inbound)
    assert (again.status_code, again.json()["duplicate"], again.json()["id"]) == (
        200,
        True,
        reply.json()["id"],
    )
    assert world.request("GET", f"{REFS}/{reference}").json()["status"] == "responded"

    page = world.request("GET", f"{REFS}/{reference}/messages", R.VIEWER, params={"limit": 1}).json()
    assert [(m["direction"], m["body"]) for m in page["items"]] == [("outbound", "Hi Marta, could you...")]
    rest = world.request("GET", f"{REFS}/{reference}/messages", params={"cursor": page["next_cursor"]}).json()
    assert ([m["external_message_id"] for m in rest["items"]], rest["next_cursor"]) == (["wamid.1"], None)
    assert rest["items"][0]["sent_at"] == "2024-05-06T10:00:00Z"

    bad = world.request(
        "POST",
        f"{REFS}/{reference}/messages",
        json={"direction": "sideways", "body": "", "sent_at": "2024-05-06"},
    )
    assert {e["loc"] for e in bad.json()["errors"]} == {
        "body.direction",
        "body.channel",
        "body.body",
        "body.sent_at",
    }


def test_references_are_listed_in_pages(world: ApiWorld) -> None:
    person, other = _candidate(world), _candidate(world, phone="+15555550101")
    ids = [
        _request(world, person)["id"],
        _request(world, other)["id"],
        _request(world, person, name="Eva")["id"],
    ]
    _foreign_reference(world)

    page = world.request("GET", REFS, R.VIEWER, params={"limit": 2}).json()
    assert [r["id"] for r in page["items"]] == ids[:2]
    rest = world.request("GET", REFS, params={"limit": 2, "cursor": page["next_cursor"]}).json()
    assert ([r["id"] for r in rest["items"]], rest["next_cursor"]) == ([ids[2]], None)

    mine = world.request("GET", _candidate_refs(person), params={"limit": 1}).json()
    assert [r["id"] for r in mine["items"]] == [ids[0]]
    more = world.request(
        "GET", _candidate_refs(person), params={"limit": 1, "cursor": mine["next_cursor"]}
    ).json()
    assert ([r["id"] for r in more["items"]], more["next_cursor"]) == ([ids[2]], None)
    assert world.request("GET", REFS, params={"limit": 0}).json()["errors"][0]["loc"] == "query.limit"


def test_writes_need_candidates_write(world: ApiWorld) -> None:
    person = _candidate(world)
    reference = _request(world, person)["id"]
    message = {"direction": "outbound", "channel": "sms", "body": "Hello"}
    for role_name in (R.VIEWER, R.HIRING_MANAGER):
        assert world.request("POST", _candidate_refs(person), role_name, json=REFEREE).status_code == 403
        for action in ("contacted", "response", "verify", "decline", "unreachable"):
            assert world.request("POST", f"{REFS}/{reference}/{action}", role_name).status_code == 403
        assert (
            world.request("POST", f"{REFS}/{reference}/messages", role_name, json=message).status_code == 403
        )
        assert world.request("GET", f"{REFS}/{reference}/messages", role_name).status_code == 200
    assert world.request("GET", f"{REFS}/{reference}").json()["status"] == "requested"
    assert len(world.request("GET", _candidate_refs(person)).json()["items"]) == 1


def test_another_tenants_references_and_candidates_are_not_found(world: ApiWorld) -> None:
    their_candidate, reference = _foreign_reference(world)
    message = {"direction": "inbound", "channel": "email", "body": "Sure"}

    assert world.request("GET", f"{REFS}/{reference}").status_code == 404
    for action in ("contacted", "response", "verify", "decline", "unreachable"):
        assert world.request("POST", f"{REFS}/{reference}/{action}").status_code == 404, action
    assert world.request("POST", f"{REFS}/{reference}/messages", json=message).status_code == 404
    assert world.request("GET", f"{REFS}/{reference}/messages").status_code == 404
    assert world.request("GET", _candidate_refs(their_candidate)).status_code == 404
    assert world.request("POST", _candidate_refs(their_candidate), json=REFEREE).status_code == 404
    assert world.request("GET", REFS).json()["items"] == []

    references = References(world.services.uow_factory)
    (stored,) = references.for_candidate(world.b.id, their_candidate)
    assert (stored.id, stored.status, stored.notes) == (reference, ReferenceStatus.REQUESTED, None)
    assert references.messages(world.b.id, reference) == []
