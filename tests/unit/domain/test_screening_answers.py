"""Answer validation by question kind: good input becomes the typed value, bad input a clear ValidationFailed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hireflow.domain.models.candidates import CandidateMedia, MediaKind
from hireflow.domain.models.screening import QuestionKind, ScreeningQuestion
from hireflow.domain.services.screening_answers import AnswerContext, parse_answer, to_date, to_number
from hireflow.shared.errors import ValidationFailed

K = QuestionKind
TODAY = date(2024, 5, 6)
MEDIA = (
    CandidateMedia(
        id=7, company_group_id=1, candidate_id=3, kind=MediaKind.ID_DOCUMENT,
        storage_key="cg1/c3/id.jpg", content_type="image/jpeg", size_bytes=1000,
    ),
    CandidateMedia(
        id=8, company_group_id=1, candidate_id=3, kind=MediaKind.PHOTO,
        storage_key="cg1/c3/me.jpg", content_type="image/jpeg", size_bytes=900,
    ),
)  # fmt: skip
ID_DOC = {"media_id": 7, "kind": "id_document", "storage_key": "cg1/c3/id.jpg"}


def question(kind: QuestionKind, options: list[str] | None = None, **validation: Any) -> ScreeningQuestion:
    return ScreeningQuestion(
        id=11,
        company_group_id=1,
        question_set_id=2,
        position=0,
        key=f"q_{kind.value}",
        kind=kind,
        prompt="?",
        options=options or [],
        validation=validation,
    )


CHOICES = ["Morning", "Afternoon shift", "Night"]
QUESTIONS = {
    K.YES_NO: question(K.YES_NO),
    K.SINGLE_CHOICE: question(K.SINGLE_CHOICE, CHOICES),
    K.MULTIPLE_CHOICE: question(K.MULTIPLE_CHOICE, CHOICES),
    K.NUMBER: question(K.NUMBER, min=0, max=600),
    K.DATE: question(K.DATE, min="1940-01-01", max="today-18y"),
    K.FREE_TEXT: question(K.FREE_TEXT, max_length=10),
    K.LOCATION: question(K.LOCATION),
    K.DOCUMENT: question(K.DOCUMENT, accepted_kinds=["id_document"]),
}

GOOD: list[tuple[QuestionKind, object, object]] = [
    (K.YES_NO, True, True),
    (K.YES_NO, False, False),
    (K.YES_NO, "Yes", True),
    (K.YES_NO, " y ", True),
    (K.YES_NO, "Sí", True),
    (K.YES_NO, "SI!", True),
    (K.YES_NO, "true", True),
    (K.YES_NO, "No.", False),
    (K.YES_NO, "n", False),
    (K.YES_NO, "FALSE", False),
    (K.SINGLE_CHOICE, "night", "Night"),
    (K.SINGLE_CHOICE, "afternoon_shift", "Afternoon shift"),
    (K.SINGLE_CHOICE, "  MORNING ", "Morning"),
    (K.SINGLE_CHOICE, "2", "Afternoon shift"),
    (K.SINGLE_CHOICE, 3, "Night"),
    (K.MULTIPLE_CHOICE, "night, morning", ["Morning", "Night"]),
    (K.MULTIPLE_CHOICE, "1,3", ["Morning", "Night"]),
    (K.MULTIPLE_CHOICE, ["Night", "night", 1], ["Morning", "Night"]),
    (K.MULTIPLE_CHOICE, "Afternoon shift", ["Afternoon shift"]),
    (K.NUMBER, 12, 12),
    (K.NUMBER, 2.5, 2.5),
    (K.NUMBER, "24", 24),
    (K.NUMBER, " 3,5 ", 3.5),
    (K.NUMBER, "3.0", 3),
    (K.NUMBER, "0", 0),
    (K.NUMBER, "600", 600),
    (K.DATE, "1998-02-14", "1998-02-14"),
    (K.DATE, "14/02/1998", "1998-02-14"),
    (K.DATE, "14-02-1998", "1998-02-14"),
    (K.DATE, "01.02.1998", "1998-02-01"),
    (K.DATE, date(1998, 2, 14), "1998-02-14"),
    (K.DATE, "2006-05-06", "2006-05-06"),  # exactly 18 today
    (K.FREE_TEXT, "  Hola  ", "Hola"),
    (K.FREE_TEXT, "0123456789", "0123456789"),
    (K.LOCATION, {"latitude": 40.4, "longitude": -3.7}, {"latitude": 40.4, "longitude": -3.7}),
    (K.LOCATION, {"lat": "40.4", "lng": "-3.7"}, {"latitude": 40.4, "longitude": -3.7}),
    (K.LOCATION, "40.4168, -3.7038", {"latitude": 40.4168, "longitude": -3.7038}),
    (K.LOCATION, {"latitude": -90, "longitude": 180}, {"latitude": -90.0, "longitude": 180.0}),
    (K.DOCUMENT, {"media_id": 7}, ID_DOC),
    (K.DOCUMENT, {"storage_key": "cg1/c3/id.jpg"}, ID_DOC),
    (K.DOCUMENT, "cg1/c3/id.jpg", ID_DOC),
]

BAD: list[tuple[QuestionKind, object, str]] = [
    (K.YES_NO, "maybe", "answer yes or no"),
    (K.YES_NO, 1, "answer yes or no"),
    (K.YES_NO, None, "answer yes or no"),
    (K.SINGLE_CHOICE, "evening", "not one of the choices: Morning, Afternoon shift, Night"),
    (K.SINGLE_CHOICE, "4", "numbers 1-3"),
    (K.SINGLE_CHOICE, "0", "not one of the choices"),
    (K.SINGLE_CHOICE, True, "not one of the choices"),
    (K.SINGLE_CHOICE, ["Night"], "not one of the choices"),
    (K.MULTIPLE_CHOICE, "night, evening", "not among the choices: 'evening'; choose from"),
    (K.MULTIPLE_CHOICE, "", "choose at least one"),
    (K.MULTIPLE_CHOICE, " , ", "choose at least one"),
    (K.MULTIPLE_CHOICE, [], "choose at least one"),
    (K.MULTIPLE_CHOICE, 2, "separated by commas"),
    (K.NUMBER, "twelve", "send a number"),
    (K.NUMBER, "12 months", "send a number"),
    (K.NUMBER, True, "send a number"),
    (K.NUMBER, "nan", "send a number"),
    (K.NUMBER, float("inf"), "send a number"),
    (K.NUMBER, "-1", "-1 is less than the minimum 0"),
    (K.NUMBER, "601", "601 is more than the maximum 600"),
    (K.DATE, "yesterday", "send a date as DD/MM/YYYY or YYYY-MM-DD"),
    (K.DATE, "31/02/1998", "send a date"),
    (K.DATE, "14/02/98", "send a date"),
    (K.DATE, 19980214, "send a date"),
    (K.DATE, "2006-05-07", "after the latest allowed date 2006-05-06"),
    (K.DATE, "1939-12-31", "before the earliest allowed date 1940-01-01"),
    (K.FREE_TEXT, "   ", "the answer is empty"),
    (K.FREE_TEXT, 42, "the answer is empty"),
    (K.FREE_TEXT, "01234567890", "11 characters; the maximum is 10"),
    (K.LOCATION, "Madrid", "share a location"),
    (K.LOCATION, {"latitude": 40.4}, "share a location"),
    (K.LOCATION, {"latitude": 91, "longitude": 0}, "latitude 91.0 is outside -90..90"),
    (K.LOCATION, "0,181", "longitude 181.0 is outside -180..180"),
    (K.DOCUMENT, {"media_id": 99}, "media 99 is not a file of this candidate"),
    (K.DOCUMENT, "cg1/c9/other.jpg", "not a file of this candidate"),
    (K.DOCUMENT, {"media_id": 8}, "a photo was sent; this question accepts id_document"),
    (K.DOCUMENT, 7, "send a document"),
]

CONTEXT = AnswerContext(today=TODAY, language="es", media=MEDIA)


@pytest.mark.parametrize(("kind", "raw", "expected"), GOOD, ids=lambda value: repr(value)[:30])
def test_good_answers_become_typed_values(kind: QuestionKind, raw: object, expected: object) -> None:
    value = parse_answer(QUESTIONS[kind], raw, CONTEXT)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(("kind", "raw", "message"), BAD, ids=lambda value: repr(value)[:30])
def test_bad_answers_fail_on_field_answer_with_the_question_key(
    kind: QuestionKind, raw: object, message: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_answer(QUESTIONS[kind], raw, CONTEXT)
    (error,) = caught.value.errors
    assert error["field"] == "answer"
    assert error["key"] == f"q_{kind.value}"
    assert message in error["message"]
    assert f"q_{kind.value}" in str(caught.value)


def test_every_kind_is_covered_by_good_and_bad_cases() -> None:
    assert {kind for kind, _, _ in GOOD} == set(QuestionKind)
    assert {kind for kind, _, _ in BAD} == set(QuestionKind)


def test_en_us_sets_read_dates_month_first_and_say_so() -> None:
    us = AnswerContext(today=TODAY, language="en-US")
    born = question(K.DATE)
    assert parse_answer(born, "02/14/1998", us) == "1998-02-14"
    assert parse_answer(born, "03/04/1998", us) == "1998-03-04"
    assert parse_answer(born, "03/04/1998", CONTEXT) == "1998-04-03"
    with pytest.raises(ValidationFailed, match="MM/DD/YYYY"):
        parse_answer(born, "someday", us)


def test_a_question_can_override_the_date_order_of_its_language() -> None:
    month_first = question(K.DATE, day_first=False)
    assert parse_answer(month_first, "03/04/1998", CONTEXT) == "1998-03-04"


def test_the_only_possible_reading_of_a_date_is_taken() -> None:
    assert to_date("31/05/2024", day_first=False) == date(2024, 5, 31)
    assert to_date("05/31/2024", day_first=True) == date(2024, 5, 31)
    assert to_date("13/13/2024", day_first=True) is None


def test_relative_date_bounds_follow_the_day_the_answer_arrives() -> None:
    adult = question(K.DATE, max="today-18y", min="today-100y")
    leap = AnswerContext(today=date(2024, 2, 29))
    assert parse_answer(adult, "2006-02-28", leap) == "2006-02-28"  # 29 Feb minus 18 years = 28 Feb
    with pytest.raises(ValidationFailed, match="after the latest allowed date 2006-02-28"):
        parse_answer(adult, "2006-03-01", leap)
    start = question(K.DATE, min="today", max="today+2w")
    assert parse_answer(start, "2024-05-20", CONTEXT) == "2024-05-20"
    with pytest.raises(ValidationFailed, match="before the earliest allowed date 2024-05-06"):
        parse_answer(start, "2024-05-05", CONTEXT)


def test_integer_numbers_refuse_fractions() -> None:
    months = question(K.NUMBER, integer=True)
    assert parse_answer(months, "12", CONTEXT) == 12
    with pytest.raises(ValidationFailed, match="whole number"):
        parse_answer(months, "1,5", CONTEXT)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12.0),
        ("-3.5", -3.5),
        ("+4", 4.0),
        ("3,5", 3.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1.000.000", 1_000_000.0),
        ("1,000,000", 1_000_000.0),
        ("1 500", 1500.0),
        (".5", 0.5),
        ("1.2.3", None),
        ("1,2,3", None),
        ("", None),
        ("12abc", None),
    ],
)
def test_numbers_are_read_as_people_write_them(text: str, expected: float | None) -> None:
    assert to_number(text) == expected


def test_free_text_without_a_limit_takes_any_length() -> None:
    assert parse_answer(question(K.FREE_TEXT), "x" * 5000, CONTEXT) == "x" * 5000


def test_a_document_without_accepted_kinds_takes_any_file_of_the_candidate() -> None:
    photo = parse_answer(question(K.DOCUMENT), {"media_id": 8}, CONTEXT)
    assert photo == {"media_id": 8, "kind": "photo", "storage_key": "cg1/c3/me.jpg"}
