"""Bulk loading of parsed CRM records into Hireflow's tables, inside the caller's transaction.

Two strategies, one result:

- **Records owned by one CRM record** (client companies, job openings, applications, placements) are upserted on
  ``(company_group_id, source, external_id)``. On PostgreSQL the batch is COPied into a temporary table, then one
  ``INSERT … SELECT … ON CONFLICT DO UPDATE … WHERE content_hash IS DISTINCT FROM …`` touches only the rows whose
  content changed, and ``RETURNING (xmax = 0)`` tells inserts from updates. On SQLite, the same upsert runs as a
  batched ``executemany``, and a look-up of the batch's stored hashes tells the three apart.
- **Candidates** are Hireflow's own people, which a CRM record *links to*: by external id first, then by
  normalised phone number (unique per company group), then by e-mail. A matched candidate takes the CRM's
  values where the CRM has one; an unmatched record becomes a new candidate (a lead from ``crm``). New
  candidates are bulk-inserted, changed ones updated in bulk; the link (``candidate_external_ids``) keeps the
  record's content hash. A batch ends as its records would one at a time (see :class:`_CandidatePlan`), so where
  a CRM's pages begin and end changes nothing.

A record that cannot be loaded (an application whose candidate or job opening Hireflow does not have, a phone
number that another candidate holds) is returned as a rejection for the dead-letter table.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    String,
    Table,
    and_,
    any_,
    bindparam,
    cast,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from hireflow.domain.models.crm_sync import (
    ApplicationImport,
    CandidateImport,
    ClientCompanyImport,
    CrmEntity,
    ImportRecord,
    JobImport,
    PlacementImport,
    SourceRecord,
)
from hireflow.infra.db import tables as t
from hireflow.infra.db.base import Base
from hireflow.infra.db.bulk import bulk_insert

Rejection = tuple[SourceRecord, list[dict[str, object]]]
Parsed = tuple[SourceRecord, ImportRecord]

CANDIDATE_FIELDS = (
    "first_name",
    "last_name",
    "phone_e164",
    "email",
    "headline",
    "skills",
    "summary",
    "city",
    "region",
    "country",
    "postal_code",
    "salary_expectation_minor",
    "available_from",
    "source_detail",
)
"""The candidate columns a CRM record carries. A value the CRM leaves empty never erases Hireflow's, and
``source_detail`` (where the candidate came from) is set only on the candidates a CRM creates."""


def table_of(kind: type[Base]) -> Table:
    """The Core table of a mapped class (typed as a Table, which every Hireflow table is)."""
    table = kind.__table__
    assert isinstance(table, Table)
    return table


OWNED_TABLES: Mapping[CrmEntity, Table] = {
    CrmEntity.CLIENT_COMPANIES: table_of(t.ClientCompany),
    CrmEntity.JOBS: table_of(t.Job),
    CrmEntity.APPLICATIONS: table_of(t.Application),
    CrmEntity.PLACEMENTS: table_of(t.Placement),
}


@dataclass(frozen=True)
class Destination:
    """Where a batch goes: one company group, one source, one entity, inside the caller's transaction."""

    connection: Connection
    company_group_id: int
    source: str
    entity: CrmEntity
    now: datetime


@dataclass
class LoadResult:
    """What loading a batch did; ``loaded`` holds the external ids now in Hireflow (for dead-letter upkeep)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)


def load_records(to: Destination, records: Sequence[Parsed]) -> LoadResult:
    """Upsert ``records`` (the last of two with one external id wins)."""
    unique = list({parsed.external_id: (raw, parsed) for raw, parsed in records}.values())
    if not unique:
        return LoadResult()
    if to.entity is CrmEntity.CANDIDATES:
        return _CandidateLoader(to.connection, to.company_group_id, to.source, to.now).load(unique)
    rows, rejected = _owned_rows(to, unique)
    result = _upsert_owned(to, rows)
    result.rejected.extend(rejected)
    return result


def soft_delete(to: Destination, external_ids: Iterable[str]) -> int:
    """Soft-delete the live records the source knows by ``external_ids``; how many were live."""
    connection, company_group_id, source, entity, now = (
        to.connection,
        to.company_group_id,
        to.source,
        to.entity,
        to.now,
    )
    ids = sorted(set(external_ids))
    if not ids:
        return 0
    if entity is CrmEntity.CANDIDATES:
        links = table_of(t.CandidateExternalId)
        owners = select(links.c.candidate_id).where(
            links.c.company_group_id == company_group_id,
            links.c.source == source,
            one_of(connection, links.c.external_id, "ids"),
        )
        candidates = table_of(t.Candidate)
        statement = (
            update(candidates)
            .where(
                candidates.c.company_group_id == company_group_id,
                candidates.c.id.in_(owners.scalar_subquery()),
                candidates.c.deleted_at.is_(None),
            )
            .values(deleted_at=now, updated_at=now)
        )
    else:
        table = OWNED_TABLES[entity]
        statement = (
            update(table)
            .where(
                table.c.company_group_id == company_group_id,
                table.c.source == source,
                one_of(connection, table.c.external_id, "ids"),
                table.c.deleted_at.is_(None),
            )
            .values(deleted_at=now, updated_at=now)
        )
    total = 0
    for chunk in value_groups(connection, ids):
        total += connection.execute(statement, {"ids": chunk}).rowcount
    return total


def live_external_ids(
    connection: Connection, company_group_id: int, source: str, entity: CrmEntity
) -> set[str]:
    """The external ids of ``source``'s live records of ``entity``."""
    if entity is CrmEntity.CANDIDATES:
        links, candidates = table_of(t.CandidateExternalId), table_of(t.Candidate)
        query = (
            select(links.c.external_id)
            .join(candidates, candidates.c.id == links.c.candidate_id)
            .where(
                links.c.company_group_id == company_group_id,
                links.c.source == source,
                candidates.c.deleted_at.is_(None),
            )
        )
    else:
        table = OWNED_TABLES[entity]
        query = select(table.c.external_id).where(
            table.c.company_group_id == company_group_id,
            table.c.source == source,
            table.c.deleted_at.is_(None),
        )
    return {str(value) for value in connection.scalars(query)}


# -- records owned by one CRM record ---------------------------------------------------------------------------
def _owned_rows(
    to: Destination, records: Sequence[Parsed]
) -> tuple[list[tuple[SourceRecord, dict[str, Any]]], list[Rejection]]:
    """The rows to upsert, with references to other CRM records turned into Hireflow ids."""
    company_group_id, source, entity, now = to.company_group_id, to.source, to.entity, to.now
    refs = _References(to.connection, company_group_id, source)
    if entity is CrmEntity.JOBS:
        refs.need(t.ClientCompany, (p.client_company_ref for _, p in records if isinstance(p, JobImport)))
    elif entity in (CrmEntity.APPLICATIONS, CrmEntity.PLACEMENTS):
        refs.need_candidates(
            p.candidate_ref for _, p in records if isinstance(p, ApplicationImport | PlacementImport)
        )
        refs.need(
            t.Job, (p.job_ref for _, p in records if isinstance(p, ApplicationImport | PlacementImport))
        )
    rows: list[tuple[SourceRecord, dict[str, Any]]] = []
    rejected: list[Rejection] = []
    for raw, parsed in records:
        values: dict[str, Any] = {
            "company_group_id": company_group_id,
            "source": source,
            "external_id": parsed.external_id,
            "content_hash": parsed.content_hash(),
            "source_modified_at": parsed.modified_at,
            "deleted_at": None,
            "created_at": now,
            "updated_at": now,
        }
        content = parsed.model_dump(exclude={"external_id", "modified_at"})
        if isinstance(parsed, ClientCompanyImport):
            values.update(content)
        elif isinstance(parsed, JobImport):
            content.pop("client_company_ref")
            values.update(content, client_company_id=refs.id_of(t.ClientCompany, parsed.client_company_ref))
        elif isinstance(parsed, ApplicationImport | PlacementImport):
            candidate_id = refs.candidate_id(parsed.candidate_ref)
            job_id = refs.id_of(t.Job, parsed.job_ref)
            errors: list[dict[str, object]] = [
                {"field": field_name, "message": f"{source} record {ref!r} is not in Hireflow (yet)"}
                for field_name, ref, found in (
                    ("candidate_ref", parsed.candidate_ref, candidate_id),
                    ("job_ref", parsed.job_ref, job_id),
                )
                if found is None
            ]
            if errors:
                rejected.append((raw, errors))
                continue
            content.pop("candidate_ref")
            content.pop("job_ref")
            values.update(content, candidate_id=candidate_id, job_id=job_id)
        else:  # pragma: no cover - every owned entity is handled above
            raise TypeError(f"cannot load {type(parsed).__name__} as {entity.value}")
        for key in ("status", "salary_unit", "employment_type"):
            if key in values and values[key] is not None:
                values[key] = str(values[key].value if hasattr(values[key], "value") else values[key])
        rows.append((raw, values))
    return rows, rejected


def _upsert_owned(to: Destination, rows: Sequence[tuple[SourceRecord, dict[str, Any]]]) -> LoadResult:
    connection, table = to.connection, OWNED_TABLES[to.entity]
    result = LoadResult(loaded=[values["external_id"] for _, values in rows])
    if not rows:
        return result
    payload = [values for _, values in rows]
    keys = list(payload[0])
    changeable = [
        key for key in keys if key not in ("company_group_id", "source", "external_id", "created_at")
    ]
    if connection.dialect.name == "postgresql":
        staging = _stagingtable_of(connection, table, keys)
        bulk_insert(connection, staging, payload)
        column_list = ", ".join(keys)
        assignments = ", ".join(f"{key} = EXCLUDED.{key}" for key in changeable)
        flags = connection.execute(
            text(
                f"INSERT INTO {table.name} ({column_list}) SELECT {column_list} FROM {staging.name} "  # noqa: S608
                f"ON CONFLICT (company_group_id, source, external_id) DO UPDATE SET {assignments} "
                f"WHERE {table.name}.content_hash IS DISTINCT FROM EXCLUDED.content_hash "
                f"OR {table.name}.deleted_at IS NOT NULL "
                "RETURNING (xmax = 0)"
            )
        ).scalars()
        written = list(flags)
        result.inserted = sum(1 for inserted in written if inserted)
        result.updated = len(written) - result.inserted
        result.unchanged = len(payload) - len(written)
        connection.execute(text(f"DROP TABLE {staging.name}"))
        return result
    stored = _stored_state(to, table, [values["external_id"] for values in payload])
    changed = []
    for values in payload:
        previous = stored.get(values["external_id"])
        if previous is None:
            result.inserted += 1
            changed.append(values)
        elif previous != (values["content_hash"], None):
            result.updated += 1
            changed.append(values)
        else:
            result.unchanged += 1
    if changed:
        statement = sqlite.insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=["company_group_id", "source", "external_id"],
            set_={key: statement.excluded[key] for key in changeable},
        )
        connection.execute(statement, changed)
    return result


def _stored_state(
    to: Destination, table: Table, external_ids: Sequence[str]
) -> dict[str, tuple[str | None, datetime | None]]:
    connection = to.connection
    found: dict[str, tuple[str | None, datetime | None]] = {}
    query = select(table.c.external_id, table.c.content_hash, table.c.deleted_at).where(
        table.c.company_group_id == to.company_group_id,
        table.c.source == to.source,
        one_of(to.connection, table.c.external_id, "ids"),
    )
    for chunk in value_groups(to.connection, external_ids):
        for external_id, content_hash, deleted_at in connection.execute(query, {"ids": chunk}):
            found[external_id] = (content_hash, deleted_at)
    return found


def _stagingtable_of(connection: Connection, table: Table, keys: Sequence[str]) -> Table:
    """An empty temporary table with ``keys`` of ``table`` (same types), dropped at commit."""
    name = f"_load_{table.name}"
    columns = ", ".join(keys)
    connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
    create = (
        f"CREATE TEMPORARY TABLE {name} ON COMMIT DROP AS SELECT {columns} FROM {table.name} WITH NO DATA"  # noqa: S608 - identifiers of our own tables
    )
    connection.execute(text(create))
    return Table(name, MetaData(), *(Column(key, table.c[key].type) for key in keys))


class _References:
    """Hireflow ids of the CRM records a batch refers to, looked up once per batch."""

    def __init__(self, connection: Connection, company_group_id: int, source: str) -> None:
        self._connection, self._cg, self._source = connection, company_group_id, source
        self._ids: dict[tuple[str, str], int] = {}

    def need(self, kind: type[Base], refs: Iterable[str | None]) -> None:
        table = table_of(kind)
        wanted = sorted({ref for ref in refs if ref is not None})
        query = select(table.c.external_id, table.c.id).where(
            table.c.company_group_id == self._cg,
            table.c.source == self._source,
            table.c.deleted_at.is_(None),
            one_of(self._connection, table.c.external_id, "ids"),
        )
        for chunk in value_groups(self._connection, wanted):
            for external_id, row_id in self._connection.execute(query, {"ids": chunk}):
                self._ids[(table.name, external_id)] = row_id

    def need_candidates(self, refs: Iterable[str]) -> None:
        links, candidates = table_of(t.CandidateExternalId), table_of(t.Candidate)
        wanted = sorted(set(refs))
        query = (
            select(links.c.external_id, links.c.candidate_id)
            .join(candidates, candidates.c.id == links.c.candidate_id)
            .where(
                links.c.company_group_id == self._cg,
                links.c.source == self._source,
                one_of(self._connection, links.c.external_id, "ids"),
                candidates.c.deleted_at.is_(None),
            )
        )
        for chunk in value_groups(self._connection, wanted):
            for external_id, candidate_id in self._connection.execute(query, {"ids": chunk}):
                self._ids[("candidates", external_id)] = candidate_id

    def id_of(self, kind: type[Base], ref: str | None) -> int | None:
        if ref is None:
            return None
        return self._ids.get((kind.__tablename__, ref))

    def candidate_id(self, ref: str) -> int | None:
        return self._ids.get(("candidates", ref))


# -- candidates -------------------------------------------------------------------------------------------------
@dataclass(slots=True, eq=False)
class _Candidate:
    """A candidate as the batch's earlier records have left it: one Hireflow has, or a new one of the batch.

    ``order`` sorts candidates oldest first: an existing candidate's id, or for a new one its place after every
    existing candidate (the sequence hands new ids out in that order).
    """

    id: int | None  # None until a new candidate is written
    order: int
    phone: str
    email: str | None
    live: bool
    merged_into_id: int | None = None
    stored_phone: str | None = None  # an existing candidate's number in the database
    created_by: CandidateImport | None = None  # a new candidate: the record that created it
    changes: dict[str, Any] | None = None  # a new candidate: the values later records of the batch gave it


@dataclass(frozen=True)
class _Link:
    """A CRM record already linked to a candidate."""

    candidate_id: int
    content_hash: str | None


_NEW_ORDER = 1 << 62  # above every id: new candidates are younger than all existing ones


class _CandidatePlan:
    """Where each record of a batch goes: a new candidate, or an existing one (and which of its values change).

    The plan decides as if the batch's records were loaded one at a time, so the outcome does not depend on where
    pages begin and end. It starts from what the database holds of the candidates the batch can reach (see
    :meth:`_CandidateLoader.load`) and keeps that picture up to date as it decides: a new candidate of the batch
    can be joined by phone or e-mail by a later record, a number a candidate gives up is free for a later one, an
    update brings a deleted candidate back into the e-mail look-up.

    Phone numbers are unique per company group: a record whose number another candidate holds is refused (the two
    are probably one person: a merge is for a human to decide).
    """

    def __init__(
        self, linked: Mapping[str, _Link], known: Mapping[int, _Candidate], owners: Iterable[_Candidate]
    ) -> None:
        self.linked = linked
        self.new_candidates: list[_Candidate] = []
        self.updates: dict[int, dict[str, Any]] = {}
        self.links: list[tuple[CandidateImport, _Candidate]] = []
        self.inserted: set[str] = set()  # external ids of the records that created a candidate
        self.number_reused = False  # a number an existing candidate gave up went to another
        self._by_id: dict[int, _Candidate] = {}
        self._holders: dict[str, _Candidate] = {}  # phone -> who holds it now (deleted and merged ones too)
        self._owners: dict[str, list[_Candidate]] = {}  # e-mail -> live, unmerged holders, oldest first
        self._given_up: set[str] = set()  # numbers existing candidates of the batch gave up
        for candidate_id, candidate in known.items():
            self._by_id[candidate_id] = candidate
            self._holders[candidate.phone] = candidate
        for candidate in sorted(owners, key=_oldest_first):
            if candidate.email is not None:
                self._owners.setdefault(candidate.email, []).append(candidate)

    def unchanged(self, link: _Link, content_hash: str) -> bool:
        """The record is linked, its content is what the link saw last, and its candidate is live."""
        return link.content_hash == content_hash and self._by_id[link.candidate_id].live

    def place(self, parsed: CandidateImport, link: _Link | None) -> str | None:
        """Decide where ``parsed`` goes; a reason it cannot go anywhere, or None."""
        phone = parsed.phone_e164
        holder = self._holders.get(phone)
        held_by = None if holder is None else self._kept(holder)
        target = self._by_id[link.candidate_id] if link is not None else held_by
        if target is None and parsed.email is not None:
            owners = self._owners.get(parsed.email)
            target = owners[0] if owners else None
        if holder is not None and held_by is not target:
            return f"{phone} belongs to another candidate in Hireflow; merge the two or fix the number in the CRM"
        if target is None:
            self._create(parsed)
            return None
        changes = _changes(parsed)
        if holder is not None and holder is not target:
            del changes["phone_e164"]  # the number stays with the merged-away duplicate that holds it
        self._change(target, changes)
        self.links.append((parsed, target))
        return None

    def _kept(self, holder: _Candidate) -> _Candidate:
        """A merged-away duplicate's number counts as the kept candidate's."""
        if holder.merged_into_id is None:
            return holder
        return self._by_id[holder.merged_into_id]

    def _create(self, parsed: CandidateImport) -> None:
        candidate = _Candidate(
            None,
            _NEW_ORDER + len(self.new_candidates),
            parsed.phone_e164,
            parsed.email,
            live=True,
            created_by=parsed,
        )
        self.new_candidates.append(candidate)
        self.inserted.add(parsed.external_id)
        self._take(candidate, candidate.phone)
        if candidate.email is not None:
            self._owners.setdefault(candidate.email, []).append(candidate)  # the youngest: last
        self.links.append((parsed, candidate))

    def _change(self, candidate: _Candidate, changes: dict[str, Any]) -> None:
        """``candidate`` takes ``changes``, and is live again (what an update does)."""
        if candidate.id is None:
            candidate.changes = {**(candidate.changes or {}), **changes}
        else:
            self.updates[candidate.id] = {**self.updates.get(candidate.id, {}), **changes}
        phone = changes.get("phone_e164", candidate.phone)
        if phone != candidate.phone:
            del self._holders[candidate.phone]
            if candidate.id is not None:
                self._given_up.add(candidate.phone)
            candidate.phone = phone
            self._take(candidate, phone)
        email = changes.get("email", candidate.email)
        if email != candidate.email or not candidate.live:
            self._disown(candidate)
            candidate.email, candidate.live = email, True
            self._own(candidate)

    def _take(self, candidate: _Candidate, phone: str) -> None:
        self._holders[phone] = candidate
        if phone in self._given_up:
            self.number_reused = True

    def _own(self, candidate: _Candidate) -> None:
        if candidate.email is not None and candidate.live and candidate.merged_into_id is None:
            insort(self._owners.setdefault(candidate.email, []), candidate, key=_oldest_first)

    def _disown(self, candidate: _Candidate) -> None:
        owners = self._owners.get(candidate.email or "")
        if owners is not None and candidate in owners:
            owners.remove(candidate)

    def numbers_to_park(self) -> list[int]:
        """Existing candidates whose number changes, when one of the numbers they give up goes to another
        candidate of the batch: their updates, in any order, would meet the unique index half-way."""
        if not self.number_reused:
            return []
        return [
            candidate_id
            for candidate_id, values in self.updates.items()
            if values.get("phone_e164", self._by_id[candidate_id].stored_phone)
            != self._by_id[candidate_id].stored_phone
        ]


def _oldest_first(candidate: _Candidate) -> int:
    return candidate.order


def _known(
    candidate_id: int, phone: str, email: str | None, deleted_at: datetime | None, merged_into_id: int | None
) -> _Candidate:
    """An existing candidate as the database holds it."""
    return _Candidate(
        candidate_id,
        candidate_id,
        phone,
        email,
        live=deleted_at is None,
        merged_into_id=merged_into_id,
        stored_phone=phone,
    )


def _changes(parsed: CandidateImport) -> dict[str, Any]:
    """The CRM's non-empty values (an empty one never erases what Hireflow has)."""
    values = {
        key: value
        for key, value in parsed.model_dump(include=set(CANDIDATE_FIELDS) - {"source_detail"}).items()
        if value not in (None, "", [])
    }
    if parsed.email is not None:
        values["email"] = str(parsed.email)
    return values


# The sequence is named once (a materialised CTE): named per row, its text was cast to regclass for every id,
# a catalogue look-up that made reserving 5,000 ids ten times as slow. One array comes back, not 5,000 rows.
_RESERVE_CANDIDATE_IDS = text(
    "WITH sequence AS MATERIALIZED (SELECT pg_get_serial_sequence('candidates', 'id')::regclass AS id)"
    " SELECT array_agg(nextval(sequence.id)) FROM sequence, generate_series(1, :n)"
)


class _CandidateLoader:
    """Links CRM candidates to Hireflow candidates, creating and updating them in bulk."""

    def __init__(self, connection: Connection, company_group_id: int, source: str, now: datetime) -> None:
        self.connection, self.cg, self.source, self.now = connection, company_group_id, source, now
        self.candidates: Table = table_of(t.Candidate)
        self.links: Table = table_of(t.CandidateExternalId)

    def load(self, records: Sequence[Parsed]) -> LoadResult:
        result = LoadResult()
        imports = [(raw, parsed) for raw, parsed in records if isinstance(parsed, CandidateImport)]
        hashes = {parsed.external_id: parsed.content_hash() for _, parsed in imports}
        plan = self._plan([parsed for _, parsed in imports])
        for raw, parsed in imports:
            link = plan.linked.get(parsed.external_id)
            if link is not None and plan.unchanged(link, hashes[parsed.external_id]):
                result.unchanged += 1
                result.loaded.append(parsed.external_id)
                continue
            problem = plan.place(parsed, link)
            if problem is not None:
                result.rejected.append((raw, [{"field": "phone", "message": problem}]))
                continue
            if parsed.external_id in plan.inserted:
                result.inserted += 1
            else:
                result.updated += 1
            result.loaded.append(parsed.external_id)
        # Numbers given up and taken again within the batch are parked first: the writes can come in any order.
        self._park_numbers(plan.numbers_to_park())
        self._update_candidates(plan.updates)
        self._insert_candidates(plan.new_candidates)
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for parsed, candidate in plan.links:
            row = {
                "company_group_id": self.cg,
                "source": self.source,
                "external_id": parsed.external_id,
                "content_hash": hashes[parsed.external_id],
                "source_modified_at": parsed.modified_at,
                "candidate_id": candidate.id,
            }
            (updates if parsed.external_id in plan.linked else inserts).append(row)
        self._write_links(inserts, updates)
        return result

    def _plan(self, imports: Sequence[CandidateImport]) -> _CandidatePlan:
        """A plan that knows every candidate the batch can reach: the linked ones, the holders of its numbers,
        the live owners of its unlinked records' e-mails, and the candidates merged-away holders were merged into.
        """
        columns = self.candidates.c
        linked, known = self._linked([parsed.external_id for parsed in imports])
        for candidate_id, candidate in self._reachable(
            columns.phone_e164, [p.phone_e164 for p in imports]
        ).items():
            known.setdefault(candidate_id, candidate)
        emails = [p.email for p in imports if p.email is not None and p.external_id not in linked]
        owners = [
            known.setdefault(candidate_id, candidate)
            for candidate_id, candidate in self._reachable(columns.email, emails, live=True).items()
        ]
        kept = {c.merged_into_id for c in known.values() if c.merged_into_id is not None} - set(known)
        if kept:
            for candidate_id, candidate in self._reachable(columns.id, sorted(kept)).items():
                known.setdefault(candidate_id, candidate)
        return _CandidatePlan(linked, known, owners)

    def _linked(self, external_ids: Sequence[str]) -> tuple[dict[str, _Link], dict[int, _Candidate]]:
        """The batch's records already linked to a candidate, by CRM id, and those candidates by id."""
        links, candidates = self.links, self.candidates
        query = (
            select(links.c.external_id, links.c.content_hash, *self._candidate_columns())
            .join(candidates, candidates.c.id == links.c.candidate_id)
            .where(
                links.c.company_group_id == self.cg,
                links.c.source == self.source,
                one_of(self.connection, links.c.external_id, "ids"),
            )
        )
        found: dict[str, _Link] = {}
        known: dict[int, _Candidate] = {}
        for chunk in value_groups(self.connection, sorted(set(external_ids))):
            for external_id, content_hash, *columns in self.connection.execute(query, {"ids": chunk}):
                known.setdefault(columns[0], _known(*columns))
                found[external_id] = _Link(columns[0], content_hash)
        return found, known

    def _reachable(
        self, column: Column[Any], values: Sequence[Any], *, live: bool = False
    ) -> dict[int, _Candidate]:
        """The candidates whose ``column`` is one of ``values`` (deleted and merged-away ones too, unless
        ``live``)."""
        table = self.candidates
        query = select(*self._candidate_columns()).where(
            table.c.company_group_id == self.cg, one_of(self.connection, column, "values")
        )
        if live:
            query = query.where(table.c.deleted_at.is_(None), table.c.merged_into_id.is_(None))
        found: dict[int, _Candidate] = {}
        for chunk in value_groups(self.connection, sorted(set(values))):
            for columns in self.connection.execute(query, {"values": chunk}):
                found[columns[0]] = _known(*columns)
        return found

    def _candidate_columns(self) -> tuple[Column[Any], ...]:
        c = self.candidates.c
        return (c.id, c.phone_e164, c.email, c.deleted_at, c.merged_into_id)

    def _new_rows(self, new_candidates: Sequence[_Candidate]) -> list[dict[str, Any]]:
        """The candidate rows of new candidates, as :func:`bulk_insert` takes them."""
        same_for_all = {
            "company_group_id": self.cg,
            "source": "crm",
            "funnel_state": "lead",
            "entered_at": self.now,
            "created_at": self.now,
            "updated_at": self.now,
        }
        rows = []
        for candidate in new_candidates:
            parsed = candidate.created_by
            assert parsed is not None
            # A pydantic model's __dict__ holds its field values: far cheaper than model_dump, per record.
            fields = parsed.__dict__
            row = {name: fields[name] for name in CANDIDATE_FIELDS}
            row.update(same_for_all)
            if not parsed.source_detail:
                row["source_detail"] = self.source
            if candidate.changes:
                row.update(candidate.changes)
            rows.append(row)
        return rows

    def _insert_candidates(self, new_candidates: Sequence[_Candidate]) -> None:
        """Insert new candidates and give them their ids.

        On PostgreSQL the ids are taken from the table's sequence first and the rows COPied with them, so no
        query has to find them again (right after a bulk insert the planner's statistics still describe the
        table before it, and a look-up by phone would scan it). SQLite finds them by phone on its unique index.
        """
        if not new_candidates:
            return
        rows = self._new_rows(new_candidates)
        if self.connection.dialect.name == "postgresql":
            ids = self.connection.execute(_RESERVE_CANDIDATE_IDS, {"n": len(rows)}).scalar_one()
            for row, candidate, row_id in zip(rows, new_candidates, ids, strict=True):
                row["id"] = candidate.id = row_id
            bulk_insert(self.connection, self.candidates, rows)
            return
        bulk_insert(self.connection, self.candidates, rows)
        found = self._reachable(
            self.candidates.c.phone_e164, [candidate.phone for candidate in new_candidates]
        )
        ids = {candidate.phone: row_id for row_id, candidate in found.items()}
        for candidate in new_candidates:
            candidate.id = ids[candidate.phone]

    def _park_numbers(self, candidate_ids: Sequence[int]) -> None:
        """Give ``candidate_ids`` a number no one has ('+0' and their id: E.164 numbers never start with 0), so
        their updates can then take their new numbers in any order."""
        if not candidate_ids:
            return
        table = self.candidates
        statement = (
            update(table)
            .where(table.c.company_group_id == self.cg, one_of(self.connection, table.c.id, "ids"))
            .values(phone_e164=literal("+0") + cast(table.c.id, String))
        )
        for chunk in value_groups(self.connection, candidate_ids):
            self.connection.execute(statement, {"ids": chunk})

    def _update_candidates(self, updates: Mapping[int, dict[str, Any]]) -> None:
        """One statement per set of changed columns (records of one CRM mostly carry the same fields)."""
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for candidate_id, values in updates.items():
            by_columns.setdefault(tuple(sorted(values)), []).append({"_id": candidate_id, **values})
        table = self.candidates
        for columns, rows in by_columns.items():
            statement = (
                update(table)
                .where(and_(table.c.id == bindparam("_id"), table.c.company_group_id == self.cg))
                .values(
                    {
                        **{column: bindparam(column) for column in columns},
                        "deleted_at": None,
                        "updated_at": self.now,
                    }
                )
            )
            self.connection.execute(statement, rows)

    def _write_links(self, inserts: list[dict[str, Any]], updates: list[dict[str, Any]]) -> None:
        if inserts:
            bulk_insert(
                self.connection,
                self.links,
                [{**row, "created_at": self.now, "updated_at": self.now} for row in inserts],
            )
        if updates:
            links = self.links
            statement = (
                update(links)
                .where(
                    links.c.company_group_id == self.cg,
                    links.c.source == self.source,
                    links.c.external_id == bindparam("_external_id"),
                )
                .values(
                    content_hash=bindparam("_content_hash"),
                    source_modified_at=bindparam("_source_modified_at"),
                    candidate_id=bindparam("_candidate_id"),
                    updated_at=self.now,
                )
            )
            self.connection.execute(
                statement,
                [
                    {
                        "_external_id": row["external_id"],
                        "_content_hash": row["content_hash"],
                        "_source_modified_at": row["source_modified_at"],
                        "_candidate_id": row["candidate_id"],
                    }
                    for row in updates
                ],
            )


def one_of(connection: Connection, column: Any, name: str) -> Any:
    """``column`` is one of the values bound to ``name``: ``= ANY(array)`` on PostgreSQL (one short statement
    whatever the count), an expanding ``IN`` elsewhere (fed in groups by :func:`_groups`)."""
    if connection.dialect.name == "postgresql":
        return column == any_(bindparam(name, type_=postgresql.ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


def value_groups(connection: Connection, values: Sequence[Any]) -> Iterable[list[Any]]:
    """``values`` in one group on PostgreSQL, in groups under SQLite's 999-variable limit elsewhere."""
    if connection.dialect.name == "postgresql":
        if values:
            yield list(values)
        return
    yield from _chunks(values, 900)


def _chunks(values: Sequence[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])
