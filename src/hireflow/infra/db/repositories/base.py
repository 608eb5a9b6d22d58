"""Generic SQLAlchemy repositories: ORM rows in, pydantic domain models out, one tenant at a time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import Any, ClassVar, Generic, TypeVar, cast

from sqlalchemy import CursorResult, Date, DateTime, Select, Table, func, select, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from hireflow.domain.models.base import Entity, TenantEntity
from hireflow.infra.db.base import Base
from hireflow.shared.errors import Conflict, NotFound, ValidationFailed

RowT = TypeVar("RowT", bound=Base)
ModelT = TypeVar("ModelT", bound=Entity)
TenantModelT = TypeVar("TenantModelT", bound=TenantEntity)

_MANAGED = frozenset({"id", "created_at", "updated_at"})
MAX_PAGE = 1000
MANY_IDS_PER_QUERY = 500  # ids bound in one IN (...) of get_many; SQLite caps bound parameters


class SqlAlchemyRepository(Generic[RowT, ModelT]):
    """CRUD for one table. Subclasses set ``row_type``, ``model_type`` and ``entity_name``.

    Every write runs in a SAVEPOINT, so a broken rule (a duplicate key, say) raises :class:`Conflict` and
    undoes that one write only: the caller's transaction, and what it did before, stays intact and usable.
    """

    row_type: ClassVar[type[Any]]
    model_type: ClassVar[type[Any]]
    entity_name: ClassVar[str]

    def __init__(self, session: Session) -> None:
        self.session = session
        # Referenced ids already checked in this session; a later delete is caught by the foreign key.
        self._verified: set[tuple[str, int]] = set()

    # -- the Repository port -------------------------------------------------------------------------------
    def add(self, entity: ModelT) -> ModelT:
        values = self._values(entity)
        self._check_references(values, None)
        row = self.row_type(**values)
        with self._write():
            self.session.add(row)
        return self._to_model(row)

    def get(self, entity_id: int) -> ModelT:
        found = self.find(entity_id)
        if found is None:
            raise NotFound(self.entity_name, entity_id)
        return found

    def find(self, entity_id: int) -> ModelT | None:
        row = self._row(entity_id)
        return None if row is None else self._to_model(row)

    def get_many(self, entity_ids: Sequence[int]) -> dict[int, ModelT]:
        found: dict[int, ModelT] = {}
        unique = sorted(set(entity_ids))
        # In slices: SQLite allows only so many bound parameters in one statement.
        for start in range(0, len(unique), MANY_IDS_PER_QUERY):
            ids = unique[start : start + MANY_IDS_PER_QUERY]
            for model in self._many(self._select().where(self.row_type.id.in_(ids))):
                if model.id is not None:  # always set on a stored row; the check narrows the type
                    found[model.id] = model
        return found

    def update(self, entity: ModelT) -> ModelT:
        if entity.id is None:
            raise NotFound(self.entity_name, None)
        row = self._row(entity.id)
        if row is None:
            raise NotFound(self.entity_name, entity.id)
        values = self._values(entity)
        self._check_references(values, row)
        with self._write():
            for name, value in values.items():
                setattr(row, name, value)
        return self._to_model(row)

    def delete(self, entity_id: int) -> None:
        row = self._row(entity_id)
        if row is None:
            raise NotFound(self.entity_name, entity_id)
        with self._write():
            self.session.delete(row)

    def list(self, *, limit: int = 100, after_id: int | None = None) -> Sequence[ModelT]:
        query = self._select().order_by(self.row_type.id).limit(min(max(limit, 1), MAX_PAGE))
        if after_id is not None:
            query = query.where(self.row_type.id > after_id)
        return self._many(query)

    def count(self) -> int:
        # select_from: without a WHERE clause the query would be "SELECT count(*)" with no FROM, always 1.
        query = self._select().with_only_columns(func.count()).select_from(self.row_type).order_by(None)
        return int(self.session.scalar(query) or 0)

    # -- helpers for subclasses ----------------------------------------------------------------------------
    def _select(self) -> Select[Any]:
        """The base query; tenant repositories narrow it to their tenant."""
        return select(self.row_type)

    def _row(self, entity_id: int) -> Any:
        return self.session.scalars(self._select().where(self.row_type.id == entity_id)).one_or_none()

    def _one(self, query: Select[Any]) -> ModelT | None:
        """The only row of ``query`` (a lookup on a unique key), or None."""
        row = self.session.scalars(query).one_or_none()
        return None if row is None else self._to_model(row)

    def _first(self, query: Select[Any]) -> ModelT | None:
        """The first row of an ordered ``query``, or None."""
        row = self.session.scalars(query.limit(1)).first()
        return None if row is None else self._to_model(row)

    def _many(self, query: Select[Any]) -> Sequence[ModelT]:
        return [self._to_model(row) for row in self.session.scalars(query)]

    def _to_model(self, row: Any) -> ModelT:
        model: ModelT = self.model_type.model_validate(row)
        return model

    def _values(self, entity: ModelT) -> dict[str, Any]:
        """Column values of ``entity``: JSON-ready (enums as values, nested models as dicts), except that
        date and timestamp columns get real ``date``/``datetime`` objects. JSON columns stay JSON even when
        they hold a date (an answer to a date question), which ``isinstance(value, date)`` would break."""
        values = entity.model_dump(mode="json", exclude=set(_MANAGED))
        for name in _temporal_columns(self.row_type.__table__):
            if name in values:
                value = getattr(entity, name)
                # In UTC now, so the model add() returns equals what get() reads back later. A naive value
                # is left alone for UtcDateTime to refuse: astimezone() would take it for local time.
                if isinstance(value, datetime) and value.tzinfo is not None:
                    value = value.astimezone(UTC)
                values[name] = value
        # None for a NOT NULL column that has a default means "use the default" (entered_at, say).
        for name in _defaulted_columns(self.row_type.__table__):
            if values.get(name, 0) is None:
                del values[name]
        return values

    def _visible(self, table: Table, query: Select[Any]) -> Select[Any]:
        """Narrow a query on a referenced table to what this repository may see."""
        return query

    def _check_references(self, values: dict[str, Any], row: Any) -> None:
        """Refuse references to rows this repository cannot see, as NotFound: the database's foreign keys know
        nothing of tenants, and a reference into another tenant would let its deletes cascade into ours."""
        for column, target in _references(self.row_type.__table__):
            value = values.get(column)
            if value is None or (row is not None and getattr(row, column) == value):
                continue
            if (target.name, value) in self._verified:
                continue
            query = self._visible(target, select(target.c.id).where(target.c.id == value))
            if self.session.scalar(query) is None:
                raise NotFound(column.removesuffix("_id"), value)
            self._verified.add((target.name, value))

    @contextmanager
    def _write(self) -> Iterator[None]:
        """Run a change and flush it inside a SAVEPOINT; database rule breaks become domain errors."""
        _ensure_transaction(self.session)
        try:
            with self.session.begin_nested():
                yield
                self.session.flush()
        except IntegrityError as exc:
            raise Conflict(
                f"{self.entity_name} breaks a database rule: {_driver_message(exc)}", entity=self.entity_name
            ) from None
        except DataError as exc:
            # PostgreSQL refuses what SQLite stores silently, e.g. a value longer than its column.
            raise ValidationFailed(
                f"{self.entity_name} has a value the database refuses: {_driver_message(exc)}"
            ) from None


class TenantRepository(SqlAlchemyRepository[RowT, TenantModelT]):
    """A repository bound to one company group: it cannot read, change or create another tenant's rows, nor
    point one of its rows at another tenant's."""

    def __init__(self, session: Session, company_group_id: int) -> None:
        super().__init__(session)
        self.company_group_id = company_group_id

    def _select(self) -> Select[Any]:
        return select(self.row_type).where(self.row_type.company_group_id == self.company_group_id)

    def _values(self, entity: TenantModelT) -> dict[str, Any]:
        if entity.company_group_id != self.company_group_id:
            # Not-found on purpose: another tenant's ids must be indistinguishable from missing ones.
            raise NotFound("company group", entity.company_group_id)
        return super()._values(entity)

    def _visible(self, table: Table, query: Select[Any]) -> Select[Any]:
        if "company_group_id" in table.c:
            return query.where(table.c.company_group_id == self.company_group_id)
        return query

    def _reassign(self, column: str, from_id: int, to_id: int) -> int:
        """Point this tenant's rows whose ``column`` is ``from_id`` at ``to_id`` in one UPDATE; how many moved.
        All or nothing: a unique-key clash raises Conflict and moves none (the UPDATE runs in a SAVEPOINT)."""
        self._check_references({column: to_id}, None)
        statement = (
            update(self.row_type)
            .where(self.row_type.company_group_id == self.company_group_id)
            .where(getattr(self.row_type, column) == from_id)
            .values({column: to_id})
        )
        with self._write():
            result = cast(CursorResult[Any], self.session.execute(statement))
        return int(result.rowcount)


@cache
def _temporal_columns(table: Table) -> frozenset[str]:
    """Columns of ``table`` that store dates or timestamps (``UtcDateTime`` is a ``DateTime`` underneath)."""
    return frozenset(
        column.name
        for column in table.columns
        if isinstance(column.type, Date | DateTime)
        or isinstance(getattr(column.type, "impl", None), DateTime)
    )


@cache
def _defaulted_columns(table: Table) -> frozenset[str]:
    """NOT NULL columns of ``table`` with a Python-side default."""
    return frozenset(
        column.name for column in table.columns if not column.nullable and column.default is not None
    )


@cache
def _references(table: Table) -> tuple[tuple[str, Table], ...]:
    """``(column, referenced table)`` for each foreign key but the tenant's own, which ``_values`` checks."""
    found = []
    for key in table.foreign_keys:
        if key.parent.name == "company_group_id":
            continue
        target = key.column.table
        assert isinstance(target, Table)
        found.append((key.parent.name, target))
    return tuple(sorted(found, key=lambda item: item[0]))


def _ensure_transaction(session: Session) -> None:
    """Make sure a real transaction is open before a SAVEPOINT.

    The sqlite3 driver, left in charge, only sends BEGIN before INSERT/UPDATE/DELETE; a SAVEPOINT sent first
    opens the transaction itself, and releasing it commits, so a later rollback would undo nothing.
    ``build_engine`` takes that control away from the driver; this covers sessions on other SQLite engines.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    if not getattr(connection.connection.dbapi_connection, "in_transaction", True):
        connection.exec_driver_sql("BEGIN")


def _driver_message(exc: IntegrityError | DataError) -> str:
    text = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    return text[:300]
