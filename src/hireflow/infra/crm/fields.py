"""Turning a CRM's field values into Hireflow's, collecting every problem instead of stopping at the first.

Each connector maps its records with a :class:`FieldReader`: it reads values (text, e-mail, phone numbers,
timestamps, money, pick-list values), records what is wrong with each, and finally builds the import record,
adding the model's own validation errors, so a dead letter lists every reason a record was refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from hireflow.domain.models.base import checked_email
from hireflow.domain.models.crm_sync import ImportRecord, SourceRecord
from hireflow.shared.errors import ValidationFailed
from hireflow.shared.ids import normalize_phone

ImportT = TypeVar("ImportT", bound=ImportRecord)

EARLIEST_YEAR = 1900
"""Dates before this year are data-entry errors (or placeholders such as 1800-01-01)."""
LATEST_YEARS_AHEAD = 10
"""Dates more than this many years ahead are errors too (a start date can be in the future, not in 2199)."""
_SKILL_SEPARATORS = re.compile(r"\s*[,;|\n]\s*")
MAX_SKILLS = 100


class FieldReader:
    """Reads the fields of one CRM record and remembers every problem, by Hireflow field name."""

    def __init__(self, record: SourceRecord, *, phone_region: str = "US") -> None:
        self.record = record
        self.phone_region = phone_region
        self.problems: list[dict[str, Any]] = []

    def problem(self, field: str, message: str, value: object = None) -> None:
        entry: dict[str, Any] = {"field": field, "message": message}
        if value is not None:
            entry["input"] = value if isinstance(value, str | int | float | bool) else str(value)
        self.problems.append(entry)

    def text(self, value: object, field: str, *, max_length: int | None = None) -> str | None:
        """Stripped text, None when empty; a problem when it is not text or too long."""
        if value is None:
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(field, f"expected text, got {type(value).__name__}", value)
            return None
        cleaned = str(value).strip()
        if not cleaned:
            return None
        if max_length is not None and len(cleaned) > max_length:
            self.problem(field, f"longer than {max_length} characters", cleaned[:40] + "...")
            return None
        return cleaned

    def required(self, value: object, field: str, *, max_length: int | None = None) -> str | None:
        """Like :meth:`text`, and a problem when missing."""
        cleaned = self.text(value, field, max_length=max_length)
        if cleaned is None and not any(problem["field"] == field for problem in self.problems):
            self.problem(field, "required, but missing or empty")
        return cleaned

    def email(self, value: object, field: str = "email") -> str | None:
        """A syntactically valid e-mail address, lower-cased; a problem when it is not one."""
        raw = self.text(value, field, max_length=320)
        if raw is None:
            return None
        try:
            address = checked_email(raw)
        except (PydanticCustomError, ValueError) as exc:
            self.problem(field, f"not a valid e-mail address: {exc}", raw)
            return None
        return address.lower()

    def phone(
        self,
        candidates: Mapping[str, object],
        field: str = "phone_e164",
        *,
        country: str | None = None,
        required: bool = True,
    ) -> str | None:
        """The first of ``candidates`` (CRM field -> value) that is a valid number, in E.164; a problem naming
        every bad one when none is valid, or (when ``required``) when none is given. A number without
        ``+country`` is read as a number of ``country`` (the record's address), else of the default region."""
        tried: list[str] = []
        for name, value in candidates.items():
            raw = self.text(value, field)
            if raw is None:
                continue
            try:
                return normalize_phone(raw, country or self.phone_region)
            except ValidationFailed as failure:
                tried.append(f"{name} {raw!r}: {failure.detail}")
        if tried:
            self.problem(field, "no valid phone number: " + "; ".join(tried))
        elif required:
            self.problem(field, f"required: none of {', '.join(candidates)} holds a phone number")
        return None

    def epoch_ms(self, value: object, field: str) -> datetime | None:
        """An epoch-milliseconds timestamp as an aware UTC datetime, checked to be plausible."""
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(field, "expected epoch milliseconds", value)
            return None
        try:
            moment = datetime.fromtimestamp(value / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            self.problem(field, "not a representable time", value)
            return None
        return self.plausible(moment, field)

    def iso(self, value: object, field: str) -> datetime | None:
        """An ISO 8601 timestamp (``Z`` or an offset; a bare date means midnight UTC), checked to be plausible."""
        raw = self.text(value, field)
        if raw is None:
            return None
        try:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            self.problem(field, "not an ISO 8601 date or time", raw)
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return self.plausible(moment.astimezone(UTC), field)

    def plausible(self, moment: datetime, field: str) -> datetime | None:
        latest = datetime.now(UTC).year + LATEST_YEARS_AHEAD
        if not EARLIEST_YEAR <= moment.year <= latest:
            self.problem(
                field, f"implausible date {moment.date().isoformat()} (outside {EARLIEST_YEAR}-{latest})"
            )
            return None
        return moment

    def day(self, moment: datetime | None) -> date | None:
        return moment.date() if moment is not None else None

    def money(self, value: object, field: str) -> int | None:
        """An amount in currency units as integer minor units; zero or missing is None."""
        if value is None or value == "":
            return None
        try:
            amount = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            self.problem(field, "expected an amount", value)
            return None
        if not 0 <= amount <= 1e12:  # also refuses NaN
            self.problem(field, "amount out of range", value)
            return None
        return round(amount * 100) or None

    def whole(self, value: object, field: str, *, default: int | None = None) -> int | None:
        if value is None or value == "":
            return default
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            self.problem(field, "expected a whole number", value)
            return default
        if not number.is_integer():
            self.problem(field, "expected a whole number", value)
            return default
        return int(number)

    def choice(self, value: object, field: str, mapping: Mapping[str, Any], *, required: bool = True) -> Any:
        """``mapping[value]`` for a known pick-list value; a problem listing the known ones otherwise."""
        raw = self.text(value, field)
        if raw is None:
            if required:
                self.problem(field, "required, but missing or empty")
            return None
        if raw not in mapping:
            known = ", ".join(sorted(mapping))
            self.problem(field, f"unknown value {raw!r}; known values: {known}", raw)
            return None
        return mapping[raw]

    def build(self, kind: type[ImportT], values: Mapping[str, Any]) -> ImportT:
        """The import record, or ValidationFailed with every problem found (the model's own included)."""
        data = {
            **{key: value for key, value in values.items() if value is not None},
            "external_id": self.record.external_id,
            "modified_at": self.record.modified_at,
        }
        reported = {problem["field"] for problem in self.problems}
        try:
            built = kind.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                field = ".".join(str(part) for part in error["loc"])
                if field not in reported:  # a field already refused above is missing here: say it once
                    self.problem(field, error["msg"])
            built = None
        if self.problems or built is None:
            fields = ", ".join(sorted({problem["field"] for problem in self.problems}))
            raise ValidationFailed(f"record {self.record.external_id} is not valid: {fields}", self.problems)
        return built


def skills(value: object) -> list[str]:
    """A skills list from a list or a comma/semicolon/pipe-separated text; trimmed, de-duplicated, in order."""
    if value is None:
        return []
    parts = value if isinstance(value, list) else _SKILL_SEPARATORS.split(str(value))
    seen: dict[str, str] = {}
    for part in parts:
        cleaned = str(part).strip()
        if cleaned and cleaned.lower() not in seen and len(cleaned) <= 100:
            seen[cleaned.lower()] = cleaned
    return list(seen.values())[:MAX_SKILLS]


def country_code(value: object) -> str | None:
    """An ISO 3166-1 alpha-2 code when ``value`` is one (any case), else None."""
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z]{2}", value.strip()):
        return value.strip().upper()
    return None
