"""The API's composition root: every adapter wired into every service, once per application.

Nothing here connects to anything: engines, Redis clients and job-runner threads are created lazily by their
first use. Tests build an app with their own settings (and clock) and get a fully wired, isolated service set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import Engine

from hireflow.apps.api.rate_limit import RateLimiter
from hireflow.domain.ports.background_jobs import JobRunner
from hireflow.domain.ports.crm_sync import SyncStore
from hireflow.domain.ports.identity import AuditLog
from hireflow.domain.ports.security import AccessTokenDenylist
from hireflow.domain.ports.unit_of_work import UnitOfWorkFactory
from hireflow.domain.services.authentication import Authentication, LockoutPolicy
from hireflow.domain.services.funnel_cache import FunnelAnalyticsCache
from hireflow.domain.services.refresh_tokens import RefreshTokenService
from hireflow.domain.services.workforce_runs import Simulations
from hireflow.infra.db.repositories.audit import SqlAlchemyAuditLog
from hireflow.infra.db.repositories.security import SqlAlchemyRefreshTokenStore
from hireflow.infra.db.session import SessionLocal
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from hireflow.infra.security import Argon2PasswordHasher, JwtTokenCodec
from hireflow.infra.security.denylist import RedisAccessTokenDenylist, SnapshotDenylist
from hireflow.shared.clock import Clock, SystemClock
from hireflow.shared.config import Settings


@dataclass
class ApiServices:
    """What the routes use, built from the settings. ``request.app.state.services`` holds one."""

    settings: Settings
    clock: Clock = field(default_factory=SystemClock)

    @cached_property
    def uow_factory(self) -> UnitOfWorkFactory:
        return sqlalchemy_uow_factory(SessionLocal)

    @cached_property
    def redis(self) -> Any | None:
        """A Redis client when ``HIREFLOW_REDIS_URL`` is set (it connects on first command), else None."""
        from hireflow.infra.cache import redis_client

        return redis_client(self.settings)

    @cached_property
    def refresh_tokens(self) -> RefreshTokenService:
        store = SqlAlchemyRefreshTokenStore(SessionLocal)
        return RefreshTokenService(store, self.clock, timedelta(days=self.settings.refresh_token_days))

    @cached_property
    def denylist(self) -> AccessTokenDenylist:
        if self.redis is not None:
            return RedisAccessTokenDenylist(self.redis, self.clock)
        return SnapshotDenylist(SqlAlchemyRefreshTokenStore(SessionLocal), self.clock)

    @property
    def denylist_is_in_process(self) -> bool:
        """True when checking the denylist costs no I/O (the database list's snapshot, not Redis)."""
        return isinstance(self.denylist, SnapshotDenylist)

    @cached_property
    def token_codec(self) -> JwtTokenCodec:
        settings = self.settings
        return JwtTokenCodec(
            settings.secret_key.get_secret_value(),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            minutes=settings.access_token_minutes,
            clock=self.clock,
        )

    @cached_property
    def password_hasher(self) -> Argon2PasswordHasher:
        return Argon2PasswordHasher()

    @cached_property
    def authentication(self) -> Authentication:
        settings = self.settings
        return Authentication(
            self.uow_factory,
            hasher=self.password_hasher,
            codec=self.token_codec,
            refresh_tokens=self.refresh_tokens,
            denylist=self.denylist,
            clock=self.clock,
            lockout=LockoutPolicy(
                threshold=settings.login_lockout_threshold,
                base_seconds=settings.login_lockout_seconds,
                max_seconds=settings.login_lockout_max_seconds,
            ),
        )

    @cached_property
    def auth_rate_limiter(self) -> RateLimiter:
        storage = self.settings.redis_url or "memory://"
        return RateLimiter(self.settings.auth_rate_limit, storage)

    @cached_property
    def audit_log(self) -> AuditLog:
        return SqlAlchemyAuditLog(SessionLocal)

    @cached_property
    def funnel_cache(self) -> FunnelAnalyticsCache:
        """Funnel analytics, cached per company group; every write that moves candidates invalidates it."""
        from hireflow.infra.cache import funnel_analytics_cache

        return funnel_analytics_cache(self.settings, self.redis)

    @cached_property
    def job_runner(self) -> JobRunner:
        from hireflow.apps.tasks import hireflow_tasks
        from hireflow.infra.jobs.factory import build_job_runner

        return build_job_runner(self.settings, hireflow_tasks())

    @cached_property
    def simulations(self) -> Simulations:
        """Workforce simulations: stored in the database, their chunks run on the job runner."""
        from hireflow.apps.workforce import simulations

        return simulations(self.settings, self.job_runner, clock=self.clock)

    @property
    def engine(self) -> Engine:
        """The database engine (created on first use), for services that work on connections."""
        return SessionLocal.engine

    @cached_property
    def sync_store(self) -> SyncStore:
        """CRM sync runs and dead letters (the syncs themselves run as background jobs)."""
        from hireflow.apps.crm import sync_store

        return sync_store(SessionLocal)

    def close(self) -> None:
        """Stop what was started (the job runner's threads or broker, the Redis client); idempotent."""
        runner = self.__dict__.pop("job_runner", None)
        if hasattr(runner, "shutdown"):  # in-process: cancel what waits, stop what runs, then wait for it
            runner.shutdown(wait=False)
            runner.shutdown(wait=True)
        elif hasattr(runner, "close"):
            runner.close()
        client = self.__dict__.pop("redis", None)
        if client is not None:
            client.close()
