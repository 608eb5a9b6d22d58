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
  record's content hash.

A record that cannot be loaded (an application whose candidate or job opening Hireflow does not have, a phone
number that another candidate holds) is returned as a rejection for the dead-letter table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, MetaData, Table, and_, any_, bindparam, select, text, update
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
@dataclass(frozen=True)
class _Existing:
    """A candidate holding a phone number (deleted ones too: the number stays theirs)."""

    id: int
    phone: str
    merged_into_id: int | None


@dataclass(frozen=True)
class _Link:
    """A CRM record already linked to a candidate."""

    candidate_id: int
    content_hash: str | None
    deleted: bool


class _CandidatePlan:
    """Where each record of a batch goes: a new candidate, or an existing one (and which of its values change).

    Phone numbers are unique per company group, so the plan tracks who holds each number as it decides: a
    record whose number another candidate holds is refused (the two are probably one person: a merge is for a
    human to decide), and two records with one new number make one new candidate.
    """

    def __init__(self) -> None:
        self.new_candidates: list[CandidateImport] = []
        self.updates: dict[int, dict[str, Any]] = {}
        self.links: list[
            tuple[CandidateImport, int | None]
        ] = []  # target None: the new candidate with its phone
        self._holders: dict[str, int | None] = {}  # phone -> candidate id (None: a new one of this batch)
        self._new: set[str] = set()

    def creates(self, parsed: CandidateImport) -> bool:
        return parsed.external_id in self._new

    def place(
        self,
        parsed: CandidateImport,
        link: _Link | None,
        holder: _Existing | None,
        emails: Mapping[str, int],
    ) -> str | None:
        """Decide where ``parsed`` goes; a reason it cannot go anywhere, or None."""
        phone = parsed.phone_e164
        in_batch = phone in self._holders
        if in_batch:
            held_by = self._holders[phone]
        elif holder is not None:
            held_by = holder.merged_into_id or holder.id  # a merged-away duplicate's number is the kept one's
        else:
            held_by = None
        claimed = in_batch or holder is not None
        target = link.candidate_id if link is not None else None
        if target is None and claimed:
            target = held_by
        if target is None and not in_batch and parsed.email is not None:
            target = emails.get(parsed.email.lower())
        if target is not None and claimed and held_by != target:
            return f"{phone} belongs to another candidate in Hireflow; merge the two or fix the number in the CRM"
        if target is None and in_batch:  # a new candidate of this batch has the number
            self.links.append((parsed, None))
            return None
        if target is None:
            self._holders[phone] = None
            self._new.add(parsed.external_id)
            self.new_candidates.append(parsed)
            self.links.append((parsed, None))
            return None
        changes = _changes(parsed)
        if holder is not None and holder.merged_into_id == target:
            changes.pop("phone_e164")  # the number stays with the merged-away duplicate
        self.updates[target] = {**self.updates.get(target, {}), **changes}
        self._holders[phone] = target
        self.links.append((parsed, target))
        return None


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
        linked = self._linked(list(hashes))
        holders = self._by_phone([parsed.phone_e164 for _, parsed in imports])
        # The e-mail decides only for a record neither linked nor matched by phone (see _CandidatePlan.place).
        emails = self._by_email(
            [
                str(p.email)
                for _, p in imports
                if p.email is not None and p.external_id not in linked and p.phone_e164 not in holders
            ]
        )
        plan = _CandidatePlan()
        for raw, parsed in imports:
            link = linked.get(parsed.external_id)
            if link is not None and link.content_hash == hashes[parsed.external_id] and not link.deleted:
                result.unchanged += 1
                result.loaded.append(parsed.external_id)
                continue
            problem = plan.place(parsed, link, holders.get(parsed.phone_e164), emails)
            if problem is not None:
                result.rejected.append((raw, [{"field": "phone", "message": problem}]))
                continue
            if plan.creates(parsed):
                result.inserted += 1
            else:
                result.updated += 1
            result.loaded.append(parsed.external_id)
        created = self._insert_candidates(self._new_rows(plan.new_candidates))
        self._update_candidates(plan.updates)
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for parsed, target in plan.links:
            candidate_id = target if target is not None else created[parsed.phone_e164]
            row = {
                "company_group_id": self.cg,
                "source": self.source,
                "external_id": parsed.external_id,
                "content_hash": hashes[parsed.external_id],
                "source_modified_at": parsed.modified_at,
                "candidate_id": candidate_id,
            }
            (updates if parsed.external_id in linked else inserts).append(row)
        self._write_links(inserts, updates)
        return result

    def _linked(self, external_ids: Sequence[str]) -> dict[str, _Link]:
        """The batch's records already linked to a candidate, by CRM id."""
        links, candidates = self.links, self.candidates
        query = (
            select(links.c.external_id, links.c.candidate_id, links.c.content_hash, candidates.c.deleted_at)
            .join(candidates, candidates.c.id == links.c.candidate_id)
            .where(
                links.c.company_group_id == self.cg,
                links.c.source == self.source,
                one_of(self.connection, links.c.external_id, "ids"),
            )
        )
        found: dict[str, _Link] = {}
        for chunk in value_groups(self.connection, sorted(set(external_ids))):
            for external_id, candidate_id, content_hash, deleted_at in self.connection.execute(
                query, {"ids": chunk}
            ):
                found[external_id] = _Link(candidate_id, content_hash, deleted_at is not None)
        return found

    def _by_phone(self, phones: Sequence[str]) -> dict[str, _Existing]:
        table = self.candidates
        query = select(table.c.id, table.c.phone_e164, table.c.merged_into_id).where(
            table.c.company_group_id == self.cg, one_of(self.connection, table.c.phone_e164, "phones")
        )
        found: dict[str, _Existing] = {}
        for chunk in value_groups(self.connection, sorted(set(phones))):
            for row_id, phone, merged_into_id in self.connection.execute(query, {"phones": chunk}):
                found[phone] = _Existing(row_id, phone, merged_into_id)
        return found

    def _by_email(self, emails: Sequence[str]) -> dict[str, int]:
        """Live, unmerged candidates by lower-case e-mail (the oldest when several share one)."""
        table = self.candidates
        query = select(table.c.email, table.c.id).where(
            table.c.company_group_id == self.cg,
            one_of(self.connection, table.c.email, "emails"),
            table.c.deleted_at.is_(None),
            table.c.merged_into_id.is_(None),
        )  # no ORDER BY: SQLite would walk the table in id order rather than use the e-mail index
        found: dict[str, int] = {}
        for chunk in value_groups(self.connection, sorted({email.lower() for email in emails})):
            for email, row_id in self.connection.execute(query, {"emails": chunk}):
                found[email] = min(row_id, found.get(email, row_id))
        return found

    def _new_rows(self, imports: Sequence[CandidateImport]) -> list[dict[str, Any]]:
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
        for parsed in imports:
            # A pydantic model's __dict__ holds its field values: far cheaper than model_dump, per record.
            fields = parsed.__dict__
            row = {name: fields[name] for name in CANDIDATE_FIELDS}
            row.update(same_for_all)
            if parsed.email is not None:
                row["email"] = str(parsed.email)
            if not parsed.source_detail:
                row["source_detail"] = self.source
            rows.append(row)
        return rows

    def _insert_candidates(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        """Insert new candidates; their ids by phone number.

        On PostgreSQL the ids are taken from the table's sequence first and the rows COPied with them, so no
        query has to find them again (right after a bulk insert the planner's statistics still describe the
        table before it, and a look-up by phone would scan it). SQLite finds them by phone on its unique index.
        """
        if not rows:
            return {}
        if self.connection.dialect.name == "postgresql":
            ids = self.connection.execute(_RESERVE_CANDIDATE_IDS, {"n": len(rows)}).scalar_one()
            for row, row_id in zip(rows, ids, strict=True):
                row["id"] = row_id
            bulk_insert(self.connection, self.candidates, rows)
            return {row["phone_e164"]: row["id"] for row in rows}
        bulk_insert(self.connection, self.candidates, rows)
        return {
            phone: existing.id
            for phone, existing in self._by_phone([row["phone_e164"] for row in rows]).items()
        }

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
