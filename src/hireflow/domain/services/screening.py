"""Question sets: create a role's ordered screening questions, reorder them, add or remove one, and version a set.

Positions in a set are always ``0..n-1`` with no gaps. Every definition error is collected, so one
ValidationFailed lists each offending field (``questions[2].options``, ``questions[0].validation.min``...).
Answers are recorded by :mod:`hireflow.domain.services.screening_progress`; a set candidates are already
answering is best changed through :meth:`QuestionSets.new_version`, since removing a question deletes its answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import Field, ValidationError

from hireflow.domain.models.base import DomainModel
from hireflow.domain.models.screening import QuestionKind, QuestionSet, ScreeningQuestion
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.domain.services.screening_rules import Problems, check_options, check_rules
from hireflow.shared.errors import Conflict, NotFound
from hireflow.shared.types import JSONObject


class QuestionDraft(DomainModel):
    """A question to put in a set; ``position`` may be left out to keep the order of the list it is in."""

    key: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9_]+$")
    kind: QuestionKind
    prompt: str = Field(min_length=1)
    help_text: str | None = None
    options: list[str] = Field(default_factory=list)
    validation: JSONObject = Field(default_factory=dict)
    is_required: bool = True
    position: int | None = None


DraftInput = QuestionDraft | Mapping[str, Any]


@dataclass(frozen=True)
class QuestionSetDetail:
    """A question set with its questions in position order."""

    question_set: QuestionSet
    questions: tuple[ScreeningQuestion, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """The question keys in position order."""
        return tuple(question.key for question in self.questions)


def validate_drafts(
    drafts: Sequence[DraftInput], problems: Problems, prefix: str = "questions"
) -> list[QuestionDraft]:
    """Parse and check drafts together (unique keys, contiguous positions), recording every problem; return
    the drafts that parsed, in position order."""
    parsed: list[tuple[int, QuestionDraft]] = []
    for index, raw in enumerate(drafts):
        draft = _parse_draft(raw, f"{prefix}[{index}].", problems)
        if draft is not None:
            check_draft(draft, f"{prefix}[{index}]", problems)
            parsed.append((index, draft))
    _check_unique_keys(parsed, prefix, problems)
    return _ordered(parsed, len(drafts), prefix, problems)


def check_draft(draft: QuestionDraft, field_name: str, problems: Problems) -> None:
    """Check one draft's options and validation rules for its kind."""
    check_options(draft.kind, draft.options, f"{field_name}.options", problems)
    check_rules(draft.kind, draft.validation, f"{field_name}.validation", problems)


def _parse_draft(raw: DraftInput, prefix: str, problems: Problems) -> QuestionDraft | None:
    if isinstance(raw, QuestionDraft):
        return raw
    try:
        return QuestionDraft.model_validate(dict(raw))
    except ValidationError as error:
        problems.add_pydantic(error, prefix)
        return None


def _check_unique_keys(parsed: list[tuple[int, QuestionDraft]], prefix: str, problems: Problems) -> None:
    first: dict[str, int] = {}
    for index, draft in parsed:
        if draft.key in first:
            problems.add(
                f"{prefix}[{index}].key", f"duplicate key {draft.key!r} (also questions[{first[draft.key]}])"
            )
        else:
            first[draft.key] = index


def _ordered(
    parsed: list[tuple[int, QuestionDraft]], count: int, prefix: str, problems: Problems
) -> list[QuestionDraft]:
    """Drafts in position order; given positions must be exactly ``0..count-1``."""
    given = [(index, draft.position) for index, draft in parsed if draft.position is not None]
    if not given:
        return [draft for _, draft in parsed]
    if len(given) != len(parsed):
        problems.add(prefix, "give a position for every question or for none")
        return [draft for _, draft in parsed]
    positions = sorted(position for _, position in given if position is not None)
    if positions != list(range(count)):
        problems.add(prefix, f"positions must be 0..{count - 1} with no gaps or repeats, got {positions}")
    return [draft for _, draft in sorted(parsed, key=lambda item: item[1].position or 0)]


def _question(question_set: QuestionSet, draft: QuestionDraft, position: int) -> ScreeningQuestion:
    assert question_set.id is not None
    values = draft.model_dump(exclude={"position"})
    return ScreeningQuestion(
        company_group_id=question_set.company_group_id,
        question_set_id=question_set.id,
        position=position,
        **values,
    )


def load_detail(uow: UnitOfWork, question_set_id: int) -> QuestionSetDetail:
    """A question set and its questions, inside an open unit of work; raises NotFound."""
    question_set = uow.question_sets.get(question_set_id)
    return QuestionSetDetail(question_set, tuple(uow.screening_questions.for_set(question_set_id)))


def renumber(uow: UnitOfWork, questions: Sequence[ScreeningQuestion]) -> list[ScreeningQuestion]:
    """Give ``questions`` the positions ``0..n-1`` in the order given, writing only those that move."""
    moving = [(position, q) for position, q in enumerate(questions) if q.position != position]
    # (set, position) is unique and checked on every write, so movers first go past every current position.
    parked = max((q.position for q in questions), default=0) + 1
    for offset, (_, question) in enumerate(moving):
        uow.screening_questions.update(question.model_copy(update={"position": parked + offset}))
    for position, question in moving:
        uow.screening_questions.update(question.model_copy(update={"position": position}))
    return list(uow.screening_questions.for_set(questions[0].question_set_id)) if questions else []


class QuestionSets:
    """Use cases of question sets; each call is one unit of work, committed on success."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    def create(
        self,
        company_group_id: int,
        *,
        name: str,
        questions: Sequence[DraftInput],
        role_id: int | None = None,
        language: str = "en",
        version: int = 1,
        is_active: bool = True,
    ) -> QuestionSetDetail:
        """Create a set with its questions; raises ValidationFailed listing every problem, NotFound for the role."""
        problems = Problems()
        question_set = _new_set(
            problems,
            company_group_id=company_group_id,
            role_id=role_id,
            name=name,
            language=language,
            version=version,
            is_active=is_active,
        )
        drafts = validate_drafts(questions, problems)
        problems.raise_if_any("the question set")
        assert question_set is not None
        with self._uow_factory(company_group_id) as uow:
            detail = _store(uow, question_set, drafts)
            uow.commit()
        return detail

    def get(self, company_group_id: int, question_set_id: int) -> QuestionSetDetail:
        """A question set with its questions; raises NotFound."""
        with self._uow_factory(company_group_id) as uow:
            return load_detail(uow, question_set_id)

    def list(
        self,
        company_group_id: int,
        *,
        role_id: int | None = None,
        limit: int = 100,
        after_id: int | None = None,
    ) -> Sequence[QuestionSet]:
        """Question sets (only ``role_id``'s, if given) in id order, ``limit`` at a time, after ``after_id``."""
        with self._uow_factory(company_group_id) as uow:
            if role_id is None:
                return uow.question_sets.list(limit=limit, after_id=after_id)
            sets = sorted(uow.question_sets.for_role(role_id), key=lambda s: s.id or 0)
        return [s for s in sets if after_id is None or (s.id or 0) > after_id][:limit]

    def delete(self, company_group_id: int, question_set_id: int) -> None:
        """Delete a set and its questions while nobody has answered it; once a candidate has, Conflict (switch
        the set off instead: its answers are the candidates' record)."""
        with self._uow_factory(company_group_id) as uow:
            uow.question_sets.get(question_set_id)
            if uow.screening_answers.for_question_set(question_set_id):
                raise Conflict(
                    f"question set {question_set_id} has candidates' answers; set is_active to false instead "
                    "of deleting it",
                    question_set_id=question_set_id,
                )
            uow.question_sets.delete(question_set_id)
            uow.commit()

    def reorder(self, company_group_id: int, question_set_id: int, keys: Sequence[str]) -> QuestionSetDetail:
        """Put the questions in the order of ``keys``, which must name every question of the set once."""
        with self._uow_factory(company_group_id) as uow:
            detail = load_detail(uow, question_set_id)
            by_key = {question.key: question for question in detail.questions}
            _check_permutation(keys, by_key)
            questions = renumber(uow, [by_key[key] for key in keys])
            uow.commit()
        return QuestionSetDetail(detail.question_set, tuple(questions))

    def add_question(
        self,
        company_group_id: int,
        question_set_id: int,
        question: DraftInput,
        *,
        position: int | None = None,
    ) -> QuestionSetDetail:
        """Insert a question at ``position`` (default: last), moving the later ones down one place."""
        with self._uow_factory(company_group_id) as uow:
            detail = load_detail(uow, question_set_id)
            draft, at = _checked_addition(detail, question, position)
            for later in sorted(detail.questions, key=lambda q: -q.position):  # last first: no clash
                if later.position >= at:
                    uow.screening_questions.update(later.model_copy(update={"position": later.position + 1}))
            uow.screening_questions.add(_question(detail.question_set, draft, at))
            result = load_detail(uow, question_set_id)
            uow.commit()
        return result

    def remove_question(self, company_group_id: int, question_set_id: int, key: str) -> QuestionSetDetail:
        """Remove a question (and, by cascade, its answers and timings), closing the gap it leaves."""
        with self._uow_factory(company_group_id) as uow:
            detail = load_detail(uow, question_set_id)
            found = next((q for q in detail.questions if q.key == key), None)
            if found is None or found.id is None:
                raise NotFound("screening question", key)
            uow.screening_questions.delete(found.id)
            questions = renumber(uow, [q for q in detail.questions if q.key != key])
            uow.commit()
        return QuestionSetDetail(detail.question_set, tuple(questions))

    def new_version(
        self, company_group_id: int, question_set_id: int, *, deactivate_previous: bool = False
    ) -> QuestionSetDetail:
        """Copy a set and its questions as the next version of its name and language (for its role);
        ``deactivate_previous`` switches every earlier version off."""
        with self._uow_factory(company_group_id) as uow:
            source = load_detail(uow, question_set_id)
            versions = _versions(uow, source.question_set)
            copy = source.question_set.model_copy(
                update={
                    "id": None,
                    "created_at": None,
                    "updated_at": None,
                    "version": versions[-1].version + 1,
                }
            )
            for earlier in versions if deactivate_previous else ():
                if earlier.is_active:
                    uow.question_sets.update(earlier.model_copy(update={"is_active": False}))
            drafts = [QuestionDraft.model_validate(q.model_dump()) for q in source.questions]
            detail = _store(uow, copy, drafts)
            uow.commit()
        return detail


def _new_set(problems: Problems, **values: Any) -> QuestionSet | None:
    try:
        return QuestionSet.model_validate(values)
    except ValidationError as error:
        problems.add_pydantic(error)
        return None


def _store(uow: UnitOfWork, question_set: QuestionSet, drafts: Sequence[QuestionDraft]) -> QuestionSetDetail:
    stored = uow.question_sets.add(question_set)
    questions = [uow.screening_questions.add(_question(stored, d, i)) for i, d in enumerate(drafts)]
    return QuestionSetDetail(stored, tuple(questions))


def _versions(uow: UnitOfWork, source: QuestionSet) -> list[QuestionSet]:
    """Every version of ``source``'s name and language for its role (just ``source`` without a role), oldest
    first."""
    if source.role_id is None:
        return [source]
    same = [
        s
        for s in uow.question_sets.for_role(source.role_id)
        if (s.name, s.language) == (source.name, source.language)
    ]
    return sorted(same, key=lambda s: s.version)


def _check_permutation(keys: Sequence[str], by_key: Mapping[str, ScreeningQuestion]) -> None:
    problems = Problems()
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if key not in by_key:
            problems.add(f"keys[{index}]", f"no question {key!r} in this set")
        elif key in seen:
            problems.add(f"keys[{index}]", f"{key!r} is listed twice")
        seen.add(key)
    missing = [key for key in by_key if key not in seen]
    if missing:
        problems.add("keys", f"missing {', '.join(missing)}: name every question of the set once")
    problems.raise_if_any("the new order")


def _checked_addition(
    detail: QuestionSetDetail, question: DraftInput, position: int | None
) -> tuple[QuestionDraft, int]:
    """The new question and where it goes (``position``, else the draft's own, else last)."""
    problems = Problems()
    draft = _parse_draft(question, "question.", problems)
    if draft is not None:
        check_draft(draft, "question", problems)
        if draft.key in detail.keys:
            problems.add("question.key", f"the set already has a question {draft.key!r}")
        position = draft.position if position is None else position
    count = len(detail.questions)
    if position is not None and not 0 <= position <= count:
        problems.add("position", f"must be between 0 and {count}, got {position}")
    problems.raise_if_any("the new question")
    assert draft is not None
    return draft, count if position is None else position
