"""Phone interviews through HTTP: scheduling, the call's statuses, its questions and answers, and the funnel
moves they make (which invalidate the cached funnel analytics)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter

from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.identity import MembershipRole
from hireflow.domain.services.phone_interviews import PhoneInterviews
from tests.builders import candidate, phone_question_set, role
from tests.e2e.api.world import ApiWorld

R = MembershipRole
S = FunnelState
CALLS = "/api/v1/phone-interviews"
ANSWERS: list[dict[str, Any]] = [
    {"position": 0, "question_text": "Can you work legally?", "answer_text": "Yes", "score": 90},
    {
        "position": 1,
        "question_text": "Which shifts?",
        "answer_text": "Nights",
        "score": 70,
        "notes": "Prefers nights",
    },
]


def _candidate(world: ApiWorld, tenant_id: int | None = None, **fields: Any) -> int:
    tenant_id = tenant_id or world.a.id
    with world.services.uow_factory(tenant_id) as uow:
        person = uow.candidates.add(candidate(tenant_id, **({"funnel_state": S.ELIGIBLE} | fields)))
        uow.commit()
    assert person.id is not None
    return person.id


def _role(world: ApiWorld, title: str, tenant_id: int | None = None) -> int:
    with world.services.uow_factory(tenant_id or world.a.id) as uow:
        stored = uow.roles.add(role(tenant_id or world.a.id, title))
        uow.commit()
    assert stored.id is not None
    return stored.id


def _state(world: ApiWorld, candidate_id: int, tenant_id: int | None = None) -> FunnelState:
    with world.services.uow_factory(tenant_id or world.a.id) as uow:
        return uow.candidates.get(candidate_id).funnel_state


def _schedule(world: ApiWorld, candidate_id: int, **fields: Any) -> dict[str, Any]:
    response = world.request(
        "POST", f"/api/v1/candidates/{candidate_id}/phone-interviews", R.RECRUITER, json=fields
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _analytics_probe(world: ApiWorld) -> Callable[[], int]:
    """Reads a cached funnel answer; it changes only when the company group's cache was invalidated."""
    computed: list[int] = []

    def compute() -> int:
        computed.append(1)
        return len(computed)

    def probe() -> int:
        return world.services.funnel_cache.get_or_compute(world.a.id, "probe", {}, compute, TypeAdapter(int))

    return probe


def test_scheduling_books_the_call_and_moves_the_candidate(world: ApiWorld) -> None:
    person = _candidate(world)
    role_id = _role(world, "Picker")
    question_set, _ = phone_question_set(world.services.uow_factory, world.a.id, role_id)
    probe = _analytics_probe(world)
    before = probe()

    booked = _schedule(
        world,
        person,
        question_set_id=question_set.id,
        scheduled_at="2030-01-02T09:00:00Z",
        provider_call_id="conv_1",
    )

    assert (booked["status"], booked["role_id"], booked["question_set_id"]) == (
        "scheduled",
        role_id,
        question_set.id,
    )
    assert booked["scheduled_at"] == "2030-01-02T09:00:00Z"
    assert booked["funnel"] == {"to_state": "interview_scheduled", "moved": True, "skipped": None}
    assert _state(world, person) is S.INTERVIEW_SCHEDULED
    assert probe() != before
    fetched = world.request("GET", f"{CALLS}/{booked['id']}", R.VIEWER).json()
    assert (fetched["provider"], fetched["provider_call_id"], fetched["questions"]) == (
        "elevenlabs",
        "conv_1",
        [],
    )

    lead = _candidate(world, phone="+15555550101", funnel_state=S.LEAD)
    skipped = _schedule(world, lead)["funnel"]
    assert (skipped["moved"], skipped["skipped"]) == (
        False,
        "the candidate is 'lead'; not moved to 'interview_scheduled'",
    )
    assert _state(world, lead) is S.LEAD


def test_a_call_is_started_and_completed_with_its_answers(world: ApiWorld) -> None:
    person = _candidate(world)
    call = _schedule(world, person)["id"]
    probe = _analytics_probe(world)

    started = world.request("POST", f"{CALLS}/{call}/start", json={"provider_call_id": "conv_9"}).json()
    assert (started["status"], started["provider_call_id"], started["funnel"]) == (
        "in_progress",
        "conv_9",
        None,
    )
    assert started["started_at"] is not None
    before = probe()
    completed = world.request(
        "POST",
        f"{CALLS}/{call}/complete",
        R.RECRUITER,
        json={"outcome": "pass", "summary": "Good fit", "transcript": "Agent: Hi...", "answers": ANSWERS},
    )

    assert completed.status_code == 200, completed.text
    body = completed.json()
    assert (body["status"], body["outcome"], body["score"], body["summary"]) == (
        "completed",
        "pass",
        80,
        "Good fit",
    )
    assert body["ended_at"] is not None
    assert [(q["position"], q["answer_text"], q["score"]) for q in body["questions"]] == [
        (0, "Yes", 90),
        (1, "Nights", 70),
    ]
    assert body["funnel"]["moved"] is True
    assert _state(world, person) is S.INTERVIEWED
    assert probe() != before
    fetched = world.request("GET", f"{CALLS}/{call}").json()
    assert fetched["questions"][1]["notes"] == "Prefers nights"
    assert fetched["transcript"] == "Agent: Hi..."

    again = world.request("POST", f"{CALLS}/{call}/cancel")
    assert again.status_code == 409
    assert "cannot become 'cancelled'" in again.json()["detail"]


def test_answers_are_stored_and_corrected_by_position(world: ApiWorld) -> None:
    call = _schedule(world, _candidate(world))["id"]

    first = world.request("POST", f"{CALLS}/{call}/answers", json={"answers": ANSWERS})
    assert [q["answer_text"] for q in first.json()["questions"]] == ["Yes", "Nights"]
    fix = {"position": 1, "question_text": "Which shifts?", "answer_text": "Mornings", "score": 40}
    corrected = world.request("POST", f"{CALLS}/{call}/answers", json={"answers": [fix]})

    assert corrected.status_code == 200
    assert [(q["answer_text"], q["score"]) for q in corrected.json()["questions"]] == [
        ("Yes", 90),
        ("Mornings", 40),
    ]
    assert corrected.json()["status"] == "scheduled"
    assert [q["answer_text"] for q in world.request("GET", f"{CALLS}/{call}").json()["questions"]] == [
        "Yes",
        "Mornings",
    ]

    twice = world.request("POST", f"{CALLS}/{call}/answers", json={"answers": [fix, fix]})
    assert (twice.status_code, twice.json()["errors"][0]["field"]) == (422, "answers")
    shape = world.request(
        "POST", f"{CALLS}/{call}/answers", json={"answers": [{"position": -1, "score": 101}]}
    )
    assert {e["loc"] for e in shape.json()["errors"]} == {
        "body.answers.0.position",
        "body.answers.0.question_text",
        "body.answers.0.score",
    }
    assert world.request("GET", f"{CALLS}/{call}").json()["questions"][1]["score"] == 40


def test_missed_failed_and_cancelled_calls(world: ApiWorld) -> None:
    person = _candidate(world)
    missed = _schedule(world, person)["id"]
    probe = _analytics_probe(world)
    before = probe()

    no_answer = world.request("POST", f"{CALLS}/{missed}/no-answer").json()

    assert (no_answer["status"], no_answer["funnel"]["to_state"], no_answer["funnel"]["moved"]) == (
        "no_answer",
        "no_show",
        True,
    )
    assert _state(world, person) is S.NO_SHOW
    assert probe() != before
    failed = world.request(
        "POST", f"{CALLS}/{_schedule(world, person)['id']}/failed", json={"reason": "SIP 503"}
    ).json()
    assert (failed["status"], failed["summary"]) == ("failed", "call failed: SIP 503")
    cancelled = world.request("POST", f"{CALLS}/{_schedule(world, person)['id']}/cancel").json()
    assert (cancelled["status"], cancelled["summary"], cancelled["funnel"]) == ("cancelled", None, None)
    assert world.request("POST", f"{CALLS}/{missed}/start").status_code == 409
    long_reason = world.request("POST", f"{CALLS}/{missed}/cancel", json={"reason": "x" * 501, "why": 1})
    assert {e["loc"] for e in long_reason.json()["errors"]} == {"body.reason", "body.why"}


def test_bad_bookings_and_completions_are_refused(world: ApiWorld) -> None:
    person = _candidate(world)
    question_set, _ = phone_question_set(world.services.uow_factory, world.a.id, _role(world, "Picker"))
    other_role = _role(world, "Driver")
    url = f"/api/v1/candidates/{person}/phone-interviews"

    mismatch = world.request("POST", url, json={"role_id": other_role, "question_set_id": question_set.id})
    assert (mismatch.status_code, mismatch.json()["errors"][0]["field"]) == (422, "question_set_id")
    shape = world.request("POST", url, json={"role_id": 0, "scheduled_at": "2030-01-02T09:00:00", "extra": 1})
    assert {e["loc"] for e in shape.json()["errors"]} == {"body.role_id", "body.scheduled_at", "body.extra"}
    assert world.request("POST", url, json={"role_id": 99_999}).status_code == 404
    assert world.request("GET", url).json()["items"] == []

    call = _schedule(world, person)["id"]
    bad = world.request("POST", f"{CALLS}/{call}/complete", json={"outcome": "great", "score": 101})
    assert {e["loc"] for e in bad.json()["errors"]} == {"body.outcome", "body.score"}
    assert world.request("GET", f"{CALLS}/{call}").json()["status"] == "scheduled"


def test_interviews_are_listed_in_pages(world: ApiWorld) -> None:
    person, other = _candidate(world), _candidate(world, phone="+15555550101")
    ids = [_schedule(world, person)["id"], _schedule(world, other)["id"], _schedule(world, person)["id"]]

    page = world.request("GET", CALLS, R.VIEWER, params={"limit": 2}).json()
    assert [i["id"] for i in page["items"]] == ids[:2]
    rest = world.request("GET", CALLS, params={"limit": 2, "cursor": page["next_cursor"]}).json()
    assert ([i["id"] for i in rest["items"]], rest["next_cursor"]) == ([ids[2]], None)

    url = f"/api/v1/candidates/{person}/phone-interviews"
    mine = world.request("GET", url, R.VIEWER, params={"limit": 1}).json()
    assert [i["id"] for i in mine["items"]] == [ids[0]]
    more = world.request("GET", url, params={"limit": 1, "cursor": mine["next_cursor"]}).json()
    assert ([i["id"] for i in more["items"]], more["next_cursor"]) == ([ids[2]], None)
    assert world.request("GET", url, params={"cursor": "!!"}).json()["errors"][0]["field"] == "cursor"


def test_writes_need_candidates_write(world: ApiWorld) -> None:
    person = _candidate(world)
    call = _schedule(world, person)["id"]
    for role_name in (R.VIEWER, R.HIRING_MANAGER):
        url = f"/api/v1/candidates/{person}/phone-interviews"
        assert world.request("POST", url, role_name, json={}).status_code == 403
        for action in ("start", "no-answer", "failed", "cancel"):
            assert world.request("POST", f"{CALLS}/{call}/{action}", role_name).status_code == 403
        assert world.request("POST", f"{CALLS}/{call}/complete", role_name, json={}).status_code == 403
        assert (
            world.request("POST", f"{CALLS}/{call}/answers", role_name, json={"answers": ANSWERS}).status_code
            == 403
        )
        assert world.request("GET", f"{CALLS}/{call}", role_name).status_code == 200
    assert world.request("GET", f"{CALLS}/{call}").json()["status"] == "scheduled"
    assert len(world.request("GET", CALLS).json()["items"]) == 1


def test_another_tenants_interviews_and_candidates_are_not_found(world: ApiWorld) -> None:
    their_candidate = _candidate(world, world.b.id)
    change = PhoneInterviews(world.services.uow_factory).schedule(world.b.id, their_candidate)
    call = change.interview.id

    assert world.request("GET", f"{CALLS}/{call}").status_code == 404
    for action in ("start", "no-answer", "failed", "cancel"):
        assert world.request("POST", f"{CALLS}/{call}/{action}").status_code == 404, action
    assert world.request("POST", f"{CALLS}/{call}/complete", json={"answers": ANSWERS}).status_code == 404
    assert world.request("POST", f"{CALLS}/{call}/answers", json={"answers": ANSWERS}).status_code == 404
    url = f"/api/v1/candidates/{their_candidate}/phone-interviews"
    assert world.request("GET", url).status_code == 404
    assert world.request("POST", url, json={}).status_code == 404
    assert world.request("GET", CALLS).json()["items"] == []

    assert call is not None
    stored = PhoneInterviews(world.services.uow_factory).get(world.b.id, call)
    assert (stored.interview.status.value, stored.questions) == ("scheduled", ())
    assert _state(world, their_candidate, world.b.id) is S.INTERVIEW_SCHEDULED
    assert len(PhoneInterviews(world.services.uow_factory).for_candidate(world.b.id, their_candidate)) == 1
