"""Bullhorn's REST API as a :class:`~hireflow.domain.ports.crm_sync.CrmSource`.

**Signing in**, unattended, as Bullhorn documents it:

1. ``GET {auth}/oauth/authorize`` with ``client_id``, ``response_type=code``, ``action=Login``, ``username`` and
   ``password``: the authorization code comes back in the redirect's ``Location``;
2. ``POST {auth}/oauth/token`` (``grant_type=authorization_code``): an access token and a refresh token;
3. ``POST {login}/login?version=2.0&access_token=…``: the session (``BhRestToken``) and its ``restUrl``.

A 401 on a data request means the session ended: the refresh token (single use: each refresh returns the next
one) buys a new access token and a new login; when that fails too, the whole sign-in runs again. 429 and 5xx
are retried honouring ``Retry-After``; a 307 to another data centre is followed.

**Reading.** ``search/{Entity}`` (Candidate, JobOrder: Lucene) and ``query/{Entity}`` (ClientCorporation,
JobSubmission, Placement: ``where``), ``count=500``, sorted by ``dateLastModified,id``. Pages are keyset pages:
each query starts from the last record read, so a record modified while the sync runs (it moves to the end of
the order) can never shift an unread record into a page already read. ``where`` says it exactly
(``dateLastModified > t OR (dateLastModified = t AND id > n)``). Lucene has no OR and its dates have whole
seconds, so a search restarts at the second of the last record and uses ``start`` to step over the records of
that second already read, paging with ``start`` until ``start + count >= total``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from hireflow.domain.models.crm_sync import CrmEntity, ImportRecord, SourceRecord, SyncCursor
from hireflow.domain.ports.crm_sync import Parser, SourcePage
from hireflow.infra.crm.bullhorn import records
from hireflow.infra.crm.configuration import deferred, require, retry_policy
from hireflow.infra.crm.http import RetryPolicy, json_object, request
from hireflow.shared.config import Settings
from hireflow.shared.errors import ConfigurationError, ServiceUnavailable
from hireflow.shared.logging import get_logger

log = get_logger(__name__)

PAGE_SIZE = 500
SEARCHED = frozenset({CrmEntity.CANDIDATES, CrmEntity.JOBS})
"""Entities read with ``search/`` (Lucene); the others with ``query/`` (``where``)."""


@dataclass(frozen=True)
class BullhornCredentials:
    """Where Bullhorn is and who signs in."""

    auth_url: str
    login_url: str
    client_id: str
    client_secret: str
    username: str
    password: str

    @classmethod
    def from_settings(cls, settings: Settings) -> BullhornCredentials:
        """The credentials in the settings; ConfigurationError naming every missing one."""
        values = {
            "HIREFLOW_BULLHORN_CLIENT_ID": settings.bullhorn_client_id,
            "HIREFLOW_BULLHORN_CLIENT_SECRET": _secret(settings.bullhorn_client_secret),
            "HIREFLOW_BULLHORN_USERNAME": settings.bullhorn_username,
            "HIREFLOW_BULLHORN_PASSWORD": _secret(settings.bullhorn_password),
        }
        missing = [name for name, value in values.items() if not value]
        if missing:
            raise ConfigurationError(
                f"Bullhorn needs {', '.join(missing)} (and HIREFLOW_BULLHORN_AUTH_URL / _LOGIN_URL for another "
                "server, such as `hireflow sandbox bullhorn`)"
            )
        return cls(
            auth_url=settings.bullhorn_auth_url.rstrip("/"),
            login_url=settings.bullhorn_login_url.rstrip("/"),
            client_id=str(settings.bullhorn_client_id),
            client_secret=_secret(settings.bullhorn_client_secret),
            username=str(settings.bullhorn_username),
            password=_secret(settings.bullhorn_password),
        )


@dataclass
class _Session:
    rest_url: str
    bh_rest_token: str
    refresh_token: str | None


class BullhornSource:
    """Reads a Bullhorn corporation's records, page by page."""

    name = "bullhorn"
    entities: tuple[CrmEntity, ...] = tuple(CrmEntity)

    def __init__(
        self,
        credentials: BullhornCredentials | ConfigurationError,
        *,
        timeout: float = 30.0,
        policy: RetryPolicy | None = None,
        phone_region: str = "US",
        page_size: int = PAGE_SIZE,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._credentials = credentials
        self._policy = policy or RetryPolicy()
        self._phone_region = phone_region
        self._page_size = page_size
        self._http = httpx.Client(timeout=timeout, transport=transport, follow_redirects=False)
        self._session: _Session | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> BullhornSource:
        """The source the settings describe. Missing credentials are reported by the first read, so that
        parsing (retrying dead letters) works without them."""
        return cls(
            deferred(BullhornCredentials.from_settings, settings),
            timeout=settings.crm_timeout_seconds,
            policy=retry_policy(settings),
            phone_region=settings.default_phone_region,
        )

    # -- CrmSource --------------------------------------------------------------------------------------------
    def read(self, entity: CrmEntity, since: SyncCursor | None) -> Iterator[SourcePage]:
        if entity in SEARCHED:
            yield from self._search(entity, since)
        else:
            yield from self._query(entity, since)

    def parse(self, entity: CrmEntity, record: SourceRecord) -> ImportRecord:
        return records.parse(entity, record, phone_region=self._phone_region)

    @property
    def parser(self) -> Parser:
        return functools.partial(records.parse, phone_region=self._phone_region)

    def close(self) -> None:
        self._http.close()

    # -- reading ----------------------------------------------------------------------------------------------
    def _search(self, entity: CrmEntity, since: SyncCursor | None) -> Iterator[SourcePage]:
        anchor = _second(since.modified_at) if since is not None else None
        start = 0
        while True:
            query = f"dateLastModified:[{anchor:%Y%m%d%H%M%S} TO *]" if anchor is not None else "id:[0 TO *]"
            body = self._data(
                f"search/{records.ENTITY_NAMES[entity]}", {"query": query, "start": start}, entity
            )
            page = [self._record(entity, row) for row in body.get("data", [])]
            total = int(body.get("total", 0))
            yield SourcePage(page, total=total)
            if not page or start + len(page) >= total:
                return
            last_second = _second(page[-1].modified_at)
            if last_second == anchor:
                start += len(page)
            else:  # restart at the last record's second, past the records of that second already read
                anchor = last_second
                start = sum(1 for record in page if _second(record.modified_at) == anchor)

    def _query(self, entity: CrmEntity, since: SyncCursor | None) -> Iterator[SourcePage]:
        after = since
        while True:
            if after is None:
                where = "id>=0"
            else:
                stamp = int(after.modified_at.timestamp() * 1000)
                where = (
                    f"dateLastModified>{stamp} OR (dateLastModified={stamp} AND id>{int(after.external_id)})"
                )
            body = self._data(f"query/{records.ENTITY_NAMES[entity]}", {"where": where, "start": 0}, entity)
            page = [self._record(entity, row) for row in body.get("data", [])]
            yield SourcePage(page, total=int(body.get("total", 0)))
            if len(page) < self._page_size:
                return
            last = page[-1]
            after = SyncCursor(modified_at=last.modified_at, external_id=last.external_id)

    def _record(self, entity: CrmEntity, row: Mapping[str, Any]) -> SourceRecord:
        modified = row.get("dateLastModified")
        if not isinstance(modified, int | float) or isinstance(modified, bool):
            raise ServiceUnavailable(
                f"Bullhorn sent a {records.ENTITY_NAMES[entity]} without dateLastModified"
            )
        deleted = bool(row.get("isDeleted")) or (
            entity is CrmEntity.CANDIDATES and records.is_anonymised(row)
        )
        return SourceRecord(
            external_id=str(row["id"]),
            modified_at=datetime.fromtimestamp(modified / 1000, tz=UTC),
            deleted=deleted,
            payload=dict(row),
        )

    def _data(self, path: str, params: dict[str, Any], entity: CrmEntity) -> dict[str, Any]:
        """GET a data endpoint with the session, signing in again when it has ended."""
        query = {
            **params,
            "fields": records.FIELDS[entity],
            "sort": "dateLastModified,id",
            "count": self._page_size,
        }
        renewals = bad_bodies = 0
        while True:
            session = self._ensure_session()
            response = self._get(session.rest_url + path, query, session.bh_rest_token)
            if response.status_code == 401:
                renewals += 1
                if renewals > 2:
                    raise ServiceUnavailable(
                        f"Bullhorn kept refusing the session for {path} after signing in again"
                    )
                log.info("bullhorn session ended; signing in again", attempt=renewals)
                self._renew()
                continue
            if response.status_code >= 400:
                raise ServiceUnavailable(
                    f"Bullhorn refused {path}: HTTP {response.status_code} {response.text[:200]}"
                )
            body = json_object(
                response, crm="Bullhorn", what=path, policy=self._policy, broken_before=bad_bodies
            )
            if body is None:
                bad_bodies += 1
                continue
            return body

    def _get(self, url: str, params: Mapping[str, Any], token: str) -> httpx.Response:
        """A data GET, following redirects to another data centre (307) by hand so the token goes along."""
        for _ in range(5):
            response = request(
                self._http, "GET", url, crm="Bullhorn", policy=self._policy, params=params,
                headers={"BhRestToken": token},
            )  # fmt: skip
            if response.status_code not in (301, 302, 307, 308):
                return response
            target = httpx.URL(url).join(response.headers["Location"])
            url = str(target.copy_with(query=None))
            if target.query:  # the Location carries the query; else the same query goes to the new place
                params = dict(target.params)
        raise ServiceUnavailable("Bullhorn redirected more than five times")

    # -- signing in -------------------------------------------------------------------------------------------
    def _signed_in_as(self) -> BullhornCredentials:
        return require(self._credentials)

    def _ensure_session(self) -> _Session:
        if self._session is None:
            self._session = self._login(self._authorize_and_exchange())
        return self._session

    def _renew(self) -> None:
        """After a 401: refresh the access token (single use) and log in; sign in from scratch if that fails."""
        refresh = self._session.refresh_token if self._session else None
        self._session = None
        if refresh is not None:
            tokens = self._token({"grant_type": "refresh_token", "refresh_token": refresh})
            if tokens is not None:
                self._session = self._login(tokens)
                return
        self._session = self._login(self._authorize_and_exchange())

    def _authorize_and_exchange(self) -> dict[str, Any]:
        credentials = self._signed_in_as()
        response = request(
            self._http,
            "GET",
            f"{credentials.auth_url}/oauth/authorize",
            crm="Bullhorn",
            policy=self._policy,
            params={
                "client_id": credentials.client_id,
                "response_type": "code",
                "action": "Login",
                "username": credentials.username,
                "password": credentials.password,
            },
        )
        location = response.headers.get("Location")
        code = parse_qs(urlsplit(location).query).get("code", [None])[0] if location else None
        if response.status_code not in (301, 302, 303, 307) or not code:
            raise ConfigurationError(
                f"Bullhorn did not sign in {credentials.username!r} (HTTP {response.status_code} from "
                "/oauth/authorize): check HIREFLOW_BULLHORN_CLIENT_ID, _USERNAME and _PASSWORD"
            )
        tokens = self._token({"grant_type": "authorization_code", "code": code})
        if tokens is None:
            raise ConfigurationError(
                "Bullhorn refused the authorization code at /oauth/token: check HIREFLOW_BULLHORN_CLIENT_SECRET"
            )
        return tokens

    def _token(self, grant: dict[str, str]) -> dict[str, Any] | None:
        """POST /oauth/token; the tokens, or None when Bullhorn refuses the grant."""
        credentials = self._signed_in_as()
        response = request(
            self._http,
            "POST",
            f"{credentials.auth_url}/oauth/token",
            crm="Bullhorn",
            policy=self._policy,
            data={**grant, "client_id": credentials.client_id, "client_secret": credentials.client_secret},
        )
        if response.status_code != 200:
            log.info("bullhorn token grant refused", grant=grant["grant_type"], status=response.status_code)
            return None
        body = response.json()
        return body if isinstance(body, dict) and body.get("access_token") else None

    def _login(self, tokens: Mapping[str, Any]) -> _Session:
        response = request(
            self._http,
            "POST",
            f"{self._signed_in_as().login_url}/login",
            crm="Bullhorn",
            policy=self._policy,
            params={"version": "2.0", "access_token": tokens["access_token"]},
        )
        body = response.json() if response.status_code == 200 else {}
        if not body.get("BhRestToken") or not body.get("restUrl"):
            raise ConfigurationError(
                f"Bullhorn's /login refused the access token (HTTP {response.status_code})"
            )
        rest_url = str(body["restUrl"])
        return _Session(
            rest_url=rest_url if rest_url.endswith("/") else rest_url + "/",
            bh_rest_token=str(body["BhRestToken"]),
            refresh_token=tokens.get("refresh_token"),
        )


def _second(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def _secret(value: Any) -> str:
    return value.get_secret_value() if value is not None else ""
