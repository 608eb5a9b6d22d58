"""Answer validation by question kind: what a candidate sent (a WhatsApp text, a button's value, a shared
location, a document) becomes the typed value stored, or a clear message saying what was expected.

``parse_answer`` is pure: the caller hands it the date answers are judged on and the candidate's media.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from hireflow.domain.models.candidates import CandidateMedia
from hireflow.domain.models.screening import QuestionKind, ScreeningQuestion
from hireflow.domain.services.screening_rules import Problems, is_number, normalise, resolve_date_bound

YES = frozenset({"yes", "y", "si", "true"})  # compared after normalise(): "Sí" and "YES!" match too
NO = frozenset({"no", "n", "false"})


class InvalidAnswer(ValueError):
    """An answer that does not fit its question; the message says what was expected."""


@dataclass(frozen=True)
class AnswerContext:
    """What judging an answer depends on besides the question: the day it arrived (for date bounds such as
    ``today-18y``), the question set's language (``en-US`` reads dates month first) and the candidate's media."""

    today: date
    language: str = "en"
    media: Sequence[CandidateMedia] = field(default_factory=tuple)


def parse_answer(question: ScreeningQuestion, raw: object, context: AnswerContext) -> Any:
    """The typed value of ``raw`` for ``question``; raises ValidationFailed (field ``answer``) when invalid."""
    try:
        return _PARSERS[question.kind](question, raw, context)
    except InvalidAnswer as error:
        problems = Problems()
        problems.add("answer", str(error), key=question.key, question_id=question.id, input=_shown(raw))
        problems.raise_if_any(f"the answer to {question.key!r}")
    raise AssertionError("unreachable")  # pragma: no cover


def _shown(raw: object) -> object:
    """The input as it can be echoed back in an error (JSON-friendly)."""
    if raw is None or isinstance(raw, str | int | float | bool | list | dict):
        return raw
    return repr(raw)


def _yes_no(_: ScreeningQuestion, raw: object, __: AnswerContext) -> bool:
    if isinstance(raw, bool):
        return raw
    text = normalise(raw) if isinstance(raw, str) else None
    if text in YES:
        return True
    if text in NO:
        return False
    raise InvalidAnswer(f"answer yes or no, not {raw!r}")


def _option_index(options: Sequence[str], raw: object) -> int | None:
    """The index of the option ``raw`` names by its text (any case or accent) or by its 1-based number."""
    if isinstance(raw, bool):
        return None
    wanted = normalise(str(raw)) if isinstance(raw, str | int) else None
    if wanted is None:
        return None
    for index, option in enumerate(options):
        if normalise(option) == wanted:
            return index
    if wanted.isdigit() and 1 <= int(wanted) <= len(options):
        return int(wanted) - 1
    return None


def _choices_hint(options: Sequence[str]) -> str:
    return f"{', '.join(options)} (or their numbers 1-{len(options)})"


def _single_choice(question: ScreeningQuestion, raw: object, _: AnswerContext) -> str:
    index = _option_index(question.options, raw)
    if index is None:
        raise InvalidAnswer(f"{raw!r} is not one of the choices: {_choices_hint(question.options)}")
    return question.options[index]


def _multiple_choice(question: ScreeningQuestion, raw: object, _: AnswerContext) -> list[str]:
    if isinstance(raw, str):
        items: list[object] = [part.strip() for part in re.split(r"[,;\n]+", raw) if part.strip()]
    elif isinstance(raw, list | tuple):
        items = list(raw)
    else:
        raise InvalidAnswer(
            f"send one or more of the choices, separated by commas: {_choices_hint(question.options)}"
        )
    picked: set[int] = set()
    unknown = []
    for item in items:
        index = _option_index(question.options, item.strip() if isinstance(item, str) else item)
        if index is None:
            unknown.append(item)
        else:
            picked.add(index)
    if unknown:
        raise InvalidAnswer(
            f"not among the choices: {', '.join(map(repr, unknown))}; choose from {_choices_hint(question.options)}"
        )
    if not picked:
        raise InvalidAnswer(f"choose at least one of: {_choices_hint(question.options)}")
    return [question.options[index] for index in sorted(picked)]  # the set's order, each option once


_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(([.,])\d{3})(\2\d{3})+$")


def to_number(text: str) -> float | None:
    """A number written as people do: ``12``, ``-3.5``, ``3,5`` (comma decimal), ``1.234,5``, ``1,234.5``,
    ``1.000.000``; None when the text is not one number."""
    compact = re.sub(r"[\s\u00a0']", "", text)
    if _GROUPED.match(compact):
        compact = compact.replace(",", "").replace(".", "")
    elif "," in compact and "." in compact:
        decimal = "," if compact.rfind(",") > compact.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        compact = compact.replace(thousands, "").replace(decimal, ".")
    elif compact.count(",") == 1:
        compact = compact.replace(",", ".")
    return float(compact) if _PLAIN_NUMBER.match(compact) else None


def _number(question: ScreeningQuestion, raw: object, _: AnswerContext) -> int | float:
    value = _real(raw)
    if isinstance(raw, str):
        value = to_number(raw)
    if value is None or not math.isfinite(value):
        raise InvalidAnswer(f"send a number, like 12 or 3.5, not {raw!r}")
    rules = question.validation
    if rules.get("integer") and not value.is_integer():
        raise InvalidAnswer(f"send a whole number, not {raw!r}")
    low, high = rules.get("min"), rules.get("max")
    if is_number(low) and value < low:
        raise InvalidAnswer(f"{_plain(value)} is less than the minimum {low}")
    if is_number(high) and value > high:
        raise InvalidAnswer(f"{_plain(value)} is more than the maximum {high}")
    return int(value) if value.is_integer() else value


def _plain(value: float) -> int | float:
    return int(value) if value.is_integer() else value


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def to_date(text: str, *, day_first: bool) -> date | None:
    """A date from ISO (``2024-05-31``) or ``DD/MM/YYYY`` (``MM/DD/YYYY`` when not ``day_first``; ``-`` and ``.``
    separate too). When the preferred order cannot be a date but the other can (``31/05/2024`` in en-US), the
    other is taken: that reading is the only possible one. None when it is not a date."""
    text = text.strip()
    iso = _ISO.match(text)
    if iso:
        return _date(int(iso[1]), int(iso[2]), int(iso[3]))
    numeric = _NUMERIC_DATE.match(text)
    if numeric is None:
        return None
    first, second, year = int(numeric[1]), int(numeric[2]), int(numeric[3])
    preferred = (first, second) if day_first else (second, first)
    return _date(year, preferred[1], preferred[0]) or _date(year, preferred[0], preferred[1])


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _date_answer(question: ScreeningQuestion, raw: object, context: AnswerContext) -> str:
    rules = question.validation
    day_first = rules.get("day_first", context.language != "en-US")
    pattern = "DD/MM/YYYY" if day_first else "MM/DD/YYYY"
    value: date | None
    if isinstance(raw, datetime):
        value = raw.date()
    elif isinstance(raw, date):
        value = raw
    else:
        value = to_date(raw, day_first=bool(day_first)) if isinstance(raw, str) else None
    if value is None:
        raise InvalidAnswer(f"send a date as {pattern} or YYYY-MM-DD, not {raw!r}")
    low = resolve_date_bound(rules.get("min"), context.today)
    high = resolve_date_bound(rules.get("max"), context.today)
    if low is not None and value < low:
        raise InvalidAnswer(f"{value.isoformat()} is before the earliest allowed date {low.isoformat()}")
    if high is not None and value > high:
        raise InvalidAnswer(f"{value.isoformat()} is after the latest allowed date {high.isoformat()}")
    return value.isoformat()


def _free_text(question: ScreeningQuestion, raw: object, _: AnswerContext) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidAnswer("send some text; the answer is empty")
    text = raw.strip()
    limit = question.validation.get("max_length")
    if isinstance(limit, int) and len(text) > limit:
        raise InvalidAnswer(f"the answer has {len(text)} characters; the maximum is {limit}")
    return text


_LAT_KEYS, _LON_KEYS = ("latitude", "lat"), ("longitude", "lon", "lng")


def _real(value: object) -> float | None:
    """An int or float as a float; None for anything else (bool included)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _coordinate(value: object) -> float | None:
    if (number := _real(value)) is not None:
        return number
    if isinstance(value, str) and _PLAIN_NUMBER.match(value.strip()):
        return float(value)
    return None


def _location(_: ScreeningQuestion, raw: object, __: AnswerContext) -> dict[str, float]:
    pair: tuple[object, object] | None = None
    if isinstance(raw, Mapping):
        lat = next((raw[k] for k in _LAT_KEYS if k in raw), None)
        lon = next((raw[k] for k in _LON_KEYS if k in raw), None)
        pair = (lat, lon)
    elif isinstance(raw, str) and raw.count(",") == 1:
        left, right = raw.split(",")
        pair = (left, right)
    lat_value, lon_value = (_coordinate(pair[0]), _coordinate(pair[1])) if pair else (None, None)
    if lat_value is None or lon_value is None:
        raise InvalidAnswer(
            f"share a location, or send 'latitude,longitude' like 40.4168,-3.7038; not {raw!r}"
        )
    if not -90 <= lat_value <= 90:
        raise InvalidAnswer(f"latitude {lat_value} is outside -90..90")
    if not -180 <= lon_value <= 180:
        raise InvalidAnswer(f"longitude {lon_value} is outside -180..180")
    return {"latitude": lat_value, "longitude": lon_value}


def _document(question: ScreeningQuestion, raw: object, context: AnswerContext) -> dict[str, Any]:
    media = _find_media(raw, context.media)
    accepted = question.validation.get("accepted_kinds")
    if accepted and media.kind.value not in accepted:
        raise InvalidAnswer(f"a {media.kind.value} was sent; this question accepts {', '.join(accepted)}")
    return {"media_id": media.id, "kind": media.kind.value, "storage_key": media.storage_key}


def _find_media(raw: object, media: Sequence[CandidateMedia]) -> CandidateMedia:
    """The candidate's file ``raw`` refers to: ``{"media_id": N}``, ``{"storage_key": "..."}`` or a key."""
    media_id = raw.get("media_id") if isinstance(raw, Mapping) else None
    key = raw.get("storage_key") if isinstance(raw, Mapping) else raw if isinstance(raw, str) else None
    if media_id is None and key is None:
        raise InvalidAnswer(f"send a document: {{'media_id': N}} or a storage key, not {raw!r}")
    for item in media:
        if (media_id is not None and item.id == media_id) or (key is not None and item.storage_key == key):
            return item
    wanted = f"media {media_id}" if media_id is not None else f"storage key {key!r}"
    raise InvalidAnswer(f"{wanted} is not a file of this candidate; upload it first")


_PARSERS: dict[QuestionKind, Callable[[ScreeningQuestion, object, AnswerContext], Any]] = {
    QuestionKind.YES_NO: _yes_no,
    QuestionKind.SINGLE_CHOICE: _single_choice,
    QuestionKind.MULTIPLE_CHOICE: _multiple_choice,
    QuestionKind.NUMBER: _number,
    QuestionKind.DATE: _date_answer,
    QuestionKind.FREE_TEXT: _free_text,
    QuestionKind.LOCATION: _location,
    QuestionKind.DOCUMENT: _document,
}
