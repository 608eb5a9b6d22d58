"""What a sandbox serves: how many records, the seed, the faults, the credentials and the protocol limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from hireflow.infra.crm.sandbox.faults import FaultPlan
from hireflow.shared.errors import ValidationFailed

MIN_RECORDS_PER_ENTITY = 5
MAX_RECORDS = 100_000_000


class EntityKind(StrEnum):
    """The recruiting entities every sandbox derives its CRM objects from."""

    CANDIDATE = "candidate"
    JOB = "job"
    SUBMISSION = "submission"
    PLACEMENT = "placement"
    COMPANY = "company"


# One candidate in 20 has a job opening of its own, one in 2 an application, one in 100 a company.
_RECORDS_PER_ONE: dict[EntityKind, int] = {
    EntityKind.CANDIDATE: 1,
    EntityKind.JOB: 20,
    EntityKind.SUBMISSION: 2,
    EntityKind.PLACEMENT: 20,
    EntityKind.COMPANY: 100,
}


@dataclass(frozen=True)
class Credentials:
    """What clients authenticate with. The defaults are documented in docs/crm-sandboxes.md."""

    client_id: str = "hireflow-sandbox"
    client_secret: str = "sandbox-secret"  # noqa: S105 - a documented sandbox default, not a secret
    username: str = "sandbox.api"
    password: str = "sandbox-password"  # noqa: S105 - a documented sandbox default, not a secret
    private_app_token: str = "pat-sandbox-token"  # noqa: S105 - a documented sandbox default, not a secret
    """HubSpot private-app token (``Authorization: Bearer ...``); it never expires."""
    refresh_token: str = "sandbox-refresh-token"  # noqa: S105 - a documented sandbox default, not a secret
    """A long-lived refresh token, as if obtained earlier by a web-server OAuth flow (HubSpot, Salesforce)."""


@dataclass(frozen=True)
class PageCaps:
    """The page-size limits of the real APIs."""

    bullhorn_count: int = 500
    hubspot_search_limit: int = 200
    hubspot_list_limit: int = 100
    hubspot_search_window: int = 10_000
    """HubSpot search never pages past this many results; further pages answer 400."""
    salesforce_batch: int = 2000


@dataclass(frozen=True)
class SandboxConfig:
    """Everything that decides what a sandbox answers. The same config gives byte-identical data."""

    records: int = 1000
    """Main records (candidates, contacts); the other entities scale from it (see :meth:`count`)."""
    seed: int = 42
    faults: FaultPlan = field(default_factory=FaultPlan)
    credentials: Credentials = field(default_factory=Credentials)
    token_lifetime_seconds: float = 600.0
    """Lifetime of access tokens, Bullhorn BhRestTokens and Salesforce sessions."""
    code_lifetime_seconds: float = 120.0
    """Lifetime of a Bullhorn authorization code (each code is also single use)."""
    locator_lifetime_seconds: float = 900.0
    """How long a Salesforce ``nextRecordsUrl`` stays valid."""
    caps: PageCaps = field(default_factory=PageCaps)
    history_end: datetime = datetime(2025, 1, 1, tzinfo=UTC)
    """Base records were last modified at or before this instant; mutations are stamped after it."""
    history_days: int = 3 * 365

    def __post_init__(self) -> None:
        problems = []
        if not 1 <= self.records <= MAX_RECORDS:
            problems.append(f"records must be between 1 and {MAX_RECORDS:,}, not {self.records}")
        lifetimes = (self.token_lifetime_seconds, self.code_lifetime_seconds, self.locator_lifetime_seconds)
        if min(lifetimes) <= 0:
            problems.append("token, code and locator lifetimes must be positive")
        if min(vars(self.caps).values()) < 1:
            problems.append("page caps must be at least 1")
        if self.history_days < 1:
            problems.append("history_days must be at least 1")
        if self.history_end.tzinfo is None:
            problems.append("history_end must be timezone-aware")
        if problems:
            raise ValidationFailed(
                "invalid sandbox config: " + "; ".join(problems),
                [{"field": "sandbox", "message": problem} for problem in problems],
            )

    def count(self, kind: EntityKind) -> int:
        """Base records of ``kind``: ``records`` candidates, records/20 jobs, records/2 applications, ... (at least 5)."""
        if kind is EntityKind.CANDIDATE:
            return self.records
        return max(MIN_RECORDS_PER_ENTITY, self.records // _RECORDS_PER_ONE[kind])

    @property
    def history_end_ms(self) -> int:
        return int(self.history_end.timestamp() * 1000)

    @property
    def history_start_ms(self) -> int:
        return self.history_end_ms - self.history_days * 86_400_000
