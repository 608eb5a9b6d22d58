"""A candidate's screening through HTTP: answers (validated, all or none), progress, eligibility evaluations,
onboarding and media; and the funnel moves they make, which invalidate the cached funnel analytics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter

from hireflow.domain.models.candidates import MediaKind
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.identity import MembershipRole
from hireflow.domain.models.org import AgeRange, EligibilityCriteria
from hireflow.domain.services.candidate_records import CandidateRecords
from hireflow.domain.services.screening import QuestionSets
from tests.builders import candidate, role
from tests.e2e.api.world import ApiWorld

R = MembershipRole
S = FunnelState
DRAFTS: list[dict[str, Any]] = [
    {"key": "work_authorization", "kind": "yes_no", "prompt": "Can you work legally here?"},
    {"key": "shifts", "kind": "multiple_choice", "prompt": "Which shifts?", "options": ["Morning", "Night"]},
    {"key": "experience_months", "kind": "number", "prompt": "Months?", "validation": {"min": 0, "max": 600}},
    {"key": "about_you", "kind": "free_text", "prompt": "Anything else?", "is_required": False},
]
PASSING = EligibilityCriteria(age=AgeRange(min_years=18), required_languages=["es"])


def _candidate(world: ApiWorld, tenant_id: int | None = None, **fields: Any) -> int:
    tenant_id = tenant_id or world.a.id
    with world.services.uow_factory(tenant_id) as uow:
        job = uow.roles.add(role(tenant_id, f"Picker {uow.roles.count() + 1}", eligibility_criteria=PASSING))
        person = uow.candidates.add(candidate(tenant_id, **({"role_id": job.id} | fields)))
        uow.commit()
    assert person.id is not None
    return person.id


def _question_set(world: ApiWorld, tenant_id: int | None = None) -> dict[str, int]:
    detail = QuestionSets(world.services.uow_factory).create(
        tenant_id or world.a.id, name="Screen", questions=DRAFTS
    )
    ids = {q.key: q.id for q in detail.questions if q.id is not None}
    assert detail.question_set.id is not None
    return ids | {"set": detail.question_set.id}


def _state(world: ApiWorld, candidate_id: int, tenant_id: int | None = None) -> FunnelState:
    with world.services.uow_factory(tenant_id or world.a.id) as uow:
        return uow.candidates.get(candidate_id).funnel_state


def _analytics_probe(world: ApiWorld) -> Callable[[], int]:
    """Reads a cached funnel answer; it changes only when the company group's cache was invalidated."""
    computed: list[int] = []

    def compute() -> int:
        computed.append(1)
        return len(computed)

    def probe() -> int:
        return world.services.funnel_cache.get_or_compute(world.a.id, "probe", {}, compute, TypeAdapter(int))

    return probe


def _url(candidate_id: int, what: str) -> str:
    return f"/api/v1/candidates/{candidate_id}/{what}"


def test_answers_are_stored_typed_and_move_the_candidate_to_screened(world: ApiWorld) -> None:
    person = _candidate(world)
    ids = _question_set(world)
    probe = _analytics_probe(world)
    before = probe()
    body = {
        "question_set_id": ids["set"],
        "answers": [
            {"key": "work_authorization", "value": "Sí"},
            {"question_id": ids["shifts"], "value": "night, morning"},
            {"key": "experience_months", "value": "18"},
        ],
    }

    response = world.request("POST", _url(person, "answers"), R.RECRUITER, json=body)

    assert response.status_code == 200, response.text
    result = response.json()
    assert [(a["question_id"], a["value"], a["applied"]) for a in result["answers"]] == [
        (ids["work_authorization"], True, True),
        (ids["shifts"], ["Morning", "Night"], True),
        (ids["experience_months"], 18, True),
    ]
    assert result["answers"][1]["raw_text"] == "night, morning"
    (progress,) = result["progress"]
    assert (progress["is_complete"], progress["missing_keys"]) == (True, [])
    assert progress["next_question"]["key"] == "about_you"
    assert [(m["from_state"], m["to_state"], m["applied"]) for m in result["moves"]] == [
        ("lead", "screening", True),
        ("screening", "screened", True),
    ]
    assert _state(world, person) is S.SCREENED
    assert probe() != before

    stored = world.request("GET", _url(person, "answers"), R.VIEWER).json()
    assert [(a["key"], a["value"], a["question_set_id"]) for a in stored["items"]] == [
        ("work_authorization", True, ids["set"]),
        ("shifts", ["Morning", "Night"], ids["set"]),
        ("experience_months", 18, ids["set"]),
    ]
    assert stored["next_cursor"] is None


def test_every_invalid_answer_is_listed_and_none_is_stored(world: ApiWorld) -> None:
    person = _candidate(world)
    ids = _question_set(world)
    body = {
        "question_set_id": ids["set"],
        "answers": [
            {"key": "work_authorization", "value": "perhaps"},
            {"key": "no_such_question", "value": "x"},
            {"key": "shifts", "value": "Morning"},
            {"key": "experience_months", "value": "9000"},
        ],
    }

    response = world.request("POST", _url(person, "answers"), json=body)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["answers[0].value", "answers[1].key", "answers[3].value"]
    assert (errors[0]["key"], errors[0]["input"]) == ("work_authorization", "perhaps")
    assert "maximum 600" in errors[2]["message"]
    assert world.request("GET", _url(person, "answers")).json()["items"] == []
    assert _state(world, person) is S.LEAD


def test_answers_of_the_wrong_shape_are_listed(world: ApiWorld) -> None:
    person = _candidate(world)
    ids = _question_set(world)
    body = {
        "answers": [
            {"key": "shifts", "question_id": ids["shifts"], "value": "Night"},
            {"key": "Bad Key", "value": 1},
            {"question_id": 0},
        ],
        "note": "unexpected",
    }

    response = world.request("POST", _url(person, "answers"), json=body)

    assert response.status_code == 422
    assert {e["loc"] for e in response.json()["errors"]} == {
        "body.answers.0",
        "body.answers.1.key",
        "body.answers.2.question_id",
        "body.answers.2.value",
        "body.note",
    }
    empty = world.request("POST", _url(person, "answers"), json={"answers": []})
    assert [e["loc"] for e in empty.json()["errors"]] == ["body.answers"]
    keyless = world.request(
        "POST", _url(person, "answers"), json={"answers": [{"key": "shifts", "value": "1"}]}
    )
    assert (keyless.status_code, keyless.json()["errors"][0]["field"]) == (422, "answers[0]")
    assert world.request("GET", _url(person, "answers")).json()["items"] == []


def test_screening_progress_names_what_is_missing_and_what_to_ask_next(world: ApiWorld) -> None:
    person = _candidate(world)
    ids = _question_set(world)
    world.request(
        "POST", _url(person, "answers"), json={"answers": [{"question_id": ids["shifts"], "value": "2"}]}
    )

    response = world.request(
        "GET", _url(person, "screening-progress"), R.VIEWER, params={"question_set_id": ids["set"]}
    )

    assert response.status_code == 200
    progress = response.json()
    assert progress["answered_keys"] == ["shifts"]
    assert progress["missing_keys"] == ["work_authorization", "experience_months"]
    assert progress["required_keys"] == ["work_authorization", "shifts", "experience_months"]
    assert progress["is_complete"] is False
    assert progress["next_question"]["key"] == "work_authorization"
    assert progress["next_question"]["id"] == ids["work_authorization"]
    assert _state(world, person) is S.SCREENING

    missing = world.request("GET", _url(person, "screening-progress"))
    assert [e["loc"] for e in missing.json()["errors"]] == ["query.question_set_id"]
    other_set = _question_set(world, world.b.id)["set"]
    assert (
        world.request(
            "GET", _url(person, "screening-progress"), params={"question_set_id": other_set}
        ).status_code
        == 404
    )


def test_eligibility_is_evaluated_logged_and_moves_the_candidate(world: ApiWorld) -> None:
    person = _candidate(world)
    with world.services.uow_factory(world.a.id) as uow:
        strict = uow.roles.add(
            role(world.a.id, "Night picker")
        )  # needs night shifts and a commute the candidate cannot show
        uow.commit()
    probe = _analytics_probe(world)
    before = probe()

    eligible = world.request("POST", _url(person, "eligibility"), R.RECRUITER)

    assert eligible.status_code == 201, eligible.text
    outcome = eligible.json()
    assert (outcome["is_eligible"], outcome["moved"], outcome["funnel_state"]) == (True, True, "eligible")
    assert [(r["criterion"], r["passed"]) for r in outcome["results"]] == [
        ("age", True),
        ("required_languages", True),
    ]
    assert outcome["criteria"]["required_languages"] == ["es"]
    assert outcome["actor"] == f"user:{world.a.users[R.RECRUITER]}"
    assert _state(world, person) is S.ELIGIBLE
    after_first = probe()
    assert after_first != before

    ineligible = world.request("POST", _url(person, "eligibility"), json={"role_id": strict.id}).json()
    assert (ineligible["is_eligible"], ineligible["moved"], ineligible["role_id"]) == (False, True, strict.id)
    failed = {r["criterion"]: r["reason"] for r in ineligible["results"] if not r["passed"]}
    assert set(failed) == {"max_commute_km", "required_shifts"}
    assert _state(world, person) is S.INELIGIBLE
    assert probe() != after_first

    history = world.request("GET", _url(person, "eligibility"), R.VIEWER, params={"limit": 1}).json()
    assert [e["id"] for e in history["items"]] == [outcome["id"]]
    rest = world.request("GET", _url(person, "eligibility"), params={"cursor": history["next_cursor"]}).json()
    assert ([e["id"] for e in rest["items"]], rest["next_cursor"]) == ([ineligible["id"]], None)
    assert rest["items"][0]["is_eligible"] is False


def test_eligibility_input_is_checked(world: ApiWorld) -> None:
    roleless = _candidate(world, role_id=None)

    no_role = world.request("POST", _url(roleless, "eligibility"), json={})
    assert (no_role.status_code, no_role.json()["errors"][0]["field"]) == (422, "role_id")
    shape = world.request(
        "POST", _url(roleless, "eligibility"), json={"role_id": 0, "location_id": "x", "z": 1}
    )
    assert {e["loc"] for e in shape.json()["errors"]} == {"body.role_id", "body.location_id", "body.z"}
    with world.services.uow_factory(world.b.id) as uow:
        foreign = uow.roles.add(role(world.b.id))
        uow.commit()
    assert (
        world.request("POST", _url(roleless, "eligibility"), json={"role_id": foreign.id}).status_code == 404
    )
    assert world.request("GET", _url(roleless, "eligibility")).json()["items"] == []
    assert world.request("POST", _url(0, "eligibility")).status_code == 422


def test_writes_need_candidates_write(world: ApiWorld) -> None:
    person = _candidate(world)
    ids = _question_set(world)
    answer = {"answers": [{"question_id": ids["shifts"], "value": "Night"}]}
    for role_name in (R.VIEWER, R.HIRING_MANAGER):
        assert world.request("POST", _url(person, "answers"), role_name, json=answer).status_code == 403
        assert world.request("POST", _url(person, "eligibility"), role_name).status_code == 403
        onboarding = {"step_key": "uniform_size", "value": "M"}
        assert (
            world.request("POST", _url(person, "onboarding"), role_name, json=onboarding).status_code == 403
        )
        for what in ("answers", "eligibility", "media", "onboarding"):
            assert world.request("GET", _url(person, what), role_name).status_code == 200
    assert world.request("GET", _url(person, "answers")).json()["items"] == []
    assert _state(world, person) is S.LEAD


def test_another_tenants_candidate_is_not_found_and_untouched(world: ApiWorld) -> None:
    person = _candidate(world, world.b.id)
    ids = _question_set(world)
    their_set = _question_set(world, world.b.id)
    writes = [
        ("answers", {"answers": [{"question_id": ids["shifts"], "value": "Night"}]}),
        ("answers", {"answers": [{"question_id": their_set["shifts"], "value": "Night"}]}),
        ("eligibility", {}),
        ("onboarding", {"step_key": "uniform_size", "value": "M"}),
    ]
    for what, body in writes:
        assert world.request("POST", _url(person, what), json=body).status_code == 404, what
    for what in ("answers", "eligibility", "media", "onboarding"):
        assert world.request("GET", _url(person, what)).status_code == 404, what
    params = {"question_set_id": their_set["set"]}
    assert world.request("GET", _url(person, "screening-progress"), params=params).status_code == 404
    assert world.request("GET", _url(10_000, "answers")).status_code == 404

    with world.services.uow_factory(world.b.id) as uow:
        assert uow.screening_answers.for_candidate(person) == []
        assert uow.eligibility_evaluations.for_candidate(person) == []
        assert uow.onboarding_responses.for_candidate(person) == []
    assert _state(world, person, world.b.id) is S.LEAD


def test_a_foreign_question_is_listed_as_a_bad_answer(world: ApiWorld) -> None:
    person = _candidate(world)
    their_set = _question_set(world, world.b.id)

    response = world.request(
        "POST",
        _url(person, "answers"),
        json={"answers": [{"question_id": their_set["shifts"], "value": "1"}]},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "answers[0].question_id"
    foreign_set = world.request(
        "POST",
        _url(person, "answers"),
        json={"question_set_id": their_set["set"], "answers": [{"key": "shifts", "value": "1"}]},
    )
    assert foreign_set.status_code == 404


def test_onboarding_answers_move_a_hired_candidate_to_onboarded(world: ApiWorld) -> None:
    person = _candidate(world, funnel_state=S.HIRED)
    probe = _analytics_probe(world)
    before = probe()
    steps = ["bank_details", "uniform_size"]

    first = world.request(
        "POST",
        _url(person, "onboarding"),
        json={"step_key": "uniform_size", "value": "M", "required_steps": steps},
    )

    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["completed_steps"], body["missing_steps"], body["complete"]) == (
        ["uniform_size"],
        ["bank_details"],
        False,
    )
    assert [(f["to_state"], f["moved"]) for f in body["funnel"]] == [("onboarding", True)]
    assert _state(world, person) is S.ONBOARDING
    assert probe() != before

    value = {"iban": "ES9121000418450200051332"}
    second = world.request(
        "POST",
        _url(person, "onboarding"),
        json={"step_key": "bank_details", "value": value, "required_steps": steps},
    ).json()
    assert second["complete"] is True
    assert [(f["to_state"], f["moved"]) for f in second["funnel"]] == [
        ("onboarding", False),
        ("onboarded", True),
    ]
    assert _state(world, person) is S.ONBOARDED

    progress = world.request(
        "GET", _url(person, "onboarding"), R.VIEWER, params={"required_steps": [*steps, "start_date"]}
    ).json()
    assert {r["step_key"]: r["value"] for r in progress["responses"]} == {
        "uniform_size": "M",
        "bank_details": value,
    }
    assert progress["missing_steps"] == ["start_date"]
    assert progress["funnel"] == []

    bad = world.request("POST", _url(person, "onboarding"), json={"step_key": "Bad Step", "extra": True})
    assert {e["loc"] for e in bad.json()["errors"]} == {"body.step_key", "body.value", "body.extra"}
    bad_steps = world.request("GET", _url(person, "onboarding"), params={"required_steps": ["Not A Key"]})
    assert (bad_steps.status_code, bad_steps.json()["errors"][0]["field"]) == (422, "required_steps")


def test_media_and_answers_are_listed_in_pages(world: ApiWorld) -> None:
    person = _candidate(world)
    records = CandidateRecords(world.services.uow_factory)
    kinds = [MediaKind.ID_DOCUMENT, MediaKind.RESUME, MediaKind.ID_DOCUMENT]
    media = [
        records.attach_media(
            world.a.id,
            person,
            kind=kind,
            storage_key=f"a/{n}.pdf",
            content_type="application/pdf",
            size_bytes=100 + n,
        )
        for n, kind in enumerate(kinds)
    ]

    page = world.request("GET", _url(person, "media"), R.VIEWER, params={"limit": 2}).json()
    assert [m["id"] for m in page["items"]] == [media[0].id, media[1].id]
    assert (page["items"][1]["kind"], page["items"][1]["size_bytes"]) == ("resume", 101)
    rest = world.request(
        "GET", _url(person, "media"), params={"limit": 2, "cursor": page["next_cursor"]}
    ).json()
    assert ([m["id"] for m in rest["items"]], rest["next_cursor"]) == ([media[2].id], None)
    ids_only = world.request("GET", _url(person, "media"), params={"kind": "id_document"}).json()
    assert [m["id"] for m in ids_only["items"]] == [media[0].id, media[2].id]
    bad = world.request("GET", _url(person, "media"), params={"kind": "selfie", "limit": 500})
    assert {e["loc"] for e in bad.json()["errors"]} == {"query.kind", "query.limit"}

    ids = _question_set(world)
    answers = [
        {"key": key, "value": value}
        for key, value in (("shifts", "1"), ("experience_months", 3), ("about_you", "hi"))
    ]
    world.request("POST", _url(person, "answers"), json={"question_set_id": ids["set"], "answers": answers})
    first = world.request("GET", _url(person, "answers"), params={"limit": 2}).json()
    assert [a["key"] for a in first["items"]] == ["shifts", "experience_months"]
    last = world.request(
        "GET", _url(person, "answers"), params={"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert ([a["key"] for a in last["items"]], last["next_cursor"]) == (["about_you"], None)
