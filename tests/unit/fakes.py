"""In-memory fakes of every repository port and of the unit of work, for domain tests without I/O.

The fakes keep the promises the real adapters keep, so a service tested here behaves the same on a database:
tenant scoping (another tenant's rows are NotFound), the database's unique keys (Conflict, with SQL's rule
that a NULL never clashes), its cascades and SET NULLs, references to rows the tenant cannot see (NotFound),
the CHECK rules the domain models do not repeat, JSON round trips, UTC timestamps, and a unit of work that
rolls back unless committed. ``tests/unit/test_fakes.py`` checks the tables below against the real schema.

    factory = FakeUnitOfWorkFactory()
    with factory(company_group_id) as uow:
        ...
        uow.commit()
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, ClassVar, Generic, Literal, Self, TypeVar

from hireflow.domain.models.analytics import DashboardConfiguration, ProductUsageEvent
from hireflow.domain.models.base import Entity
from hireflow.domain.models.candidates import (
    Candidate,
    CandidateExternalId,
    CandidateFilters,
    CandidateMedia,
    CandidatePosition,
    CandidateSort,
)
from hireflow.domain.models.funnel import FunnelLogEntry, FunnelState
from hireflow.domain.models.identity import LoginState, Membership, User
from hireflow.domain.models.jobs import Application, ClientCompany, JobOpening, Placement
from hireflow.domain.models.messaging import (
    AdTemplate,
    EmailLog,
    EmailStatus,
    MessageTemplate,
    ScreeningMessage,
    WhatsappStatusUpdate,
)
from hireflow.domain.models.org import (
    BusinessUnit,
    CompanyGroup,
    HiringObjective,
    Location,
    ObjectiveStatus,
    Role,
)
from hireflow.domain.models.screening import (
    CandidateReference,
    Channel,
    EligibilityEvaluation,
    OnboardingResponse,
    PhoneInterview,
    PhoneInterviewQuestion,
    QuestionSet,
    ReferenceMessage,
    ResponseTiming,
    ScreeningAnswer,
    ScreeningQuestion,
)
from hireflow.domain.ports.unit_of_work import TenantNotSelected
from hireflow.shared.clock import Clock, SystemClock
from hireflow.shared.errors import Conflict, NotFound

EntityT = TypeVar("EntityT", bound=Entity)
RepositoryT = TypeVar("RepositoryT", bound="InMemoryRepository[Any]")
MAX_PAGE = 1000
GLOBAL_TABLES = frozenset({"company_groups", "users"})
Snapshot = tuple[dict[str, dict[int, Any]], dict[int, str | None], dict[int, LoginState]]


@dataclass(frozen=True)
class Reference:
    """A foreign key: ``table.field`` points at a row of ``target``; ``on_delete`` says what a delete does."""

    table: str
    field: str
    target: str
    on_delete: Literal["cascade", "set_null"]


# Tables are named like the unit-of-work attributes; tenant tables also cascade from company_groups.
_REFERENCES = """
    memberships.user_id -> users cascade
    locations.business_unit_id -> business_units set_null
    roles.business_unit_id -> business_units set_null
    hiring_objectives.role_id -> roles cascade
    hiring_objectives.location_id -> locations cascade
    hiring_objectives.business_unit_id -> business_units set_null
    candidates.business_unit_id -> business_units set_null
    candidates.location_id -> locations set_null
    candidates.role_id -> roles set_null
    candidates.merged_into_id -> candidates set_null
    candidate_external_ids.candidate_id -> candidates cascade
    candidate_media.candidate_id -> candidates cascade
    funnel_log.candidate_id -> candidates cascade
    funnel_log.actor_user_id -> users set_null
    question_sets.role_id -> roles cascade
    screening_questions.question_set_id -> question_sets cascade
    screening_answers.candidate_id -> candidates cascade
    screening_answers.question_id -> screening_questions cascade
    response_timings.candidate_id -> candidates cascade
    response_timings.question_id -> screening_questions cascade
    eligibility_evaluations.candidate_id -> candidates cascade
    eligibility_evaluations.role_id -> roles cascade
    phone_interviews.candidate_id -> candidates cascade
    phone_interviews.role_id -> roles set_null
    phone_interviews.question_set_id -> question_sets set_null
    phone_interview_questions.phone_interview_id -> phone_interviews cascade
    phone_interview_questions.screening_question_id -> screening_questions set_null
    candidate_references.candidate_id -> candidates cascade
    candidate_references.verified_by_user_id -> users set_null
    reference_messages.reference_id -> candidate_references cascade
    onboarding_responses.candidate_id -> candidates cascade
    screening_messages.candidate_id -> candidates cascade
    screening_messages.template_id -> message_templates set_null
    screening_messages.question_id -> screening_questions set_null
    whatsapp_status_updates.screening_message_id -> screening_messages set_null
    email_logs.candidate_id -> candidates set_null
    email_logs.template_id -> message_templates set_null
    ad_templates.role_id -> roles set_null
    job_openings.client_company_id -> client_companies set_null
    job_openings.role_id -> roles set_null
    job_openings.location_id -> locations set_null
    applications.candidate_id -> candidates cascade
    applications.job_id -> job_openings cascade
    placements.candidate_id -> candidates cascade
    placements.job_id -> job_openings cascade
    placements.application_id -> applications set_null
    product_usage.user_id -> users set_null
    dashboard_configurations.user_id -> users cascade
"""


def _parse_reference(line: str) -> Reference:
    source, _, target, on_delete = line.split()
    table, field = source.split(".")
    assert on_delete in ("cascade", "set_null"), line
    return Reference(table, field, target, "cascade" if on_delete == "cascade" else "set_null")


REFERENCES: tuple[Reference, ...] = tuple(_parse_reference(line) for line in _REFERENCES.strip().splitlines())

CG = "company_group_id"
UNIQUE_KEYS: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "company_groups": (("slug",),),
    "users": (("email",),),
    "memberships": (("user_id", CG),),
    "business_units": ((CG, "name"),),
    "locations": ((CG, "name"),),
    "roles": ((CG, "business_unit_id", "title"), (CG, "title")),
    "candidates": ((CG, "phone_e164"),),
    "candidate_external_ids": ((CG, "source", "external_id"),),
    "candidate_media": ((CG, "storage_key"),),
    "question_sets": ((CG, "role_id", "name", "language", "version"),),
    "screening_questions": (("question_set_id", "position"), ("question_set_id", "key")),
    "screening_answers": (("candidate_id", "question_id"),),
    "response_timings": (("candidate_id", "question_id"),),
    "phone_interviews": ((CG, "provider", "provider_call_id"),),
    "phone_interview_questions": (("phone_interview_id", "position"),),
    "onboarding_responses": (("candidate_id", "step_key"),),
    "message_templates": ((CG, "name", "channel", "language"),),
    "screening_messages": ((CG, "channel", "external_message_id"),),
    "ad_templates": ((CG, "platform", "name"),),
    "client_companies": ((CG, "source", "external_id"),),
    "job_openings": ((CG, "source", "external_id"),),
    "applications": ((CG, "source", "external_id"),),
    "placements": ((CG, "source", "external_id"),),
    "dashboard_configurations": ((CG, "user_id", "name"), (CG, "name")),
}

# Partial unique indexes: the key holds only among rows where the named column IS NULL.
UNIQUE_WHERE_NULL: Mapping[tuple[str, tuple[str, ...]], str] = {
    ("roles", (CG, "title")): "business_unit_id",
    ("dashboard_configurations", (CG, "name")): "user_id",
}

# The database's CHECK rules that the domain models do not enforce themselves.
CHECKS: Mapping[str, tuple[tuple[str, Callable[[Any], bool]], ...]] = {
    "candidates": (("not_merged_into_self", lambda c: c.merged_into_id is None or c.merged_into_id != c.id),),
    "response_timings": (
        ("answered_after_sent", lambda r: r.answered_at is None or r.answered_at >= r.sent_at),
    ),
    "phone_interviews": (
        (
            "ends_after_start",
            lambda p: p.ended_at is None or p.started_at is None or p.ended_at >= p.started_at,
        ),
    ),
    "candidate_references": (("reachable", lambda r: r.phone_e164 is not None or r.email is not None),),
}


class FakeDatabase:
    """What the fake units of work share: one dict of stored models per table, and id sequences."""

    def stored_rows(self) -> dict[str, dict[int, Any]]:
        """A copy of every non-empty table, to prove a refused use case wrote nothing."""
        return {name: dict(rows) for name, rows in self.tables.items() if rows}

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or SystemClock()
        self.tables: dict[str, dict[int, Any]] = {}
        self.password_hashes: dict[int, str | None] = {}
        self.login_states: dict[int, LoginState] = {}
        self.sequences: dict[str, itertools.count[int]] = {}
        self.open_unit: FakeUnitOfWork | None = None

    def table(self, name: str) -> dict[int, Any]:
        return self.tables.setdefault(name, {})

    def next_id(self, name: str) -> int:
        return next(self.sequences.setdefault(name, itertools.count(1)))

    def snapshot(self) -> Snapshot:
        # Stored models are never mutated in place (updates replace them), so shallow copies suffice.
        tables = {name: dict(rows) for name, rows in self.tables.items()}
        return tables, dict(self.password_hashes), dict(self.login_states)

    def restore(self, snapshot: Snapshot) -> None:
        # Like a database sequence, ids are not handed out again after a rollback.
        tables, hashes, login_states = snapshot
        self.tables = {name: dict(rows) for name, rows in tables.items()}
        self.password_hashes = dict(hashes)
        self.login_states = dict(login_states)

    def delete(self, table: str, entity_id: int) -> None:
        """Remove a row and apply the ON DELETE rules of every reference to it."""
        if self.table(table).pop(entity_id, None) is None:
            return
        for ref in REFERENCES:
            if ref.target != table:
                continue
            for child in list(self.table(ref.table).values()):
                if getattr(child, ref.field) != entity_id:
                    continue
                if ref.on_delete == "cascade":
                    self.delete(ref.table, child.id)
                else:
                    self.table(ref.table)[child.id] = child.model_copy(update={ref.field: None})
        if table == "company_groups":
            for name in [name for name in self.tables if name not in GLOBAL_TABLES]:
                for child in list(self.table(name).values()):
                    if child.company_group_id == entity_id:
                        self.delete(name, child.id)


def _stored(entity: EntityT) -> EntityT:
    """The entity as the database would give it back: JSON round-tripped, timestamps in UTC."""
    model = type(entity).model_validate(entity.model_dump(mode="json"))
    return model.model_copy(
        update={name: value.astimezone(UTC) for name, value in model if isinstance(value, datetime)}
    )


class InMemoryRepository(Generic[EntityT]):
    """A fake of ``Repository[EntityT]`` over one table of a :class:`FakeDatabase`, scoped to one tenant."""

    table: ClassVar[str]
    entity_name: ClassVar[str]

    def __init__(self, db: FakeDatabase, company_group_id: int | None = None) -> None:
        self.db = db
        self.company_group_id = company_group_id

    # -- the Repository port -------------------------------------------------------------------------------
    def add(self, entity: EntityT) -> EntityT:
        self._check_tenant(entity)
        self._check_references(entity, None)
        now = self.db.clock.now()
        new_id = self.db.next_id(self.table)
        unchecked = self._normalise(entity).model_copy(
            update={"id": new_id, "created_at": now, "updated_at": now}
        )
        self._check_rules(unchecked)  # before validation, like the database's CHECKs on any row it is given
        row = _stored(unchecked)
        self.db.table(self.table)[new_id] = row
        return row.model_copy(deep=True)

    def get(self, entity_id: int) -> EntityT:
        found = self.find(entity_id)
        if found is None:
            raise NotFound(self.entity_name, entity_id)
        return found

    def find(self, entity_id: int) -> EntityT | None:
        row = self._visible_row(entity_id)
        return None if row is None else row.model_copy(deep=True)

    def get_many(self, entity_ids: Sequence[int]) -> dict[int, EntityT]:
        rows = (self._visible_row(entity_id) for entity_id in set(entity_ids))
        return {row.id: row.model_copy(deep=True) for row in rows if row is not None and row.id is not None}

    def update(self, entity: EntityT) -> EntityT:
        old = None if entity.id is None else self._visible_row(entity.id)
        if old is None:
            raise NotFound(self.entity_name, entity.id)
        self._check_tenant(entity)
        self._check_references(entity, old)
        managed = {"id": old.id, "created_at": old.created_at, "updated_at": old.updated_at}
        unchecked = self._normalise(entity).model_copy(update=managed)
        self._check_rules(unchecked)  # before validation, like the database's CHECKs on any row it is given
        row = _stored(unchecked)
        if row != old:  # like an ORM, only a real change touches updated_at
            row = row.model_copy(update={"updated_at": self.db.clock.now()})
        self.db.table(self.table)[old.id] = row
        return row.model_copy(deep=True)

    def delete(self, entity_id: int) -> None:
        if self._visible_row(entity_id) is None:
            raise NotFound(self.entity_name, entity_id)
        self.db.delete(self.table, entity_id)

    def list(self, *, limit: int = 100, after_id: int | None = None) -> Sequence[EntityT]:
        rows = [row for row in self._rows() if after_id is None or row.id > after_id]
        return rows[: min(max(limit, 1), MAX_PAGE)]

    def count(self) -> int:
        return len(self._rows())

    # -- helpers for subclasses ----------------------------------------------------------------------------
    def _rows(
        self, where: Callable[[EntityT], bool] | None = None, order: Callable[[EntityT], Any] | None = None
    ) -> list[EntityT]:
        """Copies of the visible rows matching ``where``, by ``order`` (default: id)."""
        rows = [row for row in self.db.table(self.table).values() if self._is_visible(row)]
        rows = [row for row in rows if where is None or where(row)]
        rows.sort(key=order or (lambda row: row.id))
        return [row.model_copy(deep=True) for row in rows]

    def _one(self, where: Callable[[EntityT], bool]) -> EntityT | None:
        rows = self._rows(where)
        return rows[0] if rows else None

    def _last(self, where: Callable[[EntityT], bool], order: Callable[[EntityT], Any]) -> EntityT | None:
        rows = self._rows(where, order)
        return rows[-1] if rows else None

    def _normalise(self, entity: EntityT) -> EntityT:
        return entity

    def _is_visible(self, row: Any) -> bool:
        return self.table in GLOBAL_TABLES or row.company_group_id == self.company_group_id

    def _visible_row(self, entity_id: int) -> Any:
        row = self.db.table(self.table).get(entity_id)
        return row if row is not None and self._is_visible(row) else None

    def _check_tenant(self, entity: EntityT) -> None:
        if self.table in GLOBAL_TABLES:
            return
        company_group_id = getattr(entity, CG)
        if company_group_id != self.company_group_id:
            raise NotFound("company group", company_group_id)
        if company_group_id not in self.db.table("company_groups"):
            raise Conflict(f"{self.entity_name} breaks a database rule: no company group {company_group_id}")

    def _check_references(self, entity: EntityT, old: EntityT | None) -> None:
        for ref in (ref for ref in REFERENCES if ref.table == self.table):
            value = getattr(entity, ref.field)
            if value is None or (old is not None and getattr(old, ref.field) == value):
                continue
            target = self.db.table(ref.target).get(value)
            hidden = (
                target is not None
                and ref.target not in GLOBAL_TABLES
                and target.company_group_id != self.company_group_id
            )
            if target is None or hidden:
                raise NotFound(ref.field.removesuffix("_id"), value)

    def _check_rules(self, row: EntityT) -> None:
        for key in UNIQUE_KEYS.get(self.table, ()):
            values = tuple(getattr(row, name) for name in key)
            if any(value is None for value in values):
                continue  # SQL: NULL is never equal to NULL, so it never clashes
            only_null = UNIQUE_WHERE_NULL.get((self.table, key))
            if only_null is not None and getattr(row, only_null) is not None:
                continue
            for other in self.db.table(self.table).values():
                if only_null is not None and getattr(other, only_null) is not None:
                    continue
                if other.id != row.id and tuple(getattr(other, name) for name in key) == values:
                    raise Conflict(
                        f"{self.entity_name} breaks a database rule: duplicate {', '.join(key)}",
                        entity=self.entity_name,
                    )
        for name, holds in CHECKS.get(self.table, ()):
            if not holds(row):
                raise Conflict(f"{self.entity_name} breaks a database rule: {name}", entity=self.entity_name)


# -- declarative queries: most port methods filter on fields named like their parameters ---------------------
def _by(*names: str) -> Callable[[Any], tuple[Any, ...]]:
    """A sort key over fields, then id."""
    return lambda row: (*(getattr(row, name) for name in names), row.id)


def _matching(
    fields: tuple[str, ...], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Callable[[Any], bool]:
    """Bind positional and keyword arguments to ``fields`` and match rows whose fields equal them."""
    values = dict(zip(fields, args, strict=False)) | kwargs
    if len(args) > len(fields) or set(values) != set(fields):
        raise TypeError(f"expected arguments {fields}, got {args} {kwargs}")
    return lambda row: all(getattr(row, name) == value for name, value in values.items())


def _find(*fields: str) -> Callable[..., Any]:
    """``find_by_x(x)``: the one visible row whose fields equal the arguments, or None."""

    def method(self: InMemoryRepository[Any], *args: Any, **kwargs: Any) -> Any:
        return self._one(_matching(fields, args, kwargs))

    return method


def _get(*fields: str) -> Callable[..., Any]:
    """``get_by_x(x)``: like :func:`_find`, but NotFound instead of None."""

    def method(self: InMemoryRepository[Any], *args: Any, **kwargs: Any) -> Any:
        found = self._one(_matching(fields, args, kwargs))
        if found is None:
            raise NotFound(self.entity_name, (*args, *kwargs.values())[0])
        return found

    return method


def _all(*fields: str, order: tuple[str, ...] = ()) -> Callable[..., Any]:
    """``for_x(x)``: every visible row whose fields equal the arguments, by ``order`` then id."""

    def method(self: InMemoryRepository[Any], *args: Any, **kwargs: Any) -> Any:
        return self._rows(_matching(fields, args, kwargs), _by(*order))

    return method


def _last(*fields: str, order: tuple[str, ...]) -> Callable[..., Any]:
    """``latest_for(x)``: the visible row matching the arguments that sorts last by ``order`` then id."""

    def method(self: InMemoryRepository[Any], *args: Any, **kwargs: Any) -> Any:
        return self._last(_matching(fields, args, kwargs), _by(*order))

    return method


def _reassign(field: str, target: str) -> Callable[..., int]:
    """``reassign_candidate(from_id, to_id)``: point the visible rows whose ``field`` is ``from_id`` at ``to_id``,
    all or nothing like the real one-statement UPDATE; NotFound when ``to_id`` is not a visible ``target``."""

    def method(self: InMemoryRepository[Any], from_id: int, to_id: int) -> int:
        row = self.db.table(target).get(to_id)
        if row is None or row.company_group_id != self.company_group_id:
            raise NotFound(field.removesuffix("_id"), to_id)
        before = dict(self.db.table(self.table))
        moving = self._rows(lambda found: getattr(found, field) == from_id)
        try:
            for found in moving:
                self.update(found.model_copy(update={field: to_id}))
        except Conflict:
            self.db.tables[self.table] = before
            raise
        return len(moving)

    return method


def _page(rows: Sequence[EntityT], limit: int) -> Sequence[EntityT]:
    return rows[: min(max(limit, 1), MAX_PAGE)]


# -- org -----------------------------------------------------------------------------------------------------
class FakeCompanyGroupRepository(InMemoryRepository[CompanyGroup]):
    """Fake of CompanyGroupRepository."""

    table, entity_name = "company_groups", "company group"
    get_by_slug = _get("slug")
    find_by_slug = _find("slug")


class FakeBusinessUnitRepository(InMemoryRepository[BusinessUnit]):
    """Fake of BusinessUnitRepository."""

    table, entity_name = "business_units", "business unit"
    find_by_name = _find("name")


class FakeLocationRepository(InMemoryRepository[Location]):
    """Fake of LocationRepository."""

    table, entity_name = "locations", "location"
    find_by_name = _find("name")
    for_business_unit = _all("business_unit_id", order=("name",))


class FakeRoleRepository(InMemoryRepository[Role]):
    """Fake of RoleRepository."""

    table, entity_name = "roles", "role"
    for_business_unit = _all("business_unit_id", order=("title",))

    def active(self) -> Sequence[Role]:
        return self._rows(lambda row: row.is_active, _by("title"))


class FakeHiringObjectiveRepository(InMemoryRepository[HiringObjective]):
    """Fake of HiringObjectiveRepository."""

    table, entity_name = "hiring_objectives", "hiring objective"
    for_role = _all("role_id", order=("start_date",))

    def with_status(self, status: ObjectiveStatus) -> Sequence[HiringObjective]:
        return self._rows(lambda row: row.status == status, _by("start_date"))


# -- identity ------------------------------------------------------------------------------------------------
class FakeUserRepository(InMemoryRepository[User]):
    """Fake of UserRepository; like the real one it stores emails lower-case."""

    table, entity_name = "users", "user"

    def get_by_email(self, email: str) -> User:
        found = self.find_by_email(email)
        if found is None:
            raise NotFound(self.entity_name, email)
        return found

    def find_by_email(self, email: str) -> User | None:
        return self._one(lambda row: row.email == email.strip().lower())

    def set_password_hash(self, user_id: int, password_hash: str | None) -> None:
        self.get(user_id)
        self.db.password_hashes[user_id] = password_hash

    def password_hash(self, user_id: int) -> str | None:
        self.get(user_id)
        return self.db.password_hashes.get(user_id)

    def memberships(self, user_id: int) -> Sequence[Membership]:
        self.get(user_id)
        rows = sorted(self.db.table("memberships").values(), key=_by(CG))
        return [row.model_copy(deep=True) for row in rows if row.user_id == user_id]

    def login_state(self, user_id: int) -> LoginState:
        self.get(user_id)
        return self.db.login_states.get(user_id, LoginState())

    def set_login_state(self, user_id: int, state: LoginState) -> None:
        self.get(user_id)
        self.db.login_states[user_id] = state

    def _normalise(self, entity: User) -> User:
        return entity.model_copy(update={"email": entity.email.lower()})


class FakeMembershipRepository(InMemoryRepository[Membership]):
    """Fake of MembershipRepository."""

    table, entity_name = "memberships", "membership"
    find_for = _find("user_id")
    get_for = _get("user_id")
    with_role = _all("role", order=("user_id",))


# -- candidates ----------------------------------------------------------------------------------------------
class FakeCandidateExternalIdRepository(InMemoryRepository[CandidateExternalId]):
    """Fake of CandidateExternalIdRepository."""

    table, entity_name = "candidate_external_ids", "candidate external id"
    find_by_key = _find("source", "external_id")
    for_candidate = _all("candidate_id", order=("source", "external_id"))
    reassign_candidate = _reassign("candidate_id", "candidates")


class FakeCandidateRepository(InMemoryRepository[Candidate]):
    """Fake of CandidateRepository."""

    table, entity_name = "candidates", "candidate"
    get_by_phone = _get("phone_e164")
    find_by_phone = _find("phone_e164")
    merged_into = _all("merged_into_id")

    def __init__(self, db: FakeDatabase, company_group_id: int | None = None) -> None:
        super().__init__(db, company_group_id)
        self._external_ids = FakeCandidateExternalIdRepository(db, company_group_id)

    def find_by_email(self, email: str) -> Sequence[Candidate]:
        wanted = email.strip().lower()
        return self._rows(lambda row: row.email is not None and row.email.lower() == wanted)

    def find_by_external_id(self, source: str, external_id: str) -> Candidate | None:
        mapping = self._external_ids.find_by_key(source, external_id)
        return None if mapping is None else self.find(mapping.candidate_id)

    def add_external_id(self, candidate_id: int, source: str, external_id: str) -> CandidateExternalId:
        assert self.company_group_id is not None
        return self._external_ids.add(
            CandidateExternalId(
                company_group_id=self.company_group_id,
                candidate_id=candidate_id,
                source=source,
                external_id=external_id,
            )
        )

    def external_ids(self, candidate_id: int) -> Sequence[CandidateExternalId]:
        return self._external_ids.for_candidate(candidate_id)

    def get_with_external_ids(self, candidate_id: int) -> tuple[Candidate, Sequence[CandidateExternalId]]:
        return self.get(candidate_id), self._external_ids.for_candidate(candidate_id)

    def in_state(
        self, state: FunnelState, *, limit: int = 100, after_id: int | None = None
    ) -> Sequence[Candidate]:
        return _page(self._rows(lambda row: row.funnel_state == state and row.id > (after_id or 0)), limit)

    def count_by_state(self) -> Mapping[FunnelState, int]:
        counts: dict[FunnelState, int] = {}
        for row in self._rows():
            counts[row.funnel_state] = counts.get(row.funnel_state, 0) + 1
        return counts

    def search(
        self,
        filters: CandidateFilters,
        *,
        sort: CandidateSort = CandidateSort.ID,
        limit: int = 100,
        after: CandidatePosition | None = None,
    ) -> Sequence[Candidate]:
        rows = self._rows(lambda row: _matches(row, filters))
        # Like the real one: rows without a sort value (never moved) last, in id order, in either direction.
        dated = [row for row in rows if None not in _sort_values(row, sort)]
        undated = [row for row in rows if None in _sort_values(row, sort)]
        dated.sort(key=lambda row: (_sort_values(row, sort), row.id), reverse=sort.descending)
        undated.sort(key=lambda row: row.id, reverse=sort.descending)
        rows = dated + undated
        if after is not None:
            rows = [row for row in rows if _sorts_after(row, after, sort)]
        return _page(rows, limit)

    def external_ids_for(self, candidate_ids: Sequence[int]) -> Mapping[int, Sequence[CandidateExternalId]]:
        found = {
            candidate_id: self._external_ids.for_candidate(candidate_id) for candidate_id in candidate_ids
        }
        return {candidate_id: ids for candidate_id, ids in found.items() if ids}


def _matches(row: Candidate, filters: CandidateFilters) -> bool:
    """What the real search's WHERE clause says, in Python."""
    texts = (row.first_name.lower(), row.last_name.lower(), (row.email or "").lower())
    entered = row.entered_at.date() if row.entered_at else None
    checks = (
        filters.include_deleted or (row.deleted_at is None and row.merged_into_id is None),
        filters.phone_e164 is None or row.phone_e164 == filters.phone_e164,
        not filters.looks_like_phone or filters.phone_digits in row.phone_e164,
        all(any(term in text for text in texts) for term in filters.terms),
        not filters.funnel_state or row.funnel_state in filters.funnel_state,
        filters.business_unit_id is None or row.business_unit_id == filters.business_unit_id,
        filters.location_id is None or row.location_id == filters.location_id,
        filters.role_id is None or row.role_id == filters.role_id,
        filters.source is None or row.source == filters.source,
        filters.entered_from is None or (entered is not None and entered >= filters.entered_from),
        filters.entered_to is None or (entered is not None and entered <= filters.entered_to),
    )
    return all(checks)


def _sort_values(row: Candidate, sort: CandidateSort) -> tuple[Any, ...]:
    return tuple(getattr(row, field) for field in sort.fields)


def _sorts_after(row: Candidate, after: CandidatePosition, sort: CandidateSort) -> bool:
    values = _sort_values(row, sort)
    row_missing, after_missing = None in values, None in after.values
    if row_missing != after_missing:
        return row_missing  # the undated come after every dated one
    mine = ((() if row_missing else values), row.id)
    theirs = ((() if after_missing else after.values), after.id)
    return mine < theirs if sort.descending else mine > theirs


class FakeCandidateMediaRepository(InMemoryRepository[CandidateMedia]):
    """Fake of CandidateMediaRepository."""

    table, entity_name = "candidate_media", "candidate media"
    for_candidate = _all("candidate_id")
    find_by_storage_key = _find("storage_key")
    reassign_candidate = _reassign("candidate_id", "candidates")


# -- funnel --------------------------------------------------------------------------------------------------
class FakeFunnelLogRepository(InMemoryRepository[FunnelLogEntry]):
    """Fake of FunnelLogRepository."""

    table, entity_name = "funnel_log", "funnel log entry"
    for_candidate = _all("candidate_id", order=("occurred_at",))
    reassign_candidate = _reassign("candidate_id", "candidates")

    def last_applied(self, candidate_id: int) -> FunnelLogEntry | None:
        return self._last(lambda row: row.candidate_id == candidate_id and row.applied, _by("occurred_at"))


# -- screening -----------------------------------------------------------------------------------------------
def _question_ids(db: FakeDatabase, question_set_id: int) -> set[int]:
    """The ids of a set's questions (tenant scoping is the caller's: its rows reference them)."""
    return {q.id for q in db.table("screening_questions").values() if q.question_set_id == question_set_id}


class FakeQuestionSetRepository(InMemoryRepository[QuestionSet]):
    """Fake of QuestionSetRepository."""

    table, entity_name = "question_sets", "question set"
    for_role = _all("role_id", order=("name", "language", "version"))

    def current_for_role(self, role_id: int, language: str = "en") -> QuestionSet | None:
        return self._last(
            lambda row: row.role_id == role_id and row.language == language and row.is_active, _by("version")
        )


class FakeScreeningQuestionRepository(InMemoryRepository[ScreeningQuestion]):
    """Fake of ScreeningQuestionRepository."""

    table, entity_name = "screening_questions", "screening question"
    for_set = _all("question_set_id", order=("position",))
    find_by_key = _find("question_set_id", "key")


class FakeScreeningAnswerRepository(InMemoryRepository[ScreeningAnswer]):
    """Fake of ScreeningAnswerRepository."""

    table, entity_name = "screening_answers", "screening answer"
    for_candidate = _all("candidate_id", order=("answered_at",))
    find_for = _find("candidate_id", "question_id")
    reassign_candidate = _reassign("candidate_id", "candidates")

    def for_question_set(self, question_set_id: int) -> Sequence[ScreeningAnswer]:
        questions = _question_ids(self.db, question_set_id)
        return self._rows(lambda row: row.question_id in questions, _by("candidate_id", "answered_at"))


class FakeResponseTimingRepository(InMemoryRepository[ResponseTiming]):
    """Fake of ResponseTimingRepository."""

    table, entity_name = "response_timings", "response timing"
    for_candidate = _all("candidate_id", order=("sent_at",))
    find_for = _find("candidate_id", "question_id")
    reassign_candidate = _reassign("candidate_id", "candidates")

    def for_question_set(self, question_set_id: int) -> Sequence[ResponseTiming]:
        questions = _question_ids(self.db, question_set_id)
        return self._rows(lambda row: row.question_id in questions, _by("candidate_id", "sent_at"))


class FakeEligibilityEvaluationRepository(InMemoryRepository[EligibilityEvaluation]):
    """Fake of EligibilityEvaluationRepository."""

    table, entity_name = "eligibility_evaluations", "eligibility evaluation"
    for_candidate = _all("candidate_id", order=("evaluated_at",))
    latest_for = _last("candidate_id", "role_id", order=("evaluated_at",))
    reassign_candidate = _reassign("candidate_id", "candidates")


class FakePhoneInterviewRepository(InMemoryRepository[PhoneInterview]):
    """Fake of PhoneInterviewRepository."""

    table, entity_name = "phone_interviews", "phone interview"
    for_candidate = _all("candidate_id")
    find_by_provider_call = _find("provider", "provider_call_id")
    reassign_candidate = _reassign("candidate_id", "candidates")


class FakePhoneInterviewQuestionRepository(InMemoryRepository[PhoneInterviewQuestion]):
    """Fake of PhoneInterviewQuestionRepository."""

    table, entity_name = "phone_interview_questions", "phone interview question"
    for_interview = _all("phone_interview_id", order=("position",))


class FakeCandidateReferenceRepository(InMemoryRepository[CandidateReference]):
    """Fake of CandidateReferenceRepository."""

    table, entity_name = "candidate_references", "candidate reference"
    for_candidate = _all("candidate_id")
    reassign_candidate = _reassign("candidate_id", "candidates")


class FakeReferenceMessageRepository(InMemoryRepository[ReferenceMessage]):
    """Fake of ReferenceMessageRepository."""

    table, entity_name = "reference_messages", "reference message"
    for_reference = _all("reference_id", order=("sent_at",))


class FakeOnboardingResponseRepository(InMemoryRepository[OnboardingResponse]):
    """Fake of OnboardingResponseRepository."""

    table, entity_name = "onboarding_responses", "onboarding response"
    for_candidate = _all("candidate_id", order=("submitted_at",))
    find_for = _find("candidate_id", "step_key")
    reassign_candidate = _reassign("candidate_id", "candidates")


# -- messaging -----------------------------------------------------------------------------------------------
class FakeMessageTemplateRepository(InMemoryRepository[MessageTemplate]):
    """Fake of MessageTemplateRepository."""

    table, entity_name = "message_templates", "message template"

    def find_by_name(self, name: str, channel: Channel, language: str = "en") -> MessageTemplate | None:
        return self._one(lambda row: (row.name, row.channel, row.language) == (name, channel, language))


class FakeScreeningMessageRepository(InMemoryRepository[ScreeningMessage]):
    """Fake of ScreeningMessageRepository."""

    table, entity_name = "screening_messages", "screening message"
    for_candidate = _all("candidate_id")
    find_by_external_id = _find("channel", "external_message_id")
    reassign_candidate = _reassign("candidate_id", "candidates")


class FakeWhatsappStatusUpdateRepository(InMemoryRepository[WhatsappStatusUpdate]):
    """Fake of WhatsappStatusUpdateRepository."""

    table, entity_name = "whatsapp_status_updates", "whatsapp status update"
    for_external_message = _all("external_message_id", order=("occurred_at",))


class FakeEmailLogRepository(InMemoryRepository[EmailLog]):
    """Fake of EmailLogRepository."""

    table, entity_name = "email_logs", "email log"
    for_candidate = _all("candidate_id")
    reassign_candidate = _reassign("candidate_id", "candidates")

    def with_status(self, status: EmailStatus, *, limit: int = 100) -> Sequence[EmailLog]:
        return _page(self._rows(lambda row: row.status == status), limit)


class FakeClientCompanyRepository(InMemoryRepository[ClientCompany]):
    """Fake of ClientCompanyRepository."""

    table, entity_name = "client_companies", "client company"
    by_external_id = _find("source", "external_id")


class FakeJobOpeningRepository(InMemoryRepository[JobOpening]):
    """Fake of JobOpeningRepository."""

    table, entity_name = "job_openings", "job"
    by_external_id = _find("source", "external_id")


class FakeApplicationRepository(InMemoryRepository[Application]):
    """Fake of ApplicationRepository."""

    table, entity_name = "applications", "application"
    for_candidate = _all("candidate_id")
    reassign_candidate = _reassign("candidate_id", "candidates")


class FakePlacementRepository(InMemoryRepository[Placement]):
    """Fake of PlacementRepository."""

    table, entity_name = "placements", "placement"
    for_candidate = _all("candidate_id")
    reassign_candidate = _reassign("candidate_id", "candidates")


class FakeAdTemplateRepository(InMemoryRepository[AdTemplate]):
    """Fake of AdTemplateRepository."""

    table, entity_name = "ad_templates", "ad template"
    for_role = _all("role_id", order=("platform", "name"))


# -- analytics -----------------------------------------------------------------------------------------------
class FakeProductUsageRepository(InMemoryRepository[ProductUsageEvent]):
    """Fake of ProductUsageRepository."""

    table, entity_name = "product_usage", "product usage event"

    def between(
        self, start: datetime, end: datetime, *, event_name: str | None = None
    ) -> Sequence[ProductUsageEvent]:
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("naive datetime: Hireflow compares timezone-aware UTC timestamps only")
        return self._rows(
            lambda row: start <= row.occurred_at < end and event_name in (None, row.event_name),
            _by("occurred_at"),
        )

    def count_by_event(self, start: datetime, end: datetime) -> Mapping[str, int]:
        counts: dict[str, int] = {}
        for row in self.between(start, end):
            counts[row.event_name] = counts.get(row.event_name, 0) + 1
        return counts


class FakeDashboardConfigurationRepository(InMemoryRepository[DashboardConfiguration]):
    """Fake of DashboardConfigurationRepository."""

    table, entity_name = "dashboard_configurations", "dashboard configuration"
    for_user = _all("user_id", order=("name",))

    def find_default(self, user_id: int | None) -> DashboardConfiguration | None:
        return self._one(lambda row: row.user_id == user_id and row.is_default)


# -- the unit of work ----------------------------------------------------------------------------------------
REPOSITORIES: Mapping[str, type[InMemoryRepository[Any]]] = {
    kind.table: kind for kind in InMemoryRepository.__subclasses__()
}
"""Every fake repository by unit-of-work attribute (its fake table has the same name)."""


class FakeUnitOfWork:
    """Fake of UnitOfWork: changes made inside ``with`` are undone on exit unless ``commit()`` was called.

    Repositories are the attributes named in :data:`REPOSITORIES` (``uow.candidates``, ``uow.funnel_log``...).
    """

    def __init__(self, db: FakeDatabase | None = None, company_group_id: int | None = None) -> None:
        self.db = db if db is not None else FakeDatabase()
        self.company_group_id = company_group_id
        self.commits = 0
        self._snapshot: Snapshot | None = None
        self._repositories: dict[str, InMemoryRepository[Any]] = {}

    @property
    def committed(self) -> bool:
        """Whether ``commit()`` was called at least once (what service tests usually assert)."""
        return self.commits > 0

    def __enter__(self) -> Self:
        if self.db.open_unit is not None:
            # Snapshots of one shared store cannot isolate two open transactions; say so rather than lie.
            raise RuntimeError("the fake database supports one open unit of work at a time")
        self.db.open_unit = self
        self._snapshot = self.db.snapshot()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._snapshot is not None:
            self.db.restore(self._snapshot)
        self._snapshot = None
        self._repositories = {}
        self.db.open_unit = None

    def commit(self) -> None:
        self._open_snapshot()
        self._snapshot = self.db.snapshot()
        self.commits += 1

    def rollback(self) -> None:
        self.db.restore(self._open_snapshot())

    def __getattr__(self, name: str) -> Any:
        # Only called for names that are not ordinary attributes: the repositories.
        kind = REPOSITORIES.get(name)
        if kind is None:
            raise AttributeError(f"{type(self).__name__!s} has no attribute {name!r}")
        self._open_snapshot()
        if name not in GLOBAL_TABLES and self.company_group_id is None:
            raise TenantNotSelected(name)
        if name not in self._repositories:
            self._repositories[name] = kind(self.db, self.company_group_id)
        return self._repositories[name]

    def _open_snapshot(self) -> Snapshot:
        if self._snapshot is None:
            raise RuntimeError("the unit of work is not open; use it as `with uow: ...`")
        return self._snapshot


class FakeUnitOfWorkFactory:
    """Fake of UnitOfWorkFactory: every unit of work it opens shares one :class:`FakeDatabase`."""

    def __init__(self, db: FakeDatabase | None = None) -> None:
        self.db = db if db is not None else FakeDatabase()
        self.opened: list[FakeUnitOfWork] = []

    def __call__(self, company_group_id: int | None = None) -> FakeUnitOfWork:
        uow = FakeUnitOfWork(self.db, company_group_id)
        self.opened.append(uow)
        return uow

    @property
    def commits(self) -> int:
        """How many commits the units of work of this factory made in total."""
        return sum(uow.commits for uow in self.opened)
