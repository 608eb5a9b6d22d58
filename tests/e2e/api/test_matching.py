"""``GET /api/v1/jobs/{id}/matches`` and ``GET /api/v1/candidates/{id}/matches``: explained rankings over HTTP,
within the caller's company group only."""

from __future__ import annotations

import pytest

from hireflow.apps.matching import embedding_service
from hireflow.domain.models.identity import MembershipRole
from tests.e2e.api.world import ApiWorld
from tests.embedder_support import onnx_embedder
from tests.matching_dataset import LoadedSet, load_evaluation_set

pytest.importorskip("onnxruntime", reason="the ml extra is not installed (pip install 'hireflow[ml]')")


@pytest.fixture
def loaded(world: ApiWorld) -> LoadedSet:
    """The labelled set in company group a, embedded."""
    services = world.services
    data = load_evaluation_set(services.uow_factory, world.a.id)
    embedding_service(services.engine, world.a.id, settings=services.settings, embedder=onnx_embedder()).run()
    return data


def test_the_best_candidates_for_a_job_come_explained(world: ApiWorld, loaded: LoadedSet) -> None:
    job_id = next(iter(loaded.jobs.values()))

    response = world.request(
        "GET", f"/api/v1/jobs/{job_id}/matches", params={"top": 4}, role=MembershipRole.VIEWER
    )

    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [item["rank"] for item in items] == [1, 2, 3, 4]
    assert all(item["job_id"] == job_id for item in items)
    assert {item["id"] for item in items} <= set(loaded.candidates.values())
    first = items[0]
    assert first["external_ids"][0]["source"] == "eval"
    assert set(first["components"]) == {"similarity", "distance", "salary", "eligibility", "availability"}
    assert "matched_skills" in first["explanation"]


def test_the_best_jobs_for_a_candidate(world: ApiWorld, loaded: LoadedSet) -> None:
    candidate_id = next(iter(loaded.candidates.values()))

    response = world.request("GET", f"/api/v1/candidates/{candidate_id}/matches", params={"top": 3})

    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert len(items) == 3
    assert all(item["candidate_id"] == candidate_id for item in items)
    assert {item["id"] for item in items} <= set(loaded.jobs.values())


def test_another_tenant_sees_neither_the_job_nor_its_matches(world: ApiWorld, loaded: LoadedSet) -> None:
    job_id = next(iter(loaded.jobs.values()))

    response = world.client.get(
        f"/api/v1/jobs/{job_id}/matches", headers=world.headers(MembershipRole.ADMIN, world.b)
    )

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_bad_requests_and_unembedded_records_get_clear_problems(world: ApiWorld) -> None:
    from hireflow.domain.models.jobs import JobOpening

    with world.services.uow_factory(world.a.id) as uow:
        job = uow.job_openings.add(JobOpening(company_group_id=world.a.id, title="Night baker"))
        uow.commit()

    too_many = world.request("GET", f"/api/v1/jobs/{job.id}/matches", params={"top": 101})
    not_embedded = world.request("GET", f"/api/v1/jobs/{job.id}/matches")
    unauthenticated = world.client.get(f"/api/v1/jobs/{job.id}/matches")

    assert too_many.status_code == 422
    assert not_embedded.status_code == 409
    assert "hireflow embed" in not_embedded.json()["detail"]
    assert unauthenticated.status_code == 401
