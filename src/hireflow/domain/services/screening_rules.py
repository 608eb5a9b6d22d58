"""Rules shared by question definitions and answers: the ``validation`` dict of each question kind, date bounds
relative to today, text normalisation for matching choices, and a collector of validation problems."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeGuard

from pydantic import ValidationError

from hireflow.domain.models.candidates import MediaKind
from hireflow.domain.models.screening import QuestionKind
from hireflow.shared.errors import ValidationFailed

CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})

# The keys a question's ``validation`` dict may hold, by kind; any other key is a typo worth reporting.
ALLOWED_RULES: Mapping[QuestionKind, frozenset[str]] = {
    QuestionKind.NUMBER: frozenset({"min", "max", "integer"}),
    QuestionKind.DATE: frozenset({"min", "max", "day_first"}),
    QuestionKind.FREE_TEXT: frozenset({"max_length"}),
    QuestionKind.DOCUMENT: frozenset({"accepted_kinds"}),
}

_RELATIVE = re.compile(r"^today(?:\s*([+-])\s*(\d+)\s*([dwmy]))?$")


@dataclass
class Problems:
    """Collects every validation problem before raising, so one ValidationFailed lists them all."""

    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, field_name: str, message: str, **extra: Any) -> None:
        """Record that ``field_name`` breaks a rule, described by ``message``."""
        self.items.append({"field": field_name, "message": message, **extra})

    def add_pydantic(self, error: ValidationError, prefix: str = "") -> None:
        """Record each error of a pydantic validation, its field path under ``prefix``."""
        for item in error.errors():
            path = ".".join(str(part) for part in item["loc"])
            self.add(f"{prefix}{path}" if path else prefix.rstrip("."), item["msg"])

    def raise_if_any(self, what: str) -> None:
        """Raise ValidationFailed naming every problem collected, if there is one."""
        if not self.items:
            return
        listed = "; ".join(f"{item['field']}: {item['message']}" for item in self.items)
        count = len(self.items)
        noun = "problem" if count == 1 else "problems"
        raise ValidationFailed(f"{what} has {count} {noun}: {listed}", self.items)


def normalise(text: str) -> str:
    """Text reduced for matching: accents dropped, case folded, ``_``/``-`` as spaces, edges trimmed."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    plain = re.sub(r"[_\-\s]+", " ", plain)
    return plain.strip(" .!?¡¿\"'")


def resolve_date_bound(bound: object, today: date) -> date | None:
    """A date bound: an ISO date, or ``today`` with an optional offset (``today-18y``, ``today+30d``,
    ``today-6m``, ``today+2w``); None when it is neither."""
    if isinstance(bound, date):
        return bound
    if not isinstance(bound, str):
        return None
    match = _RELATIVE.match(bound.strip().lower())
    if match is None:
        try:
            return date.fromisoformat(bound.strip())
        except ValueError:
            return None
    sign, amount, unit = match.groups()
    if sign is None:
        return today
    count = int(amount) if sign == "+" else -int(amount)
    return _shift(today, count, unit)


def _shift(day: date, count: int, unit: str) -> date:
    if unit == "d":
        return day + timedelta(days=count)
    if unit == "w":
        return day + timedelta(weeks=count)
    months = day.year * 12 + day.month - 1 + (count * 12 if unit == "y" else count)
    year, month = divmod(months, 12)
    for day_of_month in range(day.day, 0, -1):  # 29 February becomes 28 February in other years
        try:
            return date(year, month + 1, day_of_month)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th day")  # pragma: no cover


def is_number(value: object) -> TypeGuard[int | float]:
    """True for int and float values (bool, an int subclass, is not a number here)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_rules(kind: QuestionKind, rules: Mapping[str, Any], field_name: str, problems: Problems) -> None:
    """Check a question's ``validation`` dict for its kind, recording every problem under ``field_name``."""
    allowed = ALLOWED_RULES.get(kind, frozenset())
    for key in sorted(set(rules) - allowed):
        hint = ", ".join(sorted(allowed)) or "none"
        problems.add(f"{field_name}.{key}", f"not a rule of {kind.value} questions (allowed: {hint})")
    checker = _CHECKERS.get(kind)
    if checker is not None:
        checker(rules, field_name, problems)


def _check_number(rules: Mapping[str, Any], field_name: str, problems: Problems) -> None:
    for key in ("min", "max"):
        if key in rules and not is_number(rules[key]):
            problems.add(f"{field_name}.{key}", f"must be a number, not {rules[key]!r}")
    if "integer" in rules and not isinstance(rules["integer"], bool):
        problems.add(f"{field_name}.integer", "must be true or false")
    low, high = rules.get("min"), rules.get("max")
    if is_number(low) and is_number(high) and low > high:
        problems.add(f"{field_name}.min", f"min {low} is greater than max {high}")


def _check_date(rules: Mapping[str, Any], field_name: str, problems: Problems) -> None:
    reference = date(2000, 1, 1)  # any day: only the shape of relative bounds is checked here
    resolved = {}
    for key in ("min", "max"):
        if key not in rules:
            continue
        resolved[key] = resolve_date_bound(rules[key], reference)
        if resolved[key] is None:
            problems.add(
                f"{field_name}.{key}",
                f"{rules[key]!r} is neither an ISO date (2000-01-31) nor 'today' with an offset (today-18y)",
            )
    if "day_first" in rules and not isinstance(rules["day_first"], bool):
        problems.add(f"{field_name}.day_first", "must be true or false")
    low, high = resolved.get("min"), resolved.get("max")
    # A relative bound against an absolute one is only ordered on some days: compare like with like.
    comparable = _is_relative(rules.get("min")) == _is_relative(rules.get("max"))
    if low is not None and high is not None and comparable and low > high:
        problems.add(f"{field_name}.min", f"min {rules['min']!r} is after max {rules['max']!r}")


def _is_relative(bound: object) -> bool:
    return isinstance(bound, str) and bound.strip().lower().startswith("today")


def _check_free_text(rules: Mapping[str, Any], field_name: str, problems: Problems) -> None:
    limit = rules.get("max_length")
    if "max_length" in rules and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        problems.add(f"{field_name}.max_length", f"must be a whole number of at least 1, not {limit!r}")


def _check_document(rules: Mapping[str, Any], field_name: str, problems: Problems) -> None:
    if "accepted_kinds" not in rules:
        return
    kinds = rules["accepted_kinds"]
    known = {kind.value for kind in MediaKind}
    if not isinstance(kinds, list) or not kinds:
        problems.add(f"{field_name}.accepted_kinds", "must be a non-empty list of media kinds")
        return
    unknown = [kind for kind in kinds if kind not in known]
    if unknown:
        problems.add(
            f"{field_name}.accepted_kinds",
            f"unknown media kinds {unknown}; known: {', '.join(sorted(known))}",
        )


_CHECKERS = {
    QuestionKind.NUMBER: _check_number,
    QuestionKind.DATE: _check_date,
    QuestionKind.FREE_TEXT: _check_free_text,
    QuestionKind.DOCUMENT: _check_document,
}


def check_options(kind: QuestionKind, options: Sequence[str], field_name: str, problems: Problems) -> None:
    """Choice kinds need at least two distinct options; other kinds take none."""
    if kind not in CHOICE_KINDS:
        if options:
            problems.add(field_name, f"{kind.value} questions take no options")
        return
    seen: dict[str, str] = {}
    for option in options:
        key = normalise(option)
        if not key:
            problems.add(field_name, f"option {option!r} is empty")
        elif key in seen:
            problems.add(field_name, f"options {seen[key]!r} and {option!r} are the same choice")
        else:
            seen[key] = option
    if len(seen) < 2:
        problems.add(field_name, f"{kind.value} questions need at least 2 distinct options")
