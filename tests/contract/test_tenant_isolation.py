"""Every route of the OpenAPI document, walked with a second company group's token: nothing leaks, nothing changes.

Company group A holds the demo data (every table filled by the seeder). Company group B is new and empty but for
its members. B's admin calls every operation, with every path id taken from A's records, and a body built from
the operation's schema. The test proves:

- a route naming one of A's records answers 404 (or 403/422 before any lookup), never 2xx;
- a list or analytics route shows B nothing of A's: pages are empty (B's own members excepted), counts are zero;
- A's rows are byte-for-byte the same afterwards.

A new route with a path parameter this test cannot fill fails it, naming the parameter, so the walk keeps up
with the API.
"""

from __future__ import annotations

import secrets
import time
from datetime import date
from typing import Any

from sqlalchemy import Engine, MetaData, Table, select
from starlette.testclient import TestClient

from hireflow.apps.api.app import create_app
from hireflow.domain.models.identity import Membership, MembershipRole, User
from hireflow.domain.models.org import CompanyGroup
from hireflow.domain.services.phone_interviews import PhoneInterviews
from hireflow.domain.services.references import References
from hireflow.infra.db import tables as t
from hireflow.infra.db.base import metadata
from hireflow.infra.db.session import SessionLocal
from hireflow.shared.config import get_settings
from tests.contract.conftest import first_company_group

PATH_PARAMETER_TABLES = {
    "business_unit_id": "business_units",
    "location_id": "locations",
    "role_id": "roles",
    "objective_id": "hiring_objectives",
    "hiring_objective_id": "hiring_objectives",
    "question_set_id": "question_sets",
    "candidate_id": "candidates",
    "reference_id": "candidate_references",
    "interview_id": "phone_interviews",
    "phone_interview_id": "phone_interviews",
    "user_id": "memberships",  # a member of A (users themselves are global)
    "media_id": "candidate_media",
    "company_group_id": "company_groups",  # A itself
    "simulation_id": "simulation_runs",
}
"""Which of A's tables a path parameter takes its id from."""

OTHER_PATH_VALUES = {
    "key": "age",  # a question key inside a question set
    "job_id": "job-of-another-tenant",
    "source": "bullhorn",  # a CRM name: starting a sync for the caller's own company group
}
SKIPPED_PREFIXES = ("/api/v1/auth/", "/healthz", "/readyz")
GLOBAL_TABLES = {"company_groups", "users", "audit_log", "revoked_access_tokens", "refresh_tokens"}


def test_no_route_shows_or_changes_another_tenants_data(seeded: tuple[str, Engine]) -> None:
    failures, changed = _walk_as_another_tenant(seeded, create_app())

    assert failures == []
    assert not changed, "company group A's rows changed"


def test_the_walk_catches_a_route_that_ignores_the_tenant(seeded: tuple[str, Engine]) -> None:
    """The walk itself can fail: a route that trusts the path id, and a list that forgets the tenant."""
    app = create_app()

    @app.get("/api/v1/leaky/{candidate_id}")
    def leaky_record(candidate_id: int) -> dict[str, int]:
        return {"id": candidate_id}

    @app.get("/api/v1/leaky")
    def leaky_list() -> dict[str, Any]:
        return {"items": [{"id": 1}], "next_cursor": None}

    failures, _ = _walk_as_another_tenant(seeded, app)

    assert [failure.split(" -> ")[0] for failure in failures] == [
        "GET /api/v1/leaky/{candidate_id}",
        "GET /api/v1/leaky",
    ]


def _walk_as_another_tenant(seeded: tuple[str, Engine], app: Any) -> tuple[list[str], bool]:
    """Walk every operation as a new company group's admin; the failures, and whether A's rows changed."""
    url, engine = seeded
    SessionLocal.configure(url)
    get_settings.cache_clear()
    try:
        with TestClient(app) as client:
            services = app.state.services
            tenant_a = first_company_group(engine)
            if not _has_rows(engine, "candidate_references", tenant_a):
                _add_a_reference_and_an_interview(services, engine, tenant_a)
            if not _has_rows(engine, "simulation_runs", tenant_a):
                _add_a_finished_simulation(services, tenant_a)
            tenant_b, b_admin, b_members = _empty_company_group(services)
            token = services.token_codec.encode(services.token_codec.claims_for(b_admin, tenant_b, "admin"))
            headers = {"Authorization": f"Bearer {token}"}
            a_ids = _ids_of(engine, tenant_a)
            before = _rows_of(engine, tenant_a)
            failures = _walk(client, app.openapi(), headers, a_ids, b_members)
            return failures, _rows_of(engine, tenant_a) != before
    finally:
        SessionLocal.dispose()


def _has_rows(engine: Engine, table: str, tenant: int) -> bool:
    live = metadata.tables[table]
    with engine.connect() as connection:
        return (
            connection.execute(select(live.c.id).where(live.c.company_group_id == tenant).limit(1)).first()
            is not None
        )


def _walk(
    client: TestClient,
    schema: dict[str, Any],
    headers: dict[str, str],
    a_ids: dict[str, int],
    b_members: set[int],
) -> list[str]:
    failures: list[str] = []
    unfilled = sorted(
        {
            name
            for path in schema["paths"]
            for name in _path_parameters(path)
            if name not in PATH_PARAMETER_TABLES and name not in OTHER_PATH_VALUES
        }
    )
    assert unfilled == [], f"teach this test which of A's records fill {unfilled}"
    walked = 0
    for path, operations in schema["paths"].items():
        if path.startswith(SKIPPED_PREFIXES):
            continue
        for method, operation in operations.items():
            walked += 1
            concrete = path
            for name in _path_parameters(path):
                value = a_ids.get(PATH_PARAMETER_TABLES.get(name, ""), OTHER_PATH_VALUES.get(name))
                concrete = concrete.replace("{" + name + "}", str(value))
            body = _example_body(operation, schema)
            response = client.request(method.upper(), concrete, headers=headers, json=body)
            label = f"{method.upper()} {path} -> {response.status_code}"
            if response.status_code >= 500:
                failures.append(f"{label}: server error {response.text[:200]}")
            elif _path_parameters(path) and response.status_code < 300 and _names_a_record(path):
                failures.append(f"{label}: answered another tenant's record: {response.text[:200]}")
            elif method == "get" and response.status_code == 200:
                leak = _leak_in(path, response.json(), b_members)
                if leak:
                    failures.append(f"{label}: {leak}")
    assert walked > 20, f"only {walked} operations were walked"
    return failures


def _names_a_record(path: str) -> bool:
    """True when a path parameter of the route names one of A's records (not a job or question key only)."""
    return any(name in PATH_PARAMETER_TABLES for name in _path_parameters(path))


def _leak_in(path: str, body: Any, b_members: set[int]) -> str | None:
    """Why this 200 answer to company group B shows company group A's data, or None."""
    if isinstance(body, dict) and "items" in body and "next_cursor" in body:
        items = body["items"]
        if path.rstrip("/").endswith("/users"):
            strangers = [item.get("id") for item in items if item.get("id") not in b_members]
            return f"lists users who are not B's members: {strangers}" if strangers else None
        if path.endswith("/audit-log"):
            return None  # B's own writes during the walk
        return f"lists {len(items)} records" if items else None
    if path.startswith("/api/v1/funnel") or path.startswith("/api/v1/hiring-objectives/progress"):
        total = _sum_of_numbers(body)
        return f"analytics count {total} for an empty company group" if total else None
    return None


def _sum_of_numbers(document: Any) -> float:
    if isinstance(document, bool) or document is None:
        return 0
    if isinstance(document, int | float):
        return abs(document)
    if isinstance(document, dict):
        return sum(_sum_of_numbers(value) for value in document.values())
    if isinstance(document, list):
        return sum(_sum_of_numbers(value) for value in document)
    return 0


def _path_parameters(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{") and part.endswith("}")]


def _example_body(operation: dict[str, Any], schema: dict[str, Any]) -> Any:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return _example(content["application/json"]["schema"], schema, depth=0)


def _example(node: dict[str, Any], schema: dict[str, Any], depth: int) -> Any:
    """A plain valid-looking instance of a JSON schema: required properties only, simplest values."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return _example(schema["components"]["schemas"][name], schema, depth + 1)
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in node:
            options = [option for option in node[combinator] if option.get("type") != "null"]
            return _example(options[0], schema, depth + 1) if options else None
    if "enum" in node:
        return node["enum"][0]
    if "const" in node:
        return node["const"]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        if depth > 6:
            return {}
        properties = node.get("properties", {})
        return {name: _example(properties[name], schema, depth + 1) for name in node.get("required", [])}
    if kind == "array":
        return [_example(node.get("items", {}), schema, depth + 1)] if node.get("minItems") else []
    if kind == "integer":
        return max(1, int(node.get("minimum", 1)))
    if kind == "number":
        return float(node.get("minimum", 1))
    if kind == "boolean":
        return True
    if kind == "string":
        if node.get("format") == "date":
            return date(2026, 1, 5).isoformat()
        if node.get("format") == "date-time":
            return "2026-01-05T09:00:00Z"
        if node.get("format") == "email":
            return "someone@example.com"
        return "x" * max(1, int(node.get("minLength", 1)))
    return None


def _add_a_reference_and_an_interview(services: Any, engine: Engine, tenant: int) -> None:
    """The seeder makes no references or phone interviews; add one of each to A, through the use cases."""
    with engine.connect() as connection:
        candidate = connection.execute(
            select(t.Candidate.id)
            .where(t.Candidate.company_group_id == tenant)
            .where(t.Candidate.deleted_at.is_(None), t.Candidate.merged_into_id.is_(None))
            .order_by(t.Candidate.id)
        ).scalar()
    assert candidate is not None
    References(services.uow_factory).request(tenant, candidate, name="Marta Ruiz", phone="+34612345678")
    PhoneInterviews(services.uow_factory).schedule(tenant, candidate)


def _add_a_finished_simulation(services: Any, tenant: int) -> None:
    """The seeder makes no simulations; run a small one for A, to the end (so A's rows stay still)."""
    role = {
        "name": "Agent",
        "headcount": 5,
        "annual_salary": 4_000_000,
        "exposure": 0.5,
        "attrition_rate": 0.1,
    }
    scenario = {
        "name": "tiny",
        "roles": [{**role, "hiring_lead_time_months": 1}],
        "automation_factor": 0.5,
        "adoption": {"kind": "linear", "start_step": 0, "end_step": 3},
        "horizon_steps": 3,
    }
    run = services.simulations.submit(tenant, {**scenario, "iterations": 2})
    deadline = time.monotonic() + 30
    while not services.simulations.get(tenant, run.id).status.finished and time.monotonic() < deadline:
        time.sleep(0.02)
    assert services.simulations.get(tenant, run.id).status == "succeeded"


def _empty_company_group(services: Any) -> tuple[int, int, set[int]]:
    """A new company group with one member of every role; its id, its admin's id and its members' ids."""
    slug = f"isolated-{secrets.token_hex(4)}"
    with services.uow_factory() as uow:
        group = uow.company_groups.add(CompanyGroup(name="Isolated", slug=slug))
        uow.commit()
    members: dict[MembershipRole, int] = {}
    with services.uow_factory(group.id) as uow:
        for role in MembershipRole:
            user = uow.users.add(User(email=f"{role.value}@{slug}.example.com"))
            uow.memberships.add(Membership(company_group_id=group.id, user_id=user.id, role=role))
            members[role] = user.id
        uow.commit()
    return group.id, members[MembershipRole.ADMIN], set(members.values())


def _ids_of(engine: Engine, tenant: int) -> dict[str, int]:
    """One id of A's in every table a path parameter may name (for memberships: the member's user id)."""
    ids: dict[str, int] = {"company_groups": tenant}
    with engine.connect() as connection:
        for table_name in set(PATH_PARAMETER_TABLES.values()) - {"company_groups"}:
            table = metadata.tables[table_name]
            column = table.c.user_id if table_name == "memberships" else table.c.id
            query = select(column).where(table.c.company_group_id == tenant).order_by(column).limit(1)
            found = connection.execute(query).scalar()
            assert found is not None, f"the demo data has no {table_name} in company group {tenant}"
            ids[table_name] = int(found)
    return ids


def _rows_of(engine: Engine, tenant: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row company group A owns, table by table."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    reflected = MetaData()
    with engine.connect() as connection:
        for name, table in metadata.tables.items():
            if name in GLOBAL_TABLES or "company_group_id" not in table.c:
                continue
            live = Table(name, reflected, autoload_with=connection)
            query = select(live).where(live.c.company_group_id == tenant).order_by(*live.primary_key.columns)
            rows[name] = [tuple(row) for row in connection.execute(query)]
    return rows
