"""Generic SQLAlchemy repositories: ORM rows in, pydantic domain models out, one tenant at a time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hireflow.domain.models.base import Entity, TenantEntity
from hireflow.infra.db.base import Base
from hireflow.shared.errors import Conflict, NotFound

RowT = TypeVar("RowT", bound=Base)
ModelT = TypeVar("ModelT", bound=Entity)
TenantModelT = TypeVar("TenantModelT", bound=TenantEntity)

_MANAGED = frozenset({"id", "created_at", "updated_at"})
MAX_PAGE = 1000


class SqlAlchemyRepository(Generic[RowT, ModelT]):
    """CRUD for one table. Subclasses set ``row_type``, ``model_type`` and ``entity_name``."""

    row_type: ClassVar[type[Any]]
    model_type: ClassVar[type[Any]]
    entity_name: ClassVar[str]

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- the Repository port -------------------------------------------------------------------------------
    def add(self, entity: ModelT) -> ModelT:
        row = self.row_type(**self._values(entity))
        self.session.add(row)
        self._flush()
        return self._to_model(row)

    def get(self, entity_id: int) -> ModelT:
        found = self.find(entity_id)
        if found is None:
            raise NotFound(self.entity_name, entity_id)
        return found

    def find(self, entity_id: int) -> ModelT | None:
        row = self._row(entity_id)
        return None if row is None else self._to_model(row)

    def update(self, entity: ModelT) -> ModelT:
        if entity.id is None:
            raise NotFound(self.entity_name, None)
        row = self._row(entity.id)
        if row is None:
            raise NotFound(self.entity_name, entity.id)
        for name, value in self._values(entity).items():
            setattr(row, name, value)
        self._flush()
        return self._to_model(row)

    def delete(self, entity_id: int) -> None:
        row = self._row(entity_id)
        if row is None:
            raise NotFound(self.entity_name, entity_id)
        self.session.delete(row)
        self._flush()

    def list(self, *, limit: int = 100, after_id: int | None = None) -> Sequence[ModelT]:
        query = self._select().order_by(self.row_type.id).limit(min(max(limit, 1), MAX_PAGE))
        if after_id is not None:
            query = query.where(self.row_type.id > after_id)
        return [self._to_model(row) for row in self.session.scalars(query)]

    def count(self) -> int:
        query = self._select().with_only_columns(func.count()).order_by(None)
        return int(self.session.scalar(query) or 0)

    # -- helpers for subclasses ----------------------------------------------------------------------------
    def _select(self) -> Select[Any]:
        """The base query; tenant repositories narrow it to their tenant."""
        return select(self.row_type)

    def _row(self, entity_id: int) -> Any:
        return self.session.scalars(self._select().where(self.row_type.id == entity_id)).one_or_none()

    def _one(self, query: Select[Any]) -> ModelT | None:
        row = self.session.scalars(query).one_or_none()
        return None if row is None else self._to_model(row)

    def _many(self, query: Select[Any]) -> list[ModelT]:
        return [self._to_model(row) for row in self.session.scalars(query)]

    def _to_model(self, row: Any) -> ModelT:
        model: ModelT = self.model_type.model_validate(row)
        return model

    def _values(self, entity: ModelT) -> dict[str, Any]:
        """Column values of ``entity`` for the row; enums become their values, nested models plain dicts."""
        return entity.model_dump(mode="json", exclude=_MANAGED) | _datetimes(entity)

    def _flush(self) -> None:
        try:
            self.session.flush()
        except IntegrityError as exc:
            self.session.rollback()
            raise Conflict(
                f"{self.entity_name} breaks a database rule: {_constraint_message(exc)}",
                entity=self.entity_name,
            ) from None


class TenantRepository(SqlAlchemyRepository[RowT, TenantModelT]):
    """A repository bound to one company group: it cannot read, change or create another tenant's rows."""

    def __init__(self, session: Session, company_group_id: int) -> None:
        super().__init__(session)
        self.company_group_id = company_group_id

    def _select(self) -> Select[Any]:
        return select(self.row_type).where(self.row_type.company_group_id == self.company_group_id)

    def _values(self, entity: TenantModelT) -> dict[str, Any]:
        if entity.company_group_id != self.company_group_id:
            # Written as not-found on purpose: another tenant's ids must be indistinguishable from missing ones.
            raise NotFound("company group", entity.company_group_id)
        return super()._values(entity)


def _datetimes(entity: Entity) -> dict[str, Any]:
    """``model_dump(mode="json")`` turns datetimes and dates into strings; keep the real objects for columns."""
    from datetime import date

    return {
        name: value
        for name, value in entity
        if name not in _MANAGED and isinstance(value, date)
    }


def _constraint_message(exc: IntegrityError) -> str:
    text = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    return text[:300]
