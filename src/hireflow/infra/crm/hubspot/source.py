"""HubSpot's CRM v3 API as a :class:`~hireflow.domain.ports.crm_sync.CrmSource`.

**Signing in.** A private app's access token, sent as ``Authorization: Bearer <token>``. It does not expire, so a
401 means the token is wrong (or the app was deleted, or its token rotated): a ConfigurationError naming
``HIREFLOW_HUBSPOT_TOKEN``. A 403 means the app lacks the object's read scope.

**Live records: keyset searches, never ``after``.** Each page is a new ``POST /crm/v3/objects/{object}/search``
sorted ascending on the object's last-modified property (``lastmodifieddate`` for contacts,
``hs_lastmodifieddate`` for deals and companies), ``limit=200``, starting from the last record read:
``(modified > t) OR (modified = t AND hs_object_id > n)``, two filter groups (HubSpot ORs the groups and ANDs
the filters inside one). No search ever pages with ``after``, so the 10,000-results window of a search is never
reached however many records there are, and a record modified during the read (it moves to the end of the
order) cannot shift an unread record into a page already read, as it would with offsets.

HubSpot documents no order for records sharing a timestamp, so only whole timestamps are trusted: a page with
more behind it yields its records before its last timestamp, and the next search starts at that timestamp
(``GTE``). A page that is all one timestamp (a bulk import) is followed by reading that instant alone, sorted by
``hs_object_id`` and paged by id, and the read goes on after it (``GT``). Each search starts past where the one
before it started, so the read always ends.

**Deleted records.** Search never returns archived records. They are listed first
(``GET /crm/v3/objects/{object}?archived=true``, paged by id; HubSpot keeps them 90 days), those archived at or
after the cursor kept, and merged into the live pages by ``(archivedAt, id)``: every page is in
``(modified, id)`` order, so the cursor after a page never passes a record not yet read, archived or live, and
a sync stopped anywhere resumes without losing one. A contact whose name and contact details were erased
(GDPR) is deleted too.

**A snapshot.** A read from a cursor takes the records changed up to a horizon: the server's ``Date`` at the
read's first response, less ``settle_seconds``. Later changes wait for the next run (the cursor stays before
them). Without it, a change made while the read runs could land behind the cursor (an archive stamped before a
live change read later); the margin also covers HubSpot's search index, which shows a change a few seconds
after it is made. A read from the start (a first or a full sync) takes no horizon, as it must see every live
record (a full sync soft-deletes the ones it did not see); it lists the archived records again at its end, for
those archived while it ran.

**Failures.** 429, 5xx and timeouts are retried by :func:`hireflow.infra.crm.http.request` (honouring
``Retry-After``); each 429 is logged with HubSpot's ``policyName`` and ``X-HubSpot-RateLimit-*`` headers, and
the daily limit, which no retry outlasts, fails the run at once. A body cut short is asked for again.
"""

from __future__ import annotations

import email.utils
import functools
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from hireflow.domain.models.crm_sync import CrmEntity, ImportRecord, SourceRecord, SyncCursor, id_order
from hireflow.domain.ports.crm_sync import Parser, SourcePage
from hireflow.infra.crm.configuration import deferred, require, retry_policy
from hireflow.infra.crm.http import RetryPolicy, json_object, request, retry_after
from hireflow.infra.crm.hubspot import records
from hireflow.shared.config import Settings
from hireflow.shared.errors import ConfigurationError, ServiceUnavailable
from hireflow.shared.logging import get_logger
from hireflow.shared.metrics import emit

log = get_logger(__name__)

PAGE_SIZE = 200
"""Records per search (HubSpot's most)."""
LIST_PAGE_SIZE = 100
"""Archived records per list request (HubSpot's most)."""
SETTLE_SECONDS = 30.0
"""How far behind the server's clock a read stops (see the module docstring)."""
_ID = "hs_object_id"
_RATE_LIMIT_HEADERS = (
    "X-HubSpot-RateLimit-Daily",
    "X-HubSpot-RateLimit-Daily-Remaining",
    "X-HubSpot-RateLimit-Interval-Milliseconds",
    "X-HubSpot-RateLimit-Max",
    "X-HubSpot-RateLimit-Remaining",
)


@dataclass(frozen=True)
class HubSpotCredentials:
    """Where HubSpot is and the private app's token."""

    base_url: str
    token: str = field(repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> HubSpotCredentials:
        """The credentials in the settings; ConfigurationError when the token is missing."""
        token = settings.hubspot_token.get_secret_value() if settings.hubspot_token is not None else ""
        if not token:
            raise ConfigurationError(
                "HubSpot needs HIREFLOW_HUBSPOT_TOKEN: the access token of a private app with the scopes "
                "crm.objects.contacts.read, crm.objects.deals.read and crm.objects.companies.read (and "
                "HIREFLOW_HUBSPOT_BASE_URL for another server, such as `hireflow sandbox hubspot`)"
            )
        return cls(base_url=settings.hubspot_base_url.rstrip("/"), token=token)


@dataclass(frozen=True)
class _Position:
    """Where the next search starts: after ``(ms, after_id)``; at ``ms`` itself when ``after_id`` is None; or
    after every record of ``ms`` when ``past``."""

    ms: int
    after_id: int | None = None
    past: bool = False

    def filter_groups(self, modified: str) -> list[list[dict[str, str]]]:
        if self.past:
            return [[_filter(modified, "GT", self.ms)]]
        if self.after_id is None:
            return [[_filter(modified, "GTE", self.ms)]]
        return [
            [_filter(modified, "GT", self.ms)],
            [_filter(modified, "EQ", self.ms), _filter(_ID, "GT", self.after_id)],
        ]


class HubSpotSource:
    """Reads a HubSpot account's companies, deals (job openings) and contacts (candidates), page by page."""

    name = "hubspot"
    entities: tuple[CrmEntity, ...] = (CrmEntity.CLIENT_COMPANIES, CrmEntity.JOBS, CrmEntity.CANDIDATES)

    def __init__(
        self,
        credentials: HubSpotCredentials | ConfigurationError,
        *,
        timeout: float = 30.0,
        policy: RetryPolicy | None = None,
        phone_region: str = "US",
        page_size: int = PAGE_SIZE,
        settle_seconds: float = SETTLE_SECONDS,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not 1 <= page_size <= PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {PAGE_SIZE}, not {page_size}")
        self._credentials = credentials
        self._policy = policy or RetryPolicy()
        self._phone_region = phone_region
        self._page_size = page_size
        self._settle = timedelta(seconds=settle_seconds)
        self._http = httpx.Client(
            timeout=timeout, transport=transport, event_hooks={"response": [_log_rate_limit]}
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> HubSpotSource:
        """The source the settings describe. A missing token is reported by the first read, so that parsing
        (retrying dead letters) works without it."""
        return cls(
            deferred(HubSpotCredentials.from_settings, settings),
            timeout=settings.crm_timeout_seconds,
            policy=retry_policy(settings),
            phone_region=settings.default_phone_region,
        )

    # -- CrmSource --------------------------------------------------------------------------------------------
    def read(self, entity: CrmEntity, since: SyncCursor | None) -> Iterator[SourcePage]:
        archived, server_time = self._archived(entity, since)
        if since is None:  # from the start: see every record, then the ones archived meanwhile
            yield from self._merged(self._live(entity, None, None), archived)
            known = {record.external_id for record in archived}
            late = [record for record in self._archived(entity, None)[0] if record.external_id not in known]
            for start in range(0, len(late), self._page_size):
                yield SourcePage(late[start : start + self._page_size])
            return
        horizon = server_time - self._settle
        archived = [record for record in archived if record.modified_at <= horizon]
        yield from self._merged(self._live(entity, _start(since), horizon), archived)

    def parse(self, entity: CrmEntity, record: SourceRecord) -> ImportRecord:
        return records.parse(entity, record, phone_region=self._phone_region)

    @property
    def parser(self) -> Parser:
        return functools.partial(records.parse, phone_region=self._phone_region)

    def close(self) -> None:
        self._http.close()

    def _merged(
        self, live: Iterator[tuple[list[SourceRecord], int | None]], archived: list[SourceRecord]
    ) -> Iterator[SourcePage]:
        """The live chunks, each with the archived records up to its last one, in ``(modified, id)`` order."""
        pending = deque(archived)
        total: int | None = None
        for chunk, live_total in live:
            total = live_total + len(archived) if live_total is not None else None
            if not chunk:
                continue
            last = _order(chunk[-1])
            while pending and _order(pending[0]) <= last:
                chunk.append(pending.popleft())
            yield SourcePage(sorted(chunk, key=_order), total=total)
        while pending:
            page = [pending.popleft() for _ in range(min(self._page_size, len(pending)))]
            yield SourcePage(page, total=total)

    # -- live records -----------------------------------------------------------------------------------------
    def _live(
        self, entity: CrmEntity, position: _Position | None, horizon: datetime | None
    ) -> Iterator[tuple[list[SourceRecord], int | None]]:
        """Chunks of live records (up to ``horizon``) in ``(modified, id)`` order, with the first search's total."""
        modified = records.MODIFIED[entity]
        total: int | None = None
        while True:
            groups = position.filter_groups(modified) if position is not None else []
            body = self._search(entity, groups, sort=modified)
            total = _whole(body.get("total")) if total is None else total
            page = sorted(self._records(entity, body), key=_order)
            kept = [record for record in page if horizon is None or record.modified_at <= horizon]
            if len(kept) < len(page) or not _more(body) or not page:
                yield kept, total  # the end, or the horizon: what comes after waits for the next run
                return
            last = records.epoch_ms(page[-1].modified_at)
            complete = [record for record in page if records.epoch_ms(record.modified_at) < last]
            if complete:
                yield complete, total
                position = _Position(last)
                continue
            # A page all of one instant: read that instant alone, in id order (after the cursor's id if the
            # search started inside it), then go on past it.
            inside = position is not None and not position.past and position.ms == last
            for chunk in self._instant(entity, last, position.after_id if inside and position else None):
                yield chunk, total
            position = _Position(last, past=True)

    def _instant(self, entity: CrmEntity, ms: int, after_id: int | None) -> Iterator[list[SourceRecord]]:
        """Every live record modified at ``ms`` (after ``after_id``), in id order, page by page."""
        modified = records.MODIFIED[entity]
        while True:
            group = [_filter(modified, "EQ", ms)]
            if after_id is not None:
                group.append(_filter(_ID, "GT", after_id))
            body = self._search(entity, [group], sort=_ID)
            page = sorted(self._records(entity, body), key=_order)
            if page:
                yield page
            if not page or not _more(body):
                return
            after_id = _numeric_id(page[-1])

    def _search(
        self, entity: CrmEntity, groups: Sequence[list[dict[str, str]]], *, sort: str
    ) -> dict[str, Any]:
        query = {
            "filterGroups": [{"filters": group} for group in groups],
            "sorts": [{"propertyName": sort, "direction": "ASCENDING"}],
            "properties": list(records.PROPERTIES[entity]),
            "limit": self._page_size,
        }
        body, _ = self._call(entity, "POST", f"/crm/v3/objects/{records.OBJECTS[entity]}/search", json=query)
        return body

    def _records(self, entity: CrmEntity, body: Mapping[str, Any]) -> list[SourceRecord]:
        results = body.get("results")
        if not isinstance(results, list):
            raise ServiceUnavailable(f"HubSpot answered a {records.OBJECTS[entity]} search without results")
        return [self._record(entity, row) for row in results]

    def _record(self, entity: CrmEntity, row: Any) -> SourceRecord:
        if not isinstance(row, dict):
            raise ServiceUnavailable(
                f"HubSpot sent one of its {records.OBJECTS[entity]} that is not an object"
            )
        properties = records.properties_of(row)
        stamp = properties.get(records.MODIFIED[entity])
        modified = records.instant(stamp) or records.instant(row.get("updatedAt"))
        if modified is None or not str(row.get("id") or "").strip():
            raise ServiceUnavailable(
                f"HubSpot sent one of its {records.OBJECTS[entity]} without an id or {records.MODIFIED[entity]}"
            )
        deleted = bool(row.get("archived")) or (
            entity is CrmEntity.CANDIDATES and records.is_anonymised(properties)
        )
        return SourceRecord(
            external_id=str(row["id"]), modified_at=modified, deleted=deleted, payload=dict(row)
        )

    # -- archived records -------------------------------------------------------------------------------------
    def _archived(self, entity: CrmEntity, since: SyncCursor | None) -> tuple[list[SourceRecord], datetime]:
        """The records archived after ``since``, in ``(archivedAt, id)`` order; and the server's time at the
        first response."""
        params: dict[str, Any] = {
            "archived": "true",
            "limit": LIST_PAGE_SIZE,
            "properties": f"{_ID},{records.MODIFIED[entity]}",
        }
        server_time: datetime | None = None
        found: list[SourceRecord] = []
        while True:
            body, response = self._call(
                entity, "GET", f"/crm/v3/objects/{records.OBJECTS[entity]}", params=params
            )
            server_time = server_time or _server_time(response)
            for row in body.get("results") or []:
                record = self._archived_record(entity, row)
                if since is None or not since.covers(record):
                    found.append(record)
            after = _next_after(body)
            if after is None:
                return sorted(found, key=_order), server_time
            params = {**params, "after": after}

    def _archived_record(self, entity: CrmEntity, row: Any) -> SourceRecord:
        archived_at = records.instant(row.get("archivedAt")) if isinstance(row, dict) else None
        if archived_at is None or not str(row.get("id") or "").strip():
            raise ServiceUnavailable(
                f"HubSpot listed an archived one of its {records.OBJECTS[entity]} without an id or archivedAt"
            )
        return SourceRecord(
            external_id=str(row["id"]), modified_at=archived_at, deleted=True, payload=dict(row)
        )

    # -- HTTP -------------------------------------------------------------------------------------------------
    def _call(
        self, entity: CrmEntity, method: str, path: str, **kwargs: Any
    ) -> tuple[dict[str, Any], httpx.Response]:
        """Send a data request with the token; the JSON body and the response. A body that is not JSON (cut
        short by a proxy or the server) is asked for again, as a 5xx is."""
        credentials = self._signed_in_as()
        headers = {"Authorization": f"Bearer {credentials.token}"}
        bad_bodies = 0
        while True:
            response = request(
                self._http, method, credentials.base_url + path, crm="HubSpot", policy=self._policy,
                headers=headers, **kwargs,
            )  # fmt: skip
            _refuse_errors(response, entity, method, path)
            body = json_object(
                response,
                crm="HubSpot",
                what=f"{method} {path}",
                policy=self._policy,
                broken_before=bad_bodies,
            )
            if body is None:
                bad_bodies += 1
                continue
            return body, response

    def _signed_in_as(self) -> HubSpotCredentials:
        return require(self._credentials)


def _refuse_errors(response: httpx.Response, entity: CrmEntity, method: str, path: str) -> None:
    """Raise for an answer that is not data: a bad token, a missing scope, or any other refusal."""
    status = response.status_code
    if status < 400:
        return
    category, message = _error(response)
    if status == 401:
        raise ConfigurationError(
            f"HubSpot refused the private-app token ({category or 'HTTP 401'}): check HIREFLOW_HUBSPOT_TOKEN "
            "(private-app tokens do not expire: a refused one was mistyped, rotated, or its app deleted)"
        )
    if status == 403:
        raise ConfigurationError(
            f"HubSpot's private app may not read {records.OBJECTS[entity]} ({category or 'HTTP 403'}): give it "
            f"the crm.objects.{records.OBJECTS[entity]}.read scope"
        )
    raise ServiceUnavailable(f"HubSpot refused {method} {path}: HTTP {status} {category}: {message}".strip())


def _error(response: httpx.Response) -> tuple[str, str]:
    """HubSpot's error ``category`` (or ``errorType``) and ``message``, as far as the body says."""
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:200]
    if not isinstance(body, dict):
        return "", str(body)[:200]
    return str(body.get("category") or body.get("errorType") or ""), str(body.get("message") or "")[:300]


def _log_rate_limit(response: httpx.Response) -> None:
    """Log every 429 with HubSpot's policy and limits (the retry itself is ``request``'s); the daily limit,
    which lasts until midnight in the account's time zone, fails at once rather than being retried."""
    if response.status_code != 429:
        return
    response.read()
    try:
        body = response.json()
    except ValueError:
        body = {}
    policy = str(body.get("policyName") or "unknown") if isinstance(body, dict) else "unknown"
    limits = {
        name.removeprefix("X-HubSpot-RateLimit-").lower().replace("-", "_"): response.headers[name]
        for name in _RATE_LIMIT_HEADERS
        if name in response.headers
    }
    log.info("hubspot rate limit reached", policy=policy, retry_after=retry_after(response), **limits)
    emit("crm.rate_limited", crm="hubspot", policy=policy)
    if policy == "DAILY":
        raise ServiceUnavailable(
            "HubSpot's daily API limit of this account is spent; the sync can go on after midnight in the "
            "account's time zone"
        )


def _server_time(response: httpx.Response) -> datetime:
    """When the server answered (its ``Date``; the client's clock when there is none)."""
    try:
        now = email.utils.parsedate_to_datetime(response.headers["Date"])
    except (KeyError, TypeError, ValueError):
        return datetime.now(UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


def _filter(name: str, operator: str, value: int) -> dict[str, str]:
    return {"propertyName": name, "operator": operator, "value": str(value)}


def _start(since: SyncCursor | None) -> _Position | None:
    if since is None:
        return None
    ms = records.epoch_ms(since.modified_at)
    return _Position(ms, int(since.external_id)) if since.external_id.isdigit() else _Position(ms)


def _order(record: SourceRecord) -> tuple[datetime, tuple[int, int | str]]:
    return record.modified_at, id_order(record.external_id)


def _more(body: Mapping[str, Any]) -> bool:
    paging = body.get("paging")
    return isinstance(paging, dict) and bool(paging.get("next"))


def _next_after(body: Mapping[str, Any]) -> str | None:
    paging = body.get("paging")
    following = paging.get("next") if isinstance(paging, dict) else None
    after = following.get("after") if isinstance(following, dict) else None
    return str(after) if after not in (None, "") else None


def _numeric_id(record: SourceRecord) -> int:
    if not record.external_id.isdigit():
        raise ServiceUnavailable(f"HubSpot sent an id that is not a number: {record.external_id!r}")
    return int(record.external_id)


def _whole(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None
