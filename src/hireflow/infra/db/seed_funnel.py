"""The candidate half of the demo data set: candidates, their funnel journeys, screening answers with response
timing, and eligibility evaluations, generated in batches from one seeded random generator."""

from __future__ import annotations

from bisect import bisect
from datetime import datetime, timedelta
from itertools import accumulate
from random import Random
from typing import Any, NamedTuple

from hireflow.domain.models.funnel import FunnelState as S
from hireflow.infra.db.seed_data import (
    EMAIL_DOMAINS,
    EXCHANGES,
    FIRST_NAMES,
    LAST_NAMES,
    REJECT_REASONS,
    SOURCES,
)
from hireflow.infra.db.seed_data import WITHDRAW_REASONS as WITHDRAWN
from hireflow.infra.db.seed_org import GroupPlan, IdAllocator, Opening
from hireflow.infra.db.seed_screening import Profile, answer_rows, evaluation_row, make_profile

Row = dict[str, Any]
CANDIDATE_TABLES = (
    "candidates",
    "candidate_funnel_log",
    "screening_answers",
    "response_timing",
    "eligibility_evaluation_log",
)
"""The candidate tables, parents first: the order to insert them in."""

ENTRY_WINDOW = timedelta(days=120)
PHONE_SPACE = len(EXCHANGES) * 10_000
"""How many subscriber numbers one area code offers; candidate ids map onto them one to one."""
_PHONE_STEP = 1_000_003  # a prime that does not divide PHONE_SPACE, so id -> number is a bijection
_PHONE_OFFSET = 4_242_421


class Outcome(NamedTuple):
    """A possible next state, its probability, who records the move and the reasons to pick from."""

    to: S
    probability: float
    actor: str = "system"
    reasons: tuple[str | None, ...] = (None,)


class Step(NamedTuple):
    """What can follow a state: outcomes (the rest of the probability means the candidate goes quiet), the delay
    range in hours before it happens, and after how many quiet days the system expires the candidate."""

    outcomes: tuple[Outcome, ...]
    delay_hours: tuple[float, float]
    expires_after_days: int | None = None


# Plausible drop-off for high-volume hourly hiring: about half the leads never finish screening, and most are lost
# to silence (expired) rather than to a decision.
STEPS: dict[S, Step] = {
    S.LEAD: Step((Outcome(S.CONTACTED, 0.94),), (0.02, 6), 14),
    S.CONTACTED: Step(
        (Outcome(S.SCREENING, 0.74), Outcome(S.WITHDRAWN, 0.03, reasons=WITHDRAWN)), (0.1, 48), 14
    ),
    S.SCREENING: Step(
        (Outcome(S.SCREENED, 0.80), Outcome(S.WITHDRAWN, 0.04, reasons=WITHDRAWN)), (0.1, 24), 7
    ),
    S.SCREENED: Step((Outcome(S.ELIGIBLE, 0.70), Outcome(S.INELIGIBLE, 0.30)), (0.001, 0.05)),
    S.ELIGIBLE: Step(
        (Outcome(S.INTERVIEW_SCHEDULED, 0.72, "recruiter"), Outcome(S.WITHDRAWN, 0.05, reasons=WITHDRAWN)),
        (2, 96),
        21,
    ),
    S.INTERVIEW_SCHEDULED: Step(
        (
            Outcome(S.INTERVIEWED, 0.76, "recruiter"),
            Outcome(S.NO_SHOW, 0.17, "recruiter", ("did not attend the interview",)),
            Outcome(S.WITHDRAWN, 0.05, reasons=WITHDRAWN),
        ),
        (20, 170),
        14,
    ),
    S.INTERVIEWED: Step(
        (
            Outcome(S.OFFERED, 0.55, "recruiter"),
            Outcome(S.REJECTED, 0.38, "recruiter", REJECT_REASONS),
            Outcome(S.WITHDRAWN, 0.04, reasons=WITHDRAWN),
        ),
        (4, 120),
        14,
    ),
    S.OFFERED: Step(
        (Outcome(S.HIRED, 0.82, "recruiter"), Outcome(S.WITHDRAWN, 0.12, reasons=("declined the offer",))),
        (12, 96),
        7,
    ),
    S.HIRED: Step(
        (Outcome(S.ONBOARDING, 0.93), Outcome(S.NO_SHOW, 0.05, "recruiter", ("did not show up on day one",))),
        (24, 168),
    ),
    S.ONBOARDING: Step(
        (Outcome(S.ONBOARDED, 0.92), Outcome(S.WITHDRAWN, 0.04, reasons=WITHDRAWN)), (48, 336)
    ),
}
_EXPIRED_REASON = "no activity for {days} days"
_EVALUATED = frozenset({S.ELIGIBLE, S.INELIGIBLE})
# Plain globals: attribute access on an enum class is slow in a loop run millions of times.
_LEAD, _SCREENING, _SCREENED, _INELIGIBLE, _EXPIRED = S.LEAD, S.SCREENING, S.SCREENED, S.INELIGIBLE, S.EXPIRED
_VALUE: dict[S | None, str] = {state: state.value for state in S}


class Move(NamedTuple):
    """One funnel event of a generated journey."""

    from_state: S | None
    to_state: S
    at: datetime
    actor: str
    reason: str | None


class CandidateFactory:
    """Generates candidates batch by batch; the data depend on the seed, ``now`` and the starting ids only."""

    def __init__(self, rng: Random, groups: list[GroupPlan], ids: IdAllocator, now: datetime) -> None:
        self.rng = rng
        self.openings = [(group.openings, list(accumulate(group.weights))) for group in groups]
        self.group_weights = list(accumulate(group.share for group in groups))
        self.source_weights = list(accumulate(weight for _, weight, _ in SOURCES))
        self.ids = ids
        self.now = now
        self.window_seconds = int(ENTRY_WINDOW.total_seconds())

    def batch(self, count: int) -> dict[str, list[Row]]:
        """The rows of ``count`` new candidates, per table."""
        rows: dict[str, list[Row]] = {table: [] for table in CANDIDATE_TABLES}
        candidate_ids = self.ids.counter("candidates")
        for _ in range(count):
            self._candidate(rows, next(candidate_ids))
        return rows

    def _candidate(self, rows: dict[str, list[Row]], candidate_id: int) -> None:
        rng = self.rng
        openings, weights = self.openings[_pick(rng, self.group_weights)]
        opening = openings[_pick(rng, weights)]
        entered = self.now - timedelta(seconds=rng.randrange(self.window_seconds))
        moves = self._journey(entered)
        states = {move.to_state for move in moves}
        profile: Profile | None = None
        if _SCREENING in states:
            evaluated = next((move for move in moves if move.to_state in _EVALUATED), None)
            on = (evaluated or next(move for move in moves if move.to_state is _SCREENING)).at.date()
            profile = make_profile(rng, opening, ineligible=_INELIGIBLE in states, on=on)
            if profile.failed is not None:
                reason = f"does not meet {profile.failed}"
                moves = [m._replace(reason=reason) if m.to_state is _INELIGIBLE else m for m in moves]
            answer_rows(
                rng, self.ids, rows, candidate_id, opening=opening, profile=profile, moves=moves, now=self.now
            )
            if evaluated is not None:
                evaluation_id = self.ids.take("eligibility_evaluation_log")
                rows["eligibility_evaluation_log"].append(
                    evaluation_row(evaluation_id, candidate_id, opening, profile, evaluated.at)
                )
        screened = profile if _SCREENED in states else None
        rows["candidates"].append(self._row(candidate_id, opening, entered, moves, screened))
        self._log(rows["candidate_funnel_log"], candidate_id, opening, moves)

    def _journey(self, entered: datetime) -> list[Move]:
        random, now = self.rng.random, self.now
        moves = [Move(None, _LEAD, entered, "system", None)]
        state, at = _LEAD, entered
        while (step := STEPS.get(state)) is not None:
            low, high = step.delay_hours
            draw = random()
            later = at + timedelta(seconds=60 + int(3600 * (low + (high - low) * random() ** 2)))
            for outcome in step.outcomes:
                if draw < outcome.probability:
                    reasons = outcome.reasons
                    reason = reasons[0] if len(reasons) == 1 else reasons[int(random() * len(reasons))]
                    move = Move(state, outcome.to, later, outcome.actor, reason)
                    break
                draw -= outcome.probability
            else:  # the candidate went quiet
                if step.expires_after_days is None:
                    break
                later = at + timedelta(days=step.expires_after_days)
                move = Move(
                    state, _EXPIRED, later, "system", _EXPIRED_REASON.format(days=step.expires_after_days)
                )
            if later > now:
                break  # it has not happened yet: the candidate is still in ``state``
            moves.append(move)
            state, at = move.to_state, later
        return moves

    def _row(
        self,
        candidate_id: int,
        opening: Opening,
        entered: datetime,
        moves: list[Move],
        profile: Profile | None,
    ) -> Row:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        source, _, details = SOURCES[_pick(rng, self.source_weights)]
        email = None
        if rng.random() < 0.85:
            local = rng.choice(
                (f"{first}.{last}", f"{first[0]}{last}", f"{first}{last[0]}", f"{first}_{last}")
            )
            email = f"{local.lower()}{candidate_id}@{rng.choice(EMAIL_DOMAINS)}"
        last_move = moves[-1]
        site = opening.site
        row = {
            "id": candidate_id, "company_group_id": opening.company_group_id, "first_name": first,
            "last_name": last, "phone_e164": phone_for(candidate_id, site.area_code), "email": email,
            "birth_date": None, "city": site.city, "latitude": None, "longitude": None,
            "business_unit_id": opening.business_unit_id, "location_id": opening.location_id,
            "role_id": opening.role_id, "source": source, "source_detail": rng.choice(details),
            "funnel_state": _VALUE[last_move.to_state], "state_changed_at": last_move.at, "entered_at": entered,
            "education_level": None, "experience_months": None, "languages": [], "shifts_available": [],
            "has_work_authorization": None, "salary_expectation_minor": None,
            "consent_to_contact": rng.random() < 0.92, "merged_into_id": None, "deleted_at": None,
            "created_at": entered, "updated_at": last_move.at,
        }  # fmt: skip
        if profile is not None:  # what the screening bot learnt
            row.update(
                birth_date=profile.birth_date, latitude=profile.latitude, longitude=profile.longitude,
                education_level=profile.education, experience_months=profile.experience_months,
                languages=list(profile.languages), shifts_available=list(profile.shifts),
                has_work_authorization=profile.work_authorized,
                salary_expectation_minor=profile.salary_expectation_minor,
            )  # fmt: skip
        return row

    def _log(self, log: list[Row], candidate_id: int, opening: Opening, moves: list[Move]) -> None:
        log_ids, random = self.ids.counter("candidate_funnel_log"), self.rng.random
        recruiters, group_id = opening.recruiter_ids, opening.company_group_id
        for move in moves:
            recruiter = recruiters[int(random() * len(recruiters))] if move.actor == "recruiter" else None
            log.append({
                "id": next(log_ids), "company_group_id": group_id, "candidate_id": candidate_id,
                "from_state": _VALUE.get(move.from_state), "to_state": _VALUE[move.to_state],
                "occurred_at": move.at, "actor": move.actor, "actor_user_id": recruiter, "reason": move.reason,
                "applied": True, "details": {}, "created_at": move.at, "updated_at": move.at,
            })  # fmt: skip


def _pick(rng: Random, cumulative_weights: list[float] | list[int]) -> int:
    """An index drawn with the given cumulative weights (``random.choices`` without its per-call overhead)."""
    return bisect(cumulative_weights, rng.random() * cumulative_weights[-1], 0, len(cumulative_weights) - 1)


def phone_for(candidate_id: int, area_code: int) -> str:
    """A valid US number in E.164 for a candidate id, unique per area code for ids below :data:`PHONE_SPACE`."""
    number = (candidate_id * _PHONE_STEP + _PHONE_OFFSET) % PHONE_SPACE
    exchange, line = divmod(number, 10_000)
    return f"+1{area_code}{EXCHANGES[exchange]}{line:04d}"
