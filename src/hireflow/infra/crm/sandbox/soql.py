"""A small SOQL subset, parsed and lowered to store queries.

``SELECT f1, f2 | COUNT() FROM Object [WHERE cond [AND|OR cond]...] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST]
[, ...]] [LIMIT n]``, where conditions compare ``SystemModstamp`` or ``LastModifiedDate`` with a datetime
literal (``2024-01-01T00:00:00Z``, ``2024-01-01T00:00:00.000+0000``), ``Id`` with a quoted id, and
``IsDeleted`` with ``true``/``false``; parentheses group conditions. Ordering is by ``Id``, or by
``SystemModstamp``/``LastModifiedDate`` then ``Id``, all in one direction. Anything else raises
:class:`SoqlError` with Salesforce's error code.
"""

from __future__ import annotations

from dataclasses import dataclass

from hireflow.infra.crm.sandbox.conditions import (
    Condition,
    QuerySyntaxError,
    TokenStream,
    parse_conditions,
    tokenize,
)
from hireflow.infra.crm.sandbox.config import EntityKind
from hireflow.infra.crm.sandbox.criteria import MATCH_ALL, Criteria, Order, Query, SortKey
from hireflow.infra.crm.sandbox.salesforce_fields import NAMES, OBJECTS, canonical_field
from hireflow.infra.crm.sandbox.salesforce_ids import parse_record_id
from hireflow.infra.crm.sandbox.timefmt import parse_iso

_MODIFIED = frozenset({"systemmodstamp", "lastmodifieddate"})
_CLAUSE_WORDS = ("ORDER", "LIMIT", "OFFSET", "GROUP", "HAVING")


class SoqlError(ValueError):
    """A query Salesforce would refuse; ``code`` is its errorCode (MALFORMED_QUERY, INVALID_FIELD...)."""

    def __init__(self, message: str, code: str = "MALFORMED_QUERY") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class SoqlQuery:
    """A parsed query: the object, the fields (None for ``COUNT()``), the filter, the order and the limit."""

    kind: EntityKind
    object_name: str
    fields: tuple[str, ...] | None
    query: Query
    order: Order
    limit: int | None


def parse_soql(text: str) -> SoqlQuery:
    """Parse ``text``; raises SoqlError."""
    try:
        stream = TokenStream(tokenize(text))
        stream.expect_word("SELECT")
        selected = _select_list(stream)
        stream.expect_word("FROM")
        object_token = stream.expect("word")
        found = next(
            ((name, kind) for name, kind in OBJECTS.items() if name.lower() == object_token.text.lower()),
            None,
        )
        if found is None:
            raise SoqlError(f"sObject type '{object_token.text}' is not supported.", "INVALID_TYPE")
        name, kind = found
        fields = None if selected is None else tuple(_field(kind, field) for field in selected)
        query = _where(kind, stream)
        order = _order_by(kind, stream)
        limit = _limit(stream)
        if not stream.at_end:
            raise QuerySyntaxError(f"unexpected token: '{stream.peek().text}'")
    except QuerySyntaxError as exc:
        raise SoqlError(str(exc)) from None
    return SoqlQuery(kind, name, fields, query, order, limit)


def _select_list(stream: TokenStream) -> list[str] | None:
    if stream.peek().is_word("COUNT"):
        stream.next()
        stream.expect("punct", "(")
        stream.expect("punct", ")")
        return None
    names = [stream.expect("word").text]
    while stream.peek().kind == "punct" and stream.peek().text == ",":
        stream.next()
        names.append(stream.expect("word").text)
    return names


def _field(kind: EntityKind, name: str) -> str:
    canonical = canonical_field(kind, name)
    if canonical is None:
        raise SoqlError(f"No such column '{name}' on entity '{NAMES[kind]}'.", "INVALID_FIELD")
    return canonical


def _where(kind: EntityKind, stream: TokenStream) -> Query:
    if not stream.accept_word("WHERE"):
        return MATCH_ALL
    query = []
    for branch in parse_conditions(stream, _CLAUSE_WORDS):
        criteria = Criteria()
        for condition in branch:
            criteria = _condition(kind, criteria, condition)
        query.append(criteria)
    return tuple(query)


def _condition(kind: EntityKind, criteria: Criteria, condition: Condition) -> Criteria:
    name, op, value = condition.field.lower(), condition.op, condition.value
    _field(kind, condition.field)
    try:
        if name in _MODIFIED:
            ms = parse_iso(value.text) if value.kind == "datetime" else None
            if ms is None:
                raise SoqlError(
                    f"value of filter criterion for field '{condition.field}' must be of type dateTime "
                    f"and should not be enclosed in quotes",
                    "INVALID_QUERY_FILTER_OPERATOR",
                )
            return criteria.restrict("modified", op, ms)
        if name == "id":
            number = parse_record_id(kind, value.text.strip("'")) if value.kind == "string" else None
            if number is None:
                raise SoqlError(f"invalid ID field: {value.text}", "INVALID_QUERY_FILTER_OPERATOR")
            return criteria.restrict("id", op, number)
        if name == "isdeleted":
            if not value.is_word("TRUE", "FALSE"):
                raise SoqlError("IsDeleted compares with true or false", "INVALID_QUERY_FILTER_OPERATOR")
            return criteria.restrict("deleted", op, value.is_word("TRUE"))
    except ValueError as exc:
        if isinstance(exc, SoqlError):
            raise
        raise SoqlError(f"the sandbox cannot filter with {condition.field} {op}: {exc}") from None
    raise SoqlError(
        f"the sandbox filters on SystemModstamp, LastModifiedDate, Id and IsDeleted, not {condition.field}"
    )


def _order_by(kind: EntityKind, stream: TokenStream) -> Order:
    if not stream.accept_word("ORDER"):
        return Order(SortKey.ID)
    stream.expect_word("BY")
    names: list[str] = []
    directions: set[bool] = set()
    while True:
        names.append(_field(kind, stream.expect("word").text).lower())
        descending = stream.accept_word("DESC")
        if not descending:
            stream.accept_word("ASC")
        directions.add(descending)
        if stream.accept_word("NULLS") and not (stream.accept_word("FIRST") or stream.accept_word("LAST")):
            raise QuerySyntaxError("expected FIRST or LAST after NULLS")
        if not (stream.peek().kind == "punct" and stream.peek().text == ","):
            break
        stream.next()
    if len(directions) > 1:
        raise SoqlError("the sandbox orders every field in one direction")
    descending = directions == {True}
    if names == ["id"]:
        return Order(SortKey.ID, descending)
    if len(names) in (1, 2) and names[0] in _MODIFIED and names[1:] in ([], ["id"]):
        return Order(SortKey.MODIFIED, descending)
    raise SoqlError("the sandbox orders by Id, or by SystemModstamp/LastModifiedDate then Id")


def _limit(stream: TokenStream) -> int | None:
    if stream.accept_word("OFFSET"):
        raise SoqlError(
            "the sandbox does not support OFFSET; page with nextRecordsUrl or a WHERE on the last key"
        )
    if not stream.accept_word("LIMIT"):
        return None
    token = stream.expect("number")
    if not token.text.isdigit():
        raise SoqlError(f"LIMIT must be a non-negative integer, not {token.text}")
    if stream.accept_word("OFFSET"):
        raise SoqlError(
            "the sandbox does not support OFFSET; page with nextRecordsUrl or a WHERE on the last key"
        )
    return int(token.text)
