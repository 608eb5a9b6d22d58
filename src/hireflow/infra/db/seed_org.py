"""The organisation half of the demo data set: company groups, staff, units, sites, roles, objectives, question
sets and message templates, as rows with explicit ids, plus the plan the candidate generator draws from."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import count
from random import Random
from typing import Any

from pydantic import BaseModel

from hireflow.domain.models import identity, messaging, org, screening
from hireflow.domain.models.org import EligibilityCriteria
from hireflow.infra.db.seed_data import (
    CLOSING_QUESTIONS,
    COMMON_QUESTIONS,
    GROUPS,
    QUESTIONS,
    TEMPLATES,
    GroupSpec,
    RoleSpec,
    Site,
    UnitSpec,
)

Row = dict[str, Any]
ORG_TABLES = (
    "company_groups",
    "users",
    "memberships",
    "business_units",
    "locations",
    "roles",
    "hiring_objectives",
    "question_sets",
    "screening_questions",
    "message_templates",
)
"""The organisation tables, parents first: the order to insert them in."""


class IdAllocator:
    """Hands out explicit ids per table, continuing after the largest id already stored."""

    def __init__(self, last_ids: Mapping[str, int]) -> None:
        self._counters = {table: count(last + 1) for table, last in last_ids.items()}

    def counter(self, table: str) -> Iterator[int]:
        """The ids of ``table`` still to hand out; ``next()`` on it is the fastest way to take one."""
        return self._counters.setdefault(table, count(1))

    def take(self, table: str) -> int:
        """The next id of ``table``."""
        return next(self.counter(table))


@dataclass(frozen=True, slots=True)
class QuestionRef:
    """A stored screening question, as the candidate generator needs it."""

    id: int
    key: str
    kind: str
    options: tuple[str, ...]
    required: bool


@dataclass(frozen=True, slots=True)
class Opening:
    """A role hired for at a site (one hiring objective): what a candidate applies to."""

    company_group_id: int
    business_unit_id: int
    role_id: int
    location_id: int
    site: Site
    pay_min_minor: int
    pay_max_minor: int
    criteria: EligibilityCriteria
    criteria_json: dict[str, Any]
    questions: tuple[QuestionRef, ...]
    recruiter_ids: tuple[int, ...]


@dataclass(frozen=True)
class GroupPlan:
    """A seeded company group, with its openings weighted by how many hires each objective asks for."""

    id: int
    slug: str
    share: float
    openings: tuple[Opening, ...]
    weights: tuple[int, ...]


@dataclass
class OrgSeed:
    """The organisation rows per table (in :data:`ORG_TABLES` order) and the plans of the new groups."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: {table: [] for table in ORG_TABLES})
    groups: list[GroupPlan] = field(default_factory=list)


def build_org(
    rng: Random, ids: IdAllocator, now: datetime, *, taken_slugs: set[str], taken_emails: set[str]
) -> OrgSeed:
    """Every organisation row of a new demo data set; slugs and staff emails avoid the ``taken`` ones."""
    builder = _OrgBuilder(rng, ids, now)
    for spec in GROUPS:
        builder.add_group(spec, taken_slugs, taken_emails)
    return builder.seed


def _email(full_name: str, slug: str) -> str:
    return f"{full_name.lower().replace(' ', '.')}@{slug}.example.com"


class _OrgBuilder:
    def __init__(self, rng: Random, ids: IdAllocator, now: datetime) -> None:
        self.rng, self.ids, self.now = rng, ids, now
        self.created = now - timedelta(days=150)
        self.seed = OrgSeed()

    def _add(self, table: str, model: type[BaseModel], row: Row) -> int:
        # Validate through the domain model: demo data must be data the application accepts.
        model.model_validate(row)
        self.seed.rows[table].append(row)
        return int(row["id"])

    def add_group(self, spec: GroupSpec, taken_slugs: set[str], taken_emails: set[str]) -> None:
        group_id = self.ids.take("company_groups")
        # An --append run must not clash: then the slug (and so the staff emails) carries the new group's id.
        clashes = spec.slug in taken_slugs or any(
            _email(name, spec.slug) in taken_emails for name, _ in spec.staff
        )
        slug = f"{spec.slug}-{group_id}" if clashes else spec.slug
        self._add("company_groups", org.CompanyGroup, {
            "id": group_id, "name": spec.name, "slug": slug, "default_phone_region": "US",
            "timezone": spec.timezone, "is_active": True, "created_at": self.created, "updated_at": self.created,
        })  # fmt: skip
        recruiters = self._add_staff(spec, group_id, slug)
        openings: list[tuple[Opening, int]] = []
        stamp = {"company_group_id": group_id, "created_at": self.created, "updated_at": self.created}
        for unit in spec.units:
            openings.extend(self._add_unit(unit, stamp, recruiters))
        self._add_templates(group_id, slug)
        plan = GroupPlan(
            group_id, slug, spec.share, tuple(o for o, _ in openings), tuple(w for _, w in openings)
        )
        self.seed.groups.append(plan)

    def _add_staff(self, spec: GroupSpec, group_id: int, slug: str) -> tuple[int, ...]:
        """Users and their memberships; returns the ids of those who move candidates (recruiters, admins)."""
        recruiters = []
        for full_name, role in spec.staff:
            joined = self.now - timedelta(days=self.rng.randint(100, 149))
            last_login = self.now - timedelta(minutes=self.rng.randint(30, 60 * 24 * 10))
            user_id = self._add("users", identity.User, {
                "id": self.ids.take("users"), "email": _email(full_name, slug), "full_name": full_name,
                "password_hash": None, "is_active": True, "is_superadmin": False, "last_login_at": last_login,
                "failed_login_count": 0, "locked_until": None, "created_at": joined, "updated_at": last_login,
            })  # fmt: skip
            self._add("memberships", identity.Membership, {
                "id": self.ids.take("memberships"), "company_group_id": group_id, "user_id": user_id,
                "role": role, "created_at": joined, "updated_at": joined,
            })  # fmt: skip
            if role in {"recruiter", "admin"}:
                recruiters.append(user_id)
        return tuple(recruiters)

    def _add_unit(self, unit: UnitSpec, stamp: Row, recruiters: tuple[int, ...]) -> list[tuple[Opening, int]]:
        unit_id = self._add("business_units", org.BusinessUnit, {
            "id": self.ids.take("business_units"), "name": unit.name, "code": unit.code,
            "description": unit.description, "is_active": True, **stamp,
        })  # fmt: skip
        location_ids = []
        for site in unit.sites:
            location_ids.append(self._add("locations", org.Location, {
                "id": self.ids.take("locations"), "business_unit_id": unit_id, "name": site.name,
                "address_line": site.address, "city": site.city, "region": site.region,
                "postal_code": site.postal_code, "country_code": "US", "latitude": site.latitude,
                "longitude": site.longitude, "timezone": site.timezone, "is_active": True, **stamp,
            }))  # fmt: skip
        openings = []
        for spec in unit.roles:
            role_id, criteria, questions = self._add_role(spec, unit_id, stamp)
            for site, location_id in zip(unit.sites, location_ids, strict=True):
                amount = self._add_objective(role_id, location_id, unit_id, stamp)
                opening = Opening(
                    stamp["company_group_id"], unit_id, role_id, location_id, site, spec.pay_min_minor,
                    spec.pay_max_minor, criteria, criteria.model_dump(mode="json"), questions, recruiters,
                )  # fmt: skip
                openings.append((opening, amount))
        return openings

    def _add_role(
        self, spec: RoleSpec, unit_id: int, stamp: Row
    ) -> tuple[int, EligibilityCriteria, tuple[QuestionRef, ...]]:
        # Criteria go through their domain model, so the stored JSON is exactly what the domain reads back.
        criteria = EligibilityCriteria.model_validate(spec.criteria)
        role_id = self._add("roles", org.Role, {
            "id": self.ids.take("roles"), "business_unit_id": unit_id, "title": spec.title,
            "description": spec.description, "employment_type": spec.employment_type,
            "pay_min_minor": spec.pay_min_minor, "pay_max_minor": spec.pay_max_minor, "pay_currency": "USD",
            "pay_period": "hour", "eligibility_criteria": criteria.model_dump(mode="json"), "is_active": True,
            **stamp,
        })  # fmt: skip
        set_id = self._add("question_sets", screening.QuestionSet, {
            "id": self.ids.take("question_sets"), "role_id": role_id, "name": f"{spec.title} screening",
            # en-US: the seeded date answers are written month first (MM/DD/YYYY), as US candidates write them.
            "version": 1, "language": "en-US", "is_active": True, **stamp,
        })  # fmt: skip
        refs = []
        for position, key in enumerate((*COMMON_QUESTIONS, *spec.questions, *CLOSING_QUESTIONS)):
            question = QUESTIONS[key]
            question_id = self._add("screening_questions", screening.ScreeningQuestion, {
                "id": self.ids.take("screening_questions"), "question_set_id": set_id, "position": position,
                "key": key, "kind": question.kind, "prompt": question.prompt, "help_text": question.help_text,
                "options": list(question.options), "validation": dict(question.validation),
                "is_required": question.required, **stamp,
            })  # fmt: skip
            refs.append(QuestionRef(question_id, key, question.kind, question.options, question.required))
        return role_id, criteria, tuple(refs)

    def _add_objective(self, role_id: int, location_id: int, unit_id: int, stamp: Row) -> int:
        rng, today = self.rng, self.now.date()
        amount = rng.choice((2, 3, 5, 5, 8, 10, 12, 15, 20, 25, 30, 40))
        start = today - timedelta(days=rng.randint(20, 130))
        deadline = start + timedelta(days=rng.choice((30, 45, 60, 90, 120)))
        self._add("hiring_objectives", org.HiringObjective, {
            "id": self.ids.take("hiring_objectives"), "role_id": role_id, "location_id": location_id,
            "business_unit_id": unit_id, "objective_amount": amount, "start_date": start, "deadline": deadline,
            "status": "open" if deadline >= today else rng.choice(("met", "met", "closed")),
            "notes": rng.choice((None, None, "Peak season ramp-up", "Backfill for attrition", "New site opening")),
            **stamp,
        })  # fmt: skip
        return amount

    def _add_templates(self, group_id: int, slug: str) -> None:
        for name, channel, category, subject, body in TEMPLATES:
            self._add("message_templates", messaging.MessageTemplate, {
                "id": self.ids.take("message_templates"), "company_group_id": group_id, "name": name,
                "channel": channel, "language": "en", "category": category, "subject": subject, "body": body,
                "variables": sorted(set(re.findall(r"{{(\w+)}}", body + (subject or "")))),
                # WhatsApp templates need the provider's approval; SMS ones are still drafts in the demo.
                "provider_template_id": f"{slug}_{name}_v1" if channel == "whatsapp" else None,
                "status": "draft" if channel == "sms" else "approved",
                "created_at": self.created, "updated_at": self.created,
            })  # fmt: skip
