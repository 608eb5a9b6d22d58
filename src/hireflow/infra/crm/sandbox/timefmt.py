"""Timestamps as the CRMs write and read them: epoch milliseconds, ISO 8601, Salesforce and Lucene forms.

Formatting avoids ``datetime`` and format specs: a page of 2,000 records carries several thousand timestamps,
so dates are cached per day and the time of day is assembled from precomputed digit strings.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from functools import lru_cache

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?$"
)
_LUCENE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(?:(\d{2}))?)?$")


_TWO = tuple(f"{n:02d}" for n in range(100))
_THREE = tuple(f"{n:03d}" for n in range(1000))


@lru_cache(maxsize=16384)
def _day(days: int) -> str:
    """``YYYY-MM-DD`` of a day counted from 1970-01-01; cached, as a page's records share few days."""
    t = time.gmtime(days * 86_400)
    return f"{t.tm_year:04d}-{_TWO[t.tm_mon]}-{_TWO[t.tm_mday]}"


def _parts(ms: int) -> tuple[str, str, int]:
    """The date, ``HH:MM:SS`` and the milliseconds of an epoch-ms instant (negative ones too)."""
    seconds, millis = divmod(ms, 1000)
    days, seconds = divmod(seconds, 86_400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return _day(days), f"{_TWO[hours]}:{_TWO[minutes]}:{_TWO[seconds]}", millis


def iso_z(ms: int) -> str:
    """``2024-05-01T12:00:00.123Z``, as HubSpot writes timestamps."""
    day, clock, millis = _parts(ms)
    return f"{day}T{clock}.{_THREE[millis]}Z"


def salesforce_datetime(ms: int) -> str:
    """``2024-05-01T12:00:00.123+0000``, as Salesforce writes datetimes."""
    day, clock, millis = _parts(ms)
    return f"{day}T{clock}.{_THREE[millis]}+0000"


def iso_date(ms: int) -> str:
    """``2024-05-01``."""
    return _day(ms // 86_400_000)


def parse_iso(text: str) -> int | None:
    """Epoch ms of an ISO 8601 date or datetime (``Z``, ``+0000``, ``+00:00`` or no offset = UTC); None if not."""
    match = _ISO.match(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=UTC
        )
    except ValueError:
        return None
    ms = _epoch_ms(moment) + int((fraction or "0")[:3].ljust(3, "0"))
    if offset and offset != "Z":
        sign = -1 if offset[0] == "+" else 1
        digits = offset[1:].replace(":", "")
        ms += sign * (int(digits[:2]) * 60 + int(digits[2:])) * 60_000
    return ms


def parse_lucene_date(text: str) -> int | None:
    """Epoch ms of Bullhorn's search date ``yyyyMMdd[HHmm[ss]]`` (taken as UTC); None if not one."""
    match = _LUCENE.match(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second = match.groups()
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=UTC
        )
    except ValueError:
        return None
    return _epoch_ms(moment)


def parse_epoch_or_iso(text: str) -> int | None:
    """Epoch ms from either an integer string of milliseconds or an ISO 8601 value (HubSpot accepts both)."""
    stripped = text.strip()
    if stripped.lstrip("-").isdigit():
        return int(stripped)
    return parse_iso(stripped)


def _epoch_ms(moment: datetime) -> int:
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1000
