"""Question sets through HTTP: create with questions, read, list, reorder, add and remove questions, versions,
switching off and deleting."""

from __future__ import annotations

from typing import Any

from hireflow.domain.models.identity import MembershipRole
from hireflow.domain.services.screening import QuestionSets
from hireflow.domain.services.screening_progress import CandidateScreening
from tests.builders import candidate, question_drafts, role
from tests.e2e.api.world import ApiWorld

SETS = "/api/v1/question-sets"
R = MembershipRole
DRAFTS: list[dict[str, Any]] = [
    {"key": "work_authorization", "kind": "yes_no", "prompt": "Can you work legally here?"},
    {"key": "shifts", "kind": "multiple_choice", "prompt": "Which shifts?", "options": ["Morning", "Night"]},
    {"key": "about_you", "kind": "free_text", "prompt": "Anything else?", "is_required": False},
]


def _role(world: ApiWorld, tenant_id: int | None = None) -> int:
    with world.services.uow_factory(tenant_id or world.a.id) as uow:
        stored = uow.roles.add(role(tenant_id or world.a.id))
        uow.commit()
    assert stored.id is not None
    return stored.id


def _create(world: ApiWorld, **fields: Any) -> dict[str, Any]:
    response = world.request("POST", SETS, json={"name": "Warehouse", "questions": DRAFTS} | fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _keys(world: ApiWorld, set_id: int) -> list[str]:
    body = world.request("GET", f"{SETS}/{set_id}", R.VIEWER).json()
    assert [q["position"] for q in body["questions"]] == list(range(len(body["questions"])))
    return [q["key"] for q in body["questions"]]


def _other_tenants_set(world: ApiWorld) -> int:
    detail = QuestionSets(world.services.uow_factory).create(world.b.id, name="Globex", questions=DRAFTS)
    assert detail.question_set.id is not None
    return detail.question_set.id


def test_a_set_is_created_with_every_kind_of_question_and_read_back(world: ApiWorld) -> None:
    role_id = _role(world)
    created = _create(world, role_id=role_id, language="es-ES", questions=question_drafts())

    fetched = world.request("GET", f"{SETS}/{created['id']}", R.VIEWER)

    assert fetched.status_code == 200
    body = fetched.json()
    assert body == created
    assert (body["name"], body["role_id"], body["version"], body["language"], body["is_active"]) == (
        "Warehouse",
        role_id,
        1,
        "es-ES",
        True,
    )
    assert [q["key"] for q in body["questions"]] == [d["key"] for d in question_drafts()]
    by_key = {q["key"]: q for q in body["questions"]}
    assert by_key["education"]["options"] == ["Primary", "Secondary", "Bachelor"]
    assert by_key["birth_date"]["validation"] == {"min": "1940-01-01", "max": "today-16y"}
    assert by_key["about_you"]["is_required"] is False
    assert {q["question_set_id"] for q in body["questions"]} == {created["id"]}


def test_every_bad_field_of_a_new_set_is_listed(world: ApiWorld) -> None:
    shape = world.request(
        "POST", SETS, json={"questions": [{"key": "Bad Key", "kind": "essay", "prompt": "?"}], "extra": 1}
    )
    assert shape.status_code == 422
    assert {e["loc"] for e in shape.json()["errors"]} == {
        "body.name",
        "body.extra",
        "body.questions.0.key",
        "body.questions.0.kind",
    }

    rules = world.request(
        "POST",
        SETS,
        json={
            "name": "Broken",
            "questions": [
                {"key": "ok", "kind": "yes_no", "prompt": "?", "options": ["a", "b"]},
                {"key": "ok", "kind": "number", "prompt": "?", "validation": {"min": 5, "max": 1}},
                {"key": "pick", "kind": "single_choice", "prompt": "?", "options": ["one"]},
            ],
        },
    )
    assert rules.status_code == 422
    assert [e["field"] for e in rules.json()["errors"]] == [
        "questions[0].options",
        "questions[1].validation.min",
        "questions[2].options",
        "questions[1].key",
    ]
    assert world.request("GET", SETS).json()["items"] == []


def test_an_unknown_or_foreign_role_is_not_found(world: ApiWorld) -> None:
    foreign_role = _role(world, world.b.id)
    response = world.request("POST", SETS, json={"name": "X", "role_id": foreign_role, "questions": DRAFTS})
    assert response.status_code == 404
    assert world.request("GET", SETS).json()["items"] == []


def test_reading_needs_org_read_and_writing_org_manage(world: ApiWorld) -> None:
    set_id = _create(world)["id"]
    for role_name in (R.VIEWER, R.HIRING_MANAGER, R.RECRUITER):
        assert world.request("GET", f"{SETS}/{set_id}", role_name).status_code == 200
        assert (
            world.request("POST", SETS, role_name, json={"name": "X", "questions": DRAFTS}).status_code == 403
        )
        assert (
            world.request("PUT", f"{SETS}/{set_id}/order", role_name, json={"keys": ["a"]}).status_code == 403
        )
        assert world.request("POST", f"{SETS}/{set_id}/versions", role_name).status_code == 403
        assert world.request("DELETE", f"{SETS}/{set_id}", role_name).status_code == 403
        assert world.request("DELETE", f"{SETS}/{set_id}/questions/shifts", role_name).status_code == 403
    assert _keys(world, set_id) == ["work_authorization", "shifts", "about_you"]


def test_another_tenants_set_is_not_found_and_stays_as_it_was(world: ApiWorld) -> None:
    set_id = _other_tenants_set(world)
    question = {"key": "extra", "kind": "yes_no", "prompt": "?"}
    attempts = [
        ("GET", f"{SETS}/{set_id}", None),
        ("PATCH", f"{SETS}/{set_id}", {"is_active": False}),
        ("PUT", f"{SETS}/{set_id}/order", {"keys": ["about_you", "shifts", "work_authorization"]}),
        ("POST", f"{SETS}/{set_id}/questions", question),
        ("DELETE", f"{SETS}/{set_id}/questions/shifts", None),
        ("POST", f"{SETS}/{set_id}/versions", None),
        ("DELETE", f"{SETS}/{set_id}", None),
    ]
    for method, path, body in attempts:
        response = world.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.text)

    detail = QuestionSets(world.services.uow_factory).get(world.b.id, set_id)
    assert detail.keys == ("work_authorization", "shifts", "about_you")
    assert detail.question_set.is_active
    assert world.request("GET", SETS).json()["items"] == []


def test_the_list_pages_and_filters_by_role(world: ApiWorld) -> None:
    role_id = _role(world)
    first = _create(world, role_id=role_id)["id"]
    second = _create(world, name="Other")["id"]
    third = _create(world, role_id=role_id, name="Night shift")["id"]
    _other_tenants_set(world)

    page = world.request("GET", SETS, R.VIEWER, params={"limit": 2}).json()
    assert [item["id"] for item in page["items"]] == [first, second]
    assert "questions" not in page["items"][0]
    rest = world.request("GET", SETS, params={"limit": 2, "cursor": page["next_cursor"]}).json()
    assert ([item["id"] for item in rest["items"]], rest["next_cursor"]) == ([third], None)

    of_role = world.request("GET", SETS, params={"role_id": role_id, "limit": 1}).json()
    assert [item["id"] for item in of_role["items"]] == [first]
    more = world.request("GET", SETS, params={"role_id": role_id, "cursor": of_role["next_cursor"]}).json()
    assert ([item["id"] for item in more["items"]], more["next_cursor"]) == ([third], None)

    bad = world.request("GET", SETS, params={"role_id": 0, "limit": 0, "cursor": "nonsense"})
    assert bad.status_code == 422
    assert {e["loc"] for e in bad.json()["errors"]} == {"query.role_id", "query.limit"}
    assert world.request("GET", SETS, params={"cursor": "nonsense"}).status_code == 422


def test_questions_are_reordered_by_key(world: ApiWorld) -> None:
    set_id = _create(world)["id"]

    response = world.request(
        "PUT", f"{SETS}/{set_id}/order", json={"keys": ["about_you", "work_authorization", "shifts"]}
    )

    assert response.status_code == 200
    assert [q["key"] for q in response.json()["questions"]] == ["about_you", "work_authorization", "shifts"]
    assert _keys(world, set_id) == ["about_you", "work_authorization", "shifts"]

    wrong = world.request("PUT", f"{SETS}/{set_id}/order", json={"keys": ["shifts", "shifts", "nope"]})
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["errors"]] == ["keys[1]", "keys[2]", "keys"]
    empty = world.request("PUT", f"{SETS}/{set_id}/order", json={"keys": []})
    assert [e["loc"] for e in empty.json()["errors"]] == ["body.keys"]
    assert _keys(world, set_id) == ["about_you", "work_authorization", "shifts"]


def test_a_question_is_added_at_a_position_and_removed_again(world: ApiWorld) -> None:
    set_id = _create(world)["id"]
    question = {"key": "start_date", "kind": "date", "prompt": "When?", "validation": {"min": "today"}}

    added = world.request("POST", f"{SETS}/{set_id}/questions", json=question | {"position": 1})

    assert added.status_code == 201
    assert added.json()["id"] == set_id
    assert _keys(world, set_id) == ["work_authorization", "start_date", "shifts", "about_you"]
    stored = world.request("GET", f"{SETS}/{set_id}").json()["questions"][1]
    assert (stored["kind"], stored["validation"]) == ("date", {"min": "today"})

    clash = world.request("POST", f"{SETS}/{set_id}/questions", json=question | {"position": 9})
    assert clash.status_code == 422
    assert [e["field"] for e in clash.json()["errors"]] == ["question.key", "position"]
    shape = world.request("POST", f"{SETS}/{set_id}/questions", json={"kind": "yes_no", "position": -1})
    assert {e["loc"] for e in shape.json()["errors"]} == {"body.key", "body.prompt", "body.position"}

    removed = world.request("DELETE", f"{SETS}/{set_id}/questions/shifts")
    assert removed.status_code == 204
    assert _keys(world, set_id) == ["work_authorization", "start_date", "about_you"]
    assert world.request("DELETE", f"{SETS}/{set_id}/questions/shifts").status_code == 404
    assert world.request("DELETE", f"{SETS}/{set_id}/questions/Not-A-Key").status_code == 422


def test_a_new_version_copies_the_questions_and_can_switch_earlier_ones_off(world: ApiWorld) -> None:
    role_id = _role(world)
    source = _create(world, role_id=role_id)

    copy = world.request("POST", f"{SETS}/{source['id']}/versions", json={"deactivate_previous": True})

    assert copy.status_code == 201
    body = copy.json()
    assert body["id"] != source["id"]
    assert (body["version"], body["name"], body["role_id"], body["is_active"]) == (
        2,
        "Warehouse",
        role_id,
        True,
    )
    assert [q["key"] for q in body["questions"]] == ["work_authorization", "shifts", "about_you"]
    assert world.request("GET", f"{SETS}/{source['id']}").json()["is_active"] is False
    third = world.request("POST", f"{SETS}/{body['id']}/versions")
    assert (third.status_code, third.json()["version"]) == (201, 3)
    assert world.request("GET", f"{SETS}/{body['id']}").json()["is_active"] is True
    bad = world.request("POST", f"{SETS}/{source['id']}/versions", json={"deactivate_previous": "maybe"})
    assert [e["loc"] for e in bad.json()["errors"]] == ["body.deactivate_previous"]


def test_a_set_is_switched_off_and_on(world: ApiWorld) -> None:
    set_id = _create(world)["id"]

    off = world.request("PATCH", f"{SETS}/{set_id}", json={"is_active": False})

    assert (off.status_code, off.json()["is_active"]) == (200, False)
    assert world.request("GET", f"{SETS}/{set_id}").json()["is_active"] is False
    bad = world.request("PATCH", f"{SETS}/{set_id}", json={"name": "Renamed", "is_active": "sometimes"})
    assert {e["loc"] for e in bad.json()["errors"]} == {"body.name", "body.is_active"}
    assert world.request("GET", f"{SETS}/{set_id}").json()["name"] == "Warehouse"


def test_only_a_set_nobody_answered_can_be_deleted(world: ApiWorld) -> None:
    unused = _create(world)["id"]
    answered = _create(world, name="Answered")
    with world.services.uow_factory(world.a.id) as uow:
        person = uow.candidates.add(candidate(world.a.id))
        uow.commit()
    assert person.id is not None
    CandidateScreening(world.services.uow_factory).record_answer(
        world.a.id, person.id, answered["questions"][0]["id"], "yes"
    )

    assert world.request("DELETE", f"{SETS}/{unused}").status_code == 204
    assert world.request("GET", f"{SETS}/{unused}").status_code == 404
    refused = world.request("DELETE", f"{SETS}/{answered['id']}")
    assert refused.status_code == 409
    assert "is_active" in refused.json()["detail"]
    assert world.request("GET", f"{SETS}/{answered['id']}").status_code == 200
