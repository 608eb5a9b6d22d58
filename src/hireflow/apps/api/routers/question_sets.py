"""Screening question sets and their questions: ``/api/v1/question-sets``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from hireflow.apps.api.deps import CanManageOrg, CanReadOrg, Services
from hireflow.apps.api.pagination import Cursor, Limit, Page, paginate
from hireflow.apps.api.routers import new_router
from hireflow.apps.api.schemas import NOT_FOUND, WRITE_ERRORS, PublicRecord
from hireflow.domain.models.screening import QuestionKind, QuestionSet
from hireflow.domain.services.records import TenantRecords
from hireflow.domain.services.screening import QuestionSetDetail, QuestionSets

router = new_router(prefix="/api/v1/question-sets", tags=["question-sets"])

KEY_PATTERN = r"^[a-z0-9_]+$"

QuestionSetId = Annotated[int, Path(ge=1, description="The question set's id")]
QuestionKey = Annotated[
    str, Path(min_length=1, max_length=100, pattern=KEY_PATTERN, description="The question's key")
]


class QuestionCreate(BaseModel):
    """A question to put in a set; the kind decides which ``options`` and ``validation`` rules it takes."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, max_length=100, pattern=KEY_PATTERN)
    kind: QuestionKind
    prompt: str = Field(min_length=1, max_length=2000)
    help_text: str | None = Field(default=None, max_length=2000)
    options: list[str] = Field(
        default_factory=list, max_length=100, description="The choices of single_choice and multiple_choice"
    )
    validation: dict[str, Any] = Field(
        default_factory=dict,
        description="number: min, max, integer; date: min, max (ISO or today-18y), day_first; "
        "free_text: max_length; document: accepted_kinds",
    )
    is_required: bool = True
    position: int | None = Field(
        default=None, ge=0, description="Where it goes (0 is first); left out: the list's order, or last"
    )


class QuestionSetCreate(BaseModel):
    """A new question set with its questions (in list order, unless every question gives a position)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    role_id: int | None = Field(default=None, ge=1)
    language: str = Field(default="en", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    version: int = Field(default=1, ge=1)
    is_active: bool = True
    questions: list[QuestionCreate] = Field(default_factory=list, max_length=200)


class QuestionSetUpdate(BaseModel):
    """The fields to change; a set's content changes through its questions and versions."""

    model_config = ConfigDict(extra="forbid")

    is_active: bool | None = None


class QuestionOrder(BaseModel):
    """The set's question keys in their new order: every key once."""

    model_config = ConfigDict(extra="forbid")

    keys: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(min_length=1, max_length=200)


class NewVersion(BaseModel):
    """How to make the next version of a set."""

    model_config = ConfigDict(extra="forbid")

    deactivate_previous: bool = Field(default=False, description="Switch every earlier version off")


class QuestionPublic(PublicRecord):
    """A question of a set."""

    question_set_id: int
    position: int
    key: str
    kind: QuestionKind
    prompt: str
    help_text: str | None
    options: list[str]
    validation: dict[str, Any]
    is_required: bool


class QuestionSetPublic(PublicRecord):
    """A question set (without its questions)."""

    role_id: int | None
    name: str
    version: int
    language: str
    is_active: bool


class QuestionSetDetailPublic(QuestionSetPublic):
    """A question set with its questions in position order."""

    questions: list[QuestionPublic]


def _sets(services: Services) -> QuestionSets:
    return QuestionSets(services.uow_factory)


def _records(services: Services) -> TenantRecords[QuestionSet]:
    return TenantRecords(services.uow_factory, lambda uow: uow.question_sets, QuestionSet, "question set")


def _detail(detail: QuestionSetDetail) -> QuestionSetDetailPublic:
    return QuestionSetDetailPublic(
        **QuestionSetPublic.model_validate(detail.question_set).model_dump(),
        questions=[QuestionPublic.model_validate(question) for question in detail.questions],
    )


@router.get("", response_model=Page[QuestionSetPublic])
def list_question_sets(
    caller: CanReadOrg,
    services: Services,
    role_id: Annotated[int | None, Query(ge=1, description="Only this role's sets")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[QuestionSetPublic]:
    """List question sets (of one role, if given), in id order."""
    sets = _sets(services)
    return paginate(
        lambda n, after: sets.list(caller.company_group_id, role_id=role_id, limit=n, after_id=after),
        limit,
        cursor,
        QuestionSetPublic.model_validate,
    )


@router.post(
    "", response_model=QuestionSetDetailPublic, status_code=status.HTTP_201_CREATED, responses=WRITE_ERRORS
)
def create_question_set(
    body: QuestionSetCreate, caller: CanManageOrg, services: Services
) -> QuestionSetDetailPublic:
    """Create a question set with its questions."""
    values = body.model_dump()
    questions = values.pop("questions")
    return _detail(_sets(services).create(caller.company_group_id, questions=questions, **values))


@router.get("/{question_set_id}", response_model=QuestionSetDetailPublic, responses=NOT_FOUND)
def get_question_set(
    question_set_id: QuestionSetId, caller: CanReadOrg, services: Services
) -> QuestionSetDetailPublic:
    """Get a question set with its questions."""
    return _detail(_sets(services).get(caller.company_group_id, question_set_id))


@router.patch("/{question_set_id}", response_model=QuestionSetPublic, responses=WRITE_ERRORS)
def update_question_set(
    question_set_id: QuestionSetId, body: QuestionSetUpdate, caller: CanManageOrg, services: Services
) -> QuestionSetPublic:
    """Switch a question set on or off."""
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    updated = _records(services).update(caller.company_group_id, question_set_id, changes)
    return QuestionSetPublic.model_validate(updated)


@router.delete(
    "/{question_set_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE_ERRORS,
)
def delete_question_set(question_set_id: QuestionSetId, caller: CanManageOrg, services: Services) -> Response:
    """Delete a question set nobody has answered yet (409 once someone has: switch it off instead)."""
    _sets(services).delete(caller.company_group_id, question_set_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/{question_set_id}/order", response_model=QuestionSetDetailPublic, responses=WRITE_ERRORS)
def reorder_questions(
    question_set_id: QuestionSetId, body: QuestionOrder, caller: CanManageOrg, services: Services
) -> QuestionSetDetailPublic:
    """Put a set's questions in the order of the keys given."""
    return _detail(_sets(services).reorder(caller.company_group_id, question_set_id, body.keys))


@router.post(
    "/{question_set_id}/questions",
    response_model=QuestionSetDetailPublic,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
)
def add_question(
    question_set_id: QuestionSetId, body: QuestionCreate, caller: CanManageOrg, services: Services
) -> QuestionSetDetailPublic:
    """Add a question at its position (default last), moving later ones down; returns the whole set."""
    detail = _sets(services).add_question(caller.company_group_id, question_set_id, body.model_dump())
    return _detail(detail)


@router.delete(
    "/{question_set_id}/questions/{key}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE_ERRORS,
)
def remove_question(
    question_set_id: QuestionSetId, key: QuestionKey, caller: CanManageOrg, services: Services
) -> Response:
    """Remove a question and its answers, closing the gap; prefer a new version for a set in use."""
    _sets(services).remove_question(caller.company_group_id, question_set_id, key)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{question_set_id}/versions",
    response_model=QuestionSetDetailPublic,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
)
def new_version(
    question_set_id: QuestionSetId, caller: CanManageOrg, services: Services, body: NewVersion | None = None
) -> QuestionSetDetailPublic:
    """Copy a question set and its questions as its next version."""
    deactivate = body.deactivate_previous if body else False
    detail = _sets(services).new_version(
        caller.company_group_id, question_set_id, deactivate_previous=deactivate
    )
    return _detail(detail)
