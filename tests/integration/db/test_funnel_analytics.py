"""Funnel analytics on both databases: a hand-made funnel with known answers, the SDK's documented usage,
and the trigger-maintained counts staying true through every kind of write."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from hireflow.domain.models.funnel import FunnelFilters, FunnelState
from hireflow.domain.models.org import BusinessUnit, HiringObjective, Location, Role
from hireflow.domain.ports.unit_of_work import UnitOfWorkFactory
from hireflow.domain.services.funnel import FunnelService
from hireflow.domain.services.funnel_transitions import FunnelTransitions
from hireflow.domain.services.objectives import ObjectiveProgressService
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories import SqlAlchemyAdminDashboardRepository
from hireflow.infra.db.session import SessionLocal
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from hireflow.shared.clock import FixedClock
from tests.builders import FUNNEL_PLAN, T0, candidate, new_tenant

S = FunnelState
H = timedelta(hours=1)
D = timedelta(days=1)

PLAN = FUNNEL_PLAN


@pytest.fixture
def factory(engine: Engine) -> UnitOfWorkFactory:
    return sqlalchemy_uow_factory(sessionmaker(bind=engine, expire_on_commit=False, autoflush=False))


@pytest.fixture
def world(factory: UnitOfWorkFactory) -> dict[str, int]:
    """Company 'acme' with two units, the funnel of PLAN, one deleted candidate, and two objectives."""
    cg = new_tenant(factory, "acme")
    ids: dict[str, int] = {"cg": cg}
    with factory(cg) as uow:
        for name in ("north", "south"):
            unit = uow.business_units.add(BusinessUnit(company_group_id=cg, name=name))
            place = uow.locations.add(
                Location(company_group_id=cg, name=f"{name} depot", business_unit_id=unit.id)
            )
            job = uow.roles.add(Role(company_group_id=cg, title=f"{name} picker", business_unit_id=unit.id))
            ids |= {name: unit.id, f"{name}_loc": place.id, f"{name}_role": job.id}  # type: ignore[dict-item]
        for n, (unit, source, entered, _) in enumerate(PLAN.values()):
            person = uow.candidates.add(
                candidate(
                    cg,
                    phone=f"+1555555{n:04d}",
                    business_unit_id=ids[unit],
                    location_id=ids[f"{unit}_loc"],
                    role_id=ids[f"{unit}_role"],
                    source=source,
                    entered_at=T0 + entered,
                )
            )
            ids[f"c{n + 1}"] = person.id  # type: ignore[assignment]
        gone = uow.candidates.add(
            candidate(
                cg, phone="+15555559999", business_unit_id=ids["north"], entered_at=T0, deleted_at=T0 + D
            )
        )
        ids["gone"] = gone.id  # type: ignore[assignment]
        for unit, amount, days in (("north", 4, 30), ("south", 3, 12)):
            uow.hiring_objectives.add(
                HiringObjective(
                    company_group_id=cg,
                    role_id=ids[f"{unit}_role"],
                    objective_amount=amount,
                    start_date=T0.date(),
                    deadline=T0.date() + timedelta(days=days),
                )
            )
        uow.commit()
    moves = FunnelTransitions(factory)
    for name, (_, _, entered, path) in PLAN.items():
        for state, after in path:
            moves.move(cg, ids[name], state, at=T0 + entered + after, actor="recruiter")
    return ids


def _service(session: Session) -> FunnelService:
    return FunnelService(SqlAlchemyAdminDashboardRepository(session))


def test_buckets_with_every_filter(engine: Engine, world: dict[str, int]) -> None:
    with Session(engine) as session:
        service, cg = _service(session), world["cg"]
        everyone = service.buckets(cg)
        assert list(everyone) == list(FunnelState)  # every state, in funnel order, zeros included
        assert {s: n for s, n in everyone.items() if n} == {
            S.HIRED: 1, S.WITHDRAWN: 1, S.INELIGIBLE: 1, S.LEAD: 1, S.ONBOARDING: 1,
        }  # fmt: skip
        north = service.buckets(cg, business_unit_id=world["north"])
        assert {s: n for s, n in north.items() if n} == {S.HIRED: 1, S.WITHDRAWN: 1, S.ONBOARDING: 1}
        assert sum(service.buckets(cg, location_id=world["south_loc"]).values()) == 2
        assert (
            sum(service.buckets(cg, role_id=world["south_role"], business_unit_id=world["north"]).values())
            == 0
        )
        week_two = service.buckets(cg, entered_from=T0 + 7 * D)
        assert {s: n for s, n in week_two.items() if n} == {S.INELIGIBLE: 1, S.LEAD: 1}
        # Windows that do not fall on midnight are exact, not rounded to days.
        evening = service.buckets(cg, entered_from=T0 + 8 * D + 6 * H)
        assert {s: n for s, n in evening.items() if n} == {S.LEAD: 1}
        morning = service.buckets(cg, entered_from=T0 + 8 * D - H, entered_to=T0 + 8 * D + H)
        assert {s: n for s, n in morning.items() if n} == {S.INELIGIBLE: 1}
        assert sum(service.buckets(cg, entered_to=T0).values()) == 0
        assert sum(service.buckets(cg, entered_from=T0, entered_to=T0 + 3 * D).values()) == 3


def test_conversion_time_in_stage_and_drop_off(engine: Engine, world: dict[str, int]) -> None:
    with Session(engine) as session:
        service, cg = _service(session), world["cg"]
        conversion = {(c.from_state, c.to_state): c for c in service.conversion(cg)}
        assert conversion[S.LEAD, S.CONTACTED].rate == pytest.approx(0.6)
        assert conversion[S.CONTACTED, S.SCREENING].rate == pytest.approx(0.6667)
        assert conversion[S.ELIGIBLE, S.INTERVIEW_SCHEDULED].rate == pytest.approx(0.5)
        assert (conversion[S.OFFERED, S.HIRED].reached_from, conversion[S.OFFERED, S.HIRED].rate) == (2, 1.0)
        assert conversion[S.ONBOARDING, S.ONBOARDED].rate == 0.0
        timing = {row.state: row for row in service.time_in_stage(cg)}
        assert (timing[S.LEAD].samples, timing[S.LEAD].median_hours) == (4, 1.0)
        assert (timing[S.CONTACTED].samples, timing[S.CONTACTED].median_hours) == (3, 2.0)
        assert timing[S.CONTACTED].p90_hours == pytest.approx(6.8)
        assert timing[S.ONBOARDED].samples == 0
        assert timing[S.ONBOARDED].median_hours is None
        drops = {row.state: row for row in service.drop_off(cg)}
        assert (drops[S.CONTACTED].reached, drops[S.CONTACTED].dropped) == (3, 1)
        assert drops[S.CONTACTED].by_exit == {S.WITHDRAWN: 1}
        assert drops[S.SCREENING].by_exit == {S.INELIGIBLE: 1}
        assert drops[S.OFFERED].dropped == 0


def test_weekly_cohorts_and_sources(engine: Engine, world: dict[str, int]) -> None:
    with Session(engine) as session:
        service, cg = _service(session), world["cg"]
        first, second = service.weekly_cohorts(cg)
        assert (first.week_start, first.entered, first.hired) == (date(2024, 5, 6), 3, 2)
        assert first.hire_rate == pytest.approx(0.6667)
        assert first.reached[S.CONTACTED] == 2
        assert (second.week_start, second.entered, second.hired) == (date(2024, 5, 13), 2, 0)
        sources = {row.source: row for row in service.by_source(cg)}
        assert (sources["whatsapp"].total, sources["whatsapp"].hired, sources["whatsapp"].exited) == (2, 1, 1)
        assert (sources["meta_ads"].hired, sources["meta_ads"].exited) == (1, 1)
        assert (sources["referral"].active, sources["referral"].hire_rate) == (1, 0.0)
        north_only = service.by_source(cg, FunnelFilters(business_unit_id=world["north"]))
        assert sum(row.total for row in north_only) == 3


def test_objective_progress_pace_forecast_and_risk(engine: Engine, world: dict[str, int]) -> None:
    with Session(engine) as session:
        clock = FixedClock(T0 + 10 * D)
        service = ObjectiveProgressService(SqlAlchemyAdminDashboardRepository(session), clock)
        north, south = service.progress(world["cg"])
        assert (north.hired, north.remaining, north.attainment_pct) == (2, 2, 50.0)
        assert north.pace_per_week == pytest.approx(round(2 / 11 * 7, 2))
        assert north.forecast_date == (T0 + 21 * D).date()
        assert not north.at_risk
        assert (south.hired, south.forecast_date, south.at_risk) == (0, None, True)
        by_unit = {row.key_id: row for row in service.rollup(world["cg"], by="role")}
        assert by_unit[world["north_role"]].attainment_pct == 50.0
        assert by_unit[world["south_role"]].at_risk == 1


def test_the_documented_usage_runs_verbatim(engine: Engine, world: dict[str, int]) -> None:
    SessionLocal.configure(engine.url.render_as_string(hide_password=False))  # an engine of its own
    try:
        company_group_id = world["cg"]
        from hireflow.domain.services.funnel import FunnelService
        from hireflow.infra.db.repositories import SqlAlchemyAdminDashboardRepository
        from hireflow.infra.db.session import SessionLocal as DocumentedSessionLocal

        with DocumentedSessionLocal() as session:
            repo = SqlAlchemyAdminDashboardRepository(session)
            buckets = FunnelService(repo).buckets(company_id=company_group_id)
        assert sum(buckets.values()) == 5
    finally:
        SessionLocal.dispose()


def _truth(session: Session) -> dict[tuple[object, ...], int]:
    cand = t.Candidate
    day = (
        func.cast(func.timezone("UTC", cand.entered_at), t.FunnelStateCount.entered_on.type)
        if session.get_bind().dialect.name == "postgresql"
        else func.date(cand.entered_at)
    )
    keys = (
        cand.company_group_id,
        func.coalesce(cand.business_unit_id, 0),
        func.coalesce(cand.location_id, 0),
        func.coalesce(cand.role_id, 0),
        day,
        cand.funnel_state,
    )
    query = (
        select(*keys, func.count())
        .where(cand.deleted_at.is_(None), cand.merged_into_id.is_(None))
        .group_by(*keys)
    )
    return {tuple(str(v) for v in row[:-1]): row[-1] for row in session.execute(query)}


def _summary(session: Session) -> dict[tuple[object, ...], int]:
    counts = t.FunnelStateCount
    rows = session.execute(
        select(
            counts.company_group_id,
            counts.business_unit_key,
            counts.location_key,
            counts.role_key,
            counts.entered_on,
            counts.funnel_state,
            counts.candidate_count,
        )
    )
    return {tuple(str(v) for v in row[:-1]): row[-1] for row in rows if row[-1]}


def test_the_summary_stays_true_through_every_kind_of_write(
    engine: Engine, factory: UnitOfWorkFactory, world: dict[str, int]
) -> None:
    cg = world["cg"]

    def check() -> None:
        with Session(engine) as session:
            assert _summary(session) == _truth(session)

    check()
    with factory(cg) as uow:  # repository updates of every counted key
        one = uow.candidates.get(world["c4"])
        uow.candidates.update(one.model_copy(update={"business_unit_id": world["north"], "role_id": None}))
        two = uow.candidates.get(world["c2"])
        uow.candidates.update(two.model_copy(update={"entered_at": T0 + 40 * D, "location_id": None}))
        uow.commit()
    check()
    with factory(cg) as uow:  # soft delete, merge, and undoing a soft delete
        three = uow.candidates.get(world["c3"])
        uow.candidates.update(three.model_copy(update={"merged_into_id": world["c1"]}))
        uow.candidates.update(uow.candidates.get(world["gone"]).model_copy(update={"deleted_at": None}))
        uow.candidates.update(uow.candidates.get(world["c5"]).model_copy(update={"deleted_at": T0 + 9 * D}))
        uow.commit()
    check()
    with engine.begin() as connection:  # raw SQL: bulk update, bulk insert, hard delete
        connection.execute(update(t.Candidate).where(t.Candidate.company_group_id == cg).values(role_id=None))
        connection.execute(
            text(
                "INSERT INTO candidates (company_group_id, first_name, last_name, phone_e164, funnel_state)"
                " VALUES (:cg, 'Raw', 'Insert', '+15555550777', 'screening'),"
                " (:cg, 'Raw', 'Two', '+15555550778', 'lead')"
            ),
            {"cg": cg},
        )
        connection.execute(text("DELETE FROM candidates WHERE id = :id"), {"id": world["c1"]})
    check()
    with factory(cg) as uow:  # a rolled-back change leaves the summary as it was
        uow.candidates.update(uow.candidates.get(world["c4"]).model_copy(update={"funnel_state": S.REJECTED}))
    check()
    other = new_tenant(factory, "globex")
    with factory(other) as uow:
        uow.candidates.add(candidate(other, entered_at=datetime(2024, 1, 1, 23, 59, tzinfo=UTC)))
        uow.commit()
    check()
    with factory() as uow:  # deleting a company group takes its counts with it
        uow.company_groups.delete(cg)
        uow.commit()
    check()
    with Session(engine) as session:
        assert {key[0] for key in _summary(session)} == {str(other)}


def test_the_documented_usage_runs_verbatim_against_the_demo_data(engine: Engine) -> None:
    from hireflow.infra.db.seed import seed_demo

    report = seed_demo(engine, candidates=400, seed=11, now=T0)
    SessionLocal.configure(engine.url.render_as_string(hide_password=False))  # an engine of its own
    total = 0
    try:
        for company_group_id in report.company_group_ids:
            with SessionLocal() as session:
                repo = SqlAlchemyAdminDashboardRepository(session)
                buckets = FunnelService(repo).buckets(company_id=company_group_id)
            with Session(engine) as session:
                live = session.scalar(
                    select(func.count())
                    .select_from(t.Candidate)
                    .where(t.Candidate.company_group_id == company_group_id, t.Candidate.deleted_at.is_(None))
                )
            assert list(buckets) == list(FunnelState)
            assert sum(buckets.values()) == live
            total += live
        assert total == 400
    finally:
        SessionLocal.dispose()
