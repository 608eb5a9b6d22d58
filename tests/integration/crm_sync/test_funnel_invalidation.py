"""A sync that adds, changes or deletes candidates invalidates the company group's cached funnel analytics, in
the cache the API reads: through Redis from any process, and in-process when the sync runs in the API's own
process (a background job there). A sync that changes no candidate keeps them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr, TypeAdapter
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import sessionmaker

from hireflow.apps.cli.sandbox import sync_settings
from hireflow.apps.crm import retry_dead_letters, run_sync
from hireflow.domain.models.crm_sync import CrmEntity
from hireflow.domain.models.org import CompanyGroup
from hireflow.infra.cache import funnel_analytics_cache, redis_client
from hireflow.infra.crm.sandbox.bullhorn import create_bullhorn_sandbox
from hireflow.infra.crm.sandbox.config import SandboxConfig
from hireflow.infra.crm.sandbox.runner import running_sandbox
from hireflow.infra.db import tables as t
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from hireflow.shared.config import Settings
from hireflow.shared.errors import ConfigurationError
from tests.redis_support import delete_keys

COUNT = TypeAdapter(int)


@pytest.fixture
def bullhorn() -> Iterator[tuple[str, SandboxConfig]]:
    config = SandboxConfig(records=40)
    with running_sandbox(create_bullhorn_sandbox(config)) as url:
        yield url, config


@pytest.fixture(params=["in-process", pytest.param("redis", marks=pytest.mark.redis)])
def cache_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    if request.param == "in-process":
        yield None
        return
    url: str = request.getfixturevalue("redis_url")
    yield url
    delete_keys(url, "hireflow:funnel:*")


def test_a_sync_that_changes_candidates_invalidates_cached_funnel_analytics(
    engine: Engine, bullhorn: tuple[str, SandboxConfig], cache_url: str | None
) -> None:
    url, config = bullhorn
    settings = Settings(
        database_url=engine.url.render_as_string(hide_password=False),
        redis_url=cache_url,
        crm_reader_process=False,
        **{
            name.removeprefix("HIREFLOW_").lower(): value
            for name, value in sync_settings("bullhorn", url, config).items()
        },
    )
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    with sqlalchemy_uow_factory(sessions)() as uow:
        group = uow.company_groups.add(CompanyGroup(name="Funnel", slug="funnel"))
        uow.commit()
    assert group.id is not None
    tenant = group.id
    # What the API would hold: an answer cached before the sync, in the cache its settings pick.
    cache = funnel_analytics_cache(settings, redis_client(settings))
    computed: list[int] = []

    def candidates() -> int:
        with sessions() as session:
            found = session.scalar(
                select(func.count()).select_from(t.Candidate).where(t.Candidate.company_group_id == tenant)
            )
        computed.append(found or 0)
        return found or 0

    def answer() -> int:
        return cache.get_or_compute(tenant, "buckets", {}, candidates, COUNT)

    assert answer() == 0
    assert answer() == 0
    assert computed == [0]

    run = run_sync(
        "bullhorn", tenant, settings=settings, session_factory=sessions, entities=[CrmEntity.CANDIDATES]
    )

    assert run.counts.inserted > 0
    assert answer() == run.counts.inserted  # recomputed: the sync invalidated the cached answer
    assert len(computed) == 2

    unchanged = run_sync(
        "bullhorn", tenant, settings=settings, session_factory=sessions, entities=[CrmEntity.CANDIDATES]
    )

    assert unchanged.counts.inserted + unchanged.counts.updated + unchanged.counts.deleted == 0
    assert answer() == run.counts.inserted
    assert len(computed) == 2

    retried = retry_dead_letters("bullhorn", tenant, settings=settings, session_factory=sessions)

    assert retried.counts.inserted + retried.counts.updated + retried.counts.deleted == 0
    assert len(computed) == 2  # still cached: retrying changed no candidate
    answer()
    assert len(computed) == 2

    # A run that fails may have committed pages before it failed: it invalidates whatever it did.
    refused = settings.model_copy(update={"bullhorn_password": SecretStr("guess")})
    with pytest.raises(ConfigurationError, match="did not sign in"):
        run_sync(
            "bullhorn", tenant, settings=refused, session_factory=sessions, entities=[CrmEntity.CANDIDATES]
        )

    assert answer() == run.counts.inserted
    assert len(computed) == 3
