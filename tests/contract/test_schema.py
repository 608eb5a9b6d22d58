"""Schemathesis over the whole OpenAPI document, signed in as an admin of a company group with demo data.

Every operation gets generated requests (valid and invalid); every answer must be free of server errors, use a
documented status code and media type, and match its documented schema and headers. The number of examples per
operation is ``HIREFLOW_SCHEMATHESIS_EXAMPLES`` (default 8); generation is derandomised so CI is repeatable.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi as schemathesis_asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine

from hireflow.apps.api.app import create_app
from hireflow.domain.models.identity import MembershipRole
from hireflow.infra.db.session import SessionLocal
from hireflow.shared.config import get_settings
from tests.contract.conftest import first_company_group

EXAMPLES = int(os.environ.get("HIREFLOW_SCHEMATHESIS_EXAMPLES", "8"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Signing out would revoke the token the other cases use; its behaviour is tested in tests/e2e/api/test_auth.py.
EXCLUDED = {("POST", "/api/v1/auth/logout")}


@pytest.fixture(scope="module")
def app(seeded: tuple[str, Engine]) -> Iterator[Any]:
    url, _ = seeded
    SessionLocal.configure(url)
    os.environ["HIREFLOW_AUTH_RATE_LIMIT"] = "100000/minute"  # generated sign-ins must not hit the limit
    get_settings.cache_clear()
    app = create_app()
    try:
        yield app
    finally:
        # Schemathesis keeps one event-loop thread for every ASGI app of the process, and our app's lifespan
        # open on it, until exit; stop both now, so no thread outlives this module (forking tests check that).
        schemathesis_asgi._shutdown()
        app.state.services.close()
        del os.environ["HIREFLOW_AUTH_RATE_LIMIT"]
        get_settings.cache_clear()
        SessionLocal.dispose()


@pytest.fixture(scope="module")
def admin_of_a(app: Any, seeded: tuple[str, Engine]) -> tuple[int, int]:
    """(company group, admin user) of the demo's first company group."""
    tenant = first_company_group(seeded[1])
    with app.state.services.uow_factory(tenant) as uow:
        admin = uow.memberships.with_role(MembershipRole.ADMIN)[0]
    return tenant, admin.user_id


def test_every_operation_keeps_its_contract(app: Any, admin_of_a: tuple[int, int]) -> None:
    api = schemathesis.openapi.from_asgi("/openapi.json", app)
    tenant, admin = admin_of_a
    codec = app.state.services.token_codec
    failures: dict[str, str] = {}
    operations = 0
    for result in api.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in EXCLUDED:
            continue
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            problem = _run(operation, mode, codec, tenant, admin)
            if problem:
                failures[f"{operation.label} ({mode.value})"] = problem
    assert operations > 20
    assert not failures, "\n\n".join(f"{label}: {problem}" for label, problem in failures.items())


def _run(operation: Any, mode: GenerationMode, codec: Any, tenant: int, admin: int) -> str | None:
    """Run one operation's generated cases; the first failure's description, or None."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def check(case: Any) -> None:
        token = codec.encode(codec.claims_for(admin, tenant, "admin"))
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    try:
        check()
    except Unsatisfiable:
        return None  # no invalid request exists for an operation without parameters or body
    except (Exception, BaseExceptionGroup) as exc:
        return f"{type(exc).__name__}: {str(exc)[:1500]}"
    return None
