"""Salesforce's REST API as a :class:`~hireflow.domain.ports.crm_sync.CrmSource`.

**Signing in.** ``POST {login}/services/oauth2/token`` with the connected app's ``client_id`` and
``client_secret``, and ``grant_type=refresh_token`` when a refresh token is configured (Hireflow acts as the user
who authorised the app), else ``grant_type=client_credentials`` (the app's run-as user). The answer holds the
``access_token`` and the ``instance_url`` every data request goes to. A 401 (``INVALID_SESSION_ID``) means the
session ended: the same grant buys a new one and the request is sent again. A refused grant is a
ConfigurationError naming the settings to check. 429 and 5xx (``REQUEST_LIMIT_EXCEEDED``, ``UNKNOWN_EXCEPTION``)
are retried honouring ``Retry-After``; a body cut short is asked for again.

**Reading.** One SOQL query per object through ``queryAll`` (deleted rows come too, ``IsDeleted = true``)::

    SELECT ... FROM Contact WHERE SystemModstamp > t OR (SystemModstamp = t AND Id > 'id')
    ORDER BY SystemModstamp, Id

keyed on the cursor (no WHERE on the first read), then its ``nextRecordsUrl`` batches to the end. A query's
locator is a snapshot: a record modified while the sync runs leaves it, and the next run picks it up (its new
``SystemModstamp`` is past everything this run read). Following one locator costs one cheap request per batch;
re-querying every few batches would cost a new, sorted SOQL query each time for no gain in correctness. Only
when a locator is gone — expired (it lives ~15 minutes) or closed because too many are open — the query runs
again from the last record read (the keyset), so a long sync into a slow database recovers instead of failing.

**Ids.** Salesforce ids are 18-character case-safe strings; ``ORDER BY Id`` and ``Id > '...'`` compare them as
text, which is how :func:`~hireflow.domain.models.crm_sync.id_order` compares non-numeric ids (an 18-character
id is never all digits: its suffix holds a letter whenever its first 15 characters do not).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from hireflow.domain.models.crm_sync import CrmEntity, ImportRecord, SourceRecord, SyncCursor
from hireflow.domain.ports.crm_sync import Parser, SourcePage
from hireflow.infra.crm.configuration import deferred, require, retry_policy
from hireflow.infra.crm.http import RetryPolicy, json_object, request
from hireflow.infra.crm.salesforce import records
from hireflow.shared.config import Settings
from hireflow.shared.errors import ConfigurationError, ServiceUnavailable
from hireflow.shared.logging import get_logger

log = get_logger(__name__)

API_VERSION = "v60.0"
BATCH_SIZES = range(200, 2001)
"""What ``Sforce-Query-Options: batchSize=N`` accepts; Salesforce's default (and the most) is 2000."""
_RENEWALS = 2


@dataclass(frozen=True)
class SalesforceCredentials:
    """Where Salesforce signs in, and the connected app (and optionally the user) that signs in."""

    login_url: str
    client_id: str
    client_secret: str
    refresh_token: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SalesforceCredentials:
        """The credentials in the settings; ConfigurationError naming every missing one."""
        values = {
            "HIREFLOW_SALESFORCE_CLIENT_ID": settings.salesforce_client_id,
            "HIREFLOW_SALESFORCE_CLIENT_SECRET": _secret(settings.salesforce_client_secret),
        }
        missing = [name for name, value in values.items() if not value]
        if missing:
            raise ConfigurationError(
                f"Salesforce needs {', '.join(missing)} (a connected app's consumer key and secret), and "
                "HIREFLOW_SALESFORCE_REFRESH_TOKEN to sign in as a user (else the app's client-credentials flow "
                "is used); HIREFLOW_SALESFORCE_LOGIN_URL for a My Domain or another server, such as "
                "`hireflow sandbox salesforce`"
            )
        return cls(
            login_url=settings.salesforce_login_url.rstrip("/"),
            client_id=str(settings.salesforce_client_id),
            client_secret=_secret(settings.salesforce_client_secret),
            refresh_token=_secret(settings.salesforce_refresh_token) or None,
        )

    def grant(self) -> dict[str, str]:
        """The token request's form: the refresh-token grant when there is a refresh token."""
        grant = (
            {"grant_type": "refresh_token", "refresh_token": self.refresh_token}
            if self.refresh_token
            else {"grant_type": "client_credentials"}
        )
        return {**grant, "client_id": self.client_id, "client_secret": self.client_secret}


@dataclass(frozen=True)
class _Session:
    instance_url: str
    access_token: str


class LocatorExpired(Exception):
    """A ``nextRecordsUrl`` Salesforce no longer knows (``INVALID_QUERY_LOCATOR``)."""


class SalesforceSource:
    """Reads a Salesforce org's accounts, opportunities (job openings) and contacts (candidates)."""

    name = "salesforce"
    entities: tuple[CrmEntity, ...] = (CrmEntity.CLIENT_COMPANIES, CrmEntity.JOBS, CrmEntity.CANDIDATES)

    def __init__(
        self,
        credentials: SalesforceCredentials | ConfigurationError,
        *,
        timeout: float = 30.0,
        policy: RetryPolicy | None = None,
        phone_region: str = "US",
        api_version: str = API_VERSION,
        batch_size: int | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if batch_size is not None and batch_size not in BATCH_SIZES:
            raise ValueError(f"batch_size must be between 200 and 2000, not {batch_size}")
        self._credentials = credentials
        self._policy = policy or RetryPolicy()
        self._phone_region = phone_region
        self._data_path = f"/services/data/{api_version}"
        self._batch_size = batch_size
        self._http = httpx.Client(timeout=timeout, transport=transport, follow_redirects=False)
        self._session: _Session | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SalesforceSource:
        """The source the settings describe. Missing credentials are reported by the first read, so that
        parsing (retrying dead letters) works without them."""
        return cls(
            deferred(SalesforceCredentials.from_settings, settings),
            timeout=settings.crm_timeout_seconds,
            policy=retry_policy(settings),
            phone_region=settings.default_phone_region,
            api_version=settings.salesforce_api_version,
        )

    # -- CrmSource --------------------------------------------------------------------------------------------
    def read(self, entity: CrmEntity, since: SyncCursor | None) -> Iterator[SourcePage]:
        after = since
        path, params = self._query(entity, after)
        while True:
            try:
                body = self._data(path, params)
            except LocatorExpired as expired:
                if params is not None:  # the query itself, not a locator: retrying would loop
                    raise ServiceUnavailable(f"Salesforce refused a new query: {expired}") from None
                log.info("salesforce query locator is gone; querying again from the last record read",
                         object=records.OBJECT_NAMES[entity])  # fmt: skip
                path, params = self._query(entity, after)
                continue
            page = [self._record(entity, row) for row in body.get("records") or ()]
            if page:
                after = SyncCursor(modified_at=page[-1].modified_at, external_id=page[-1].external_id)
                total = body.get("totalSize")
                yield SourcePage(page, total=total if isinstance(total, int) else None)
            next_url = body.get("nextRecordsUrl")
            if body.get("done", True) or not isinstance(next_url, str) or not page:
                return
            path, params = next_url, None

    def parse(self, entity: CrmEntity, record: SourceRecord) -> ImportRecord:
        return records.parse(entity, record, phone_region=self._phone_region)

    @property
    def parser(self) -> Parser:
        return functools.partial(records.parse, phone_region=self._phone_region)

    def close(self) -> None:
        self._http.close()

    # -- reading ----------------------------------------------------------------------------------------------
    def _query(self, entity: CrmEntity, after: SyncCursor | None) -> tuple[str, Mapping[str, str] | None]:
        return f"{self._data_path}/queryAll", {"q": records.keyset_soql(entity, after)}

    def _record(self, entity: CrmEntity, row: Mapping[str, Any]) -> SourceRecord:
        modified = records.parse_datetime(row.get("SystemModstamp"))
        record_id = row.get("Id")
        if modified is None or not isinstance(record_id, str) or not record_id:
            raise ServiceUnavailable(
                f"Salesforce sent a {records.OBJECT_NAMES[entity]} without Id or SystemModstamp"
            )
        payload = {key: value for key, value in row.items() if key != "attributes"}
        deleted = payload.get("IsDeleted") is True or (
            entity is CrmEntity.CANDIDATES and records.is_anonymised(payload)
        )
        return SourceRecord(external_id=record_id, modified_at=modified, deleted=deleted, payload=payload)

    def _data(self, path: str, params: Mapping[str, str] | None) -> dict[str, Any]:
        """GET a data path of the instance with the session, signing in again when it has ended."""
        renewals = bad_bodies = 0
        while True:
            session = self._ensure_session()
            response = request(
                self._http, "GET", session.instance_url + path, crm="Salesforce", policy=self._policy,
                params=params, headers=self._headers(session),
            )  # fmt: skip
            if response.status_code == 401:
                renewals += 1
                if renewals > _RENEWALS:
                    raise ServiceUnavailable(
                        f"Salesforce kept refusing the session for {path} after signing in again"
                    )
                log.info("salesforce session ended; signing in again", attempt=renewals)
                self._session = None
                continue
            if response.status_code >= 400:
                code, message = error_of(response)
                if code == "INVALID_QUERY_LOCATOR":
                    raise LocatorExpired(message)
                raise query_refused(path, response.status_code, code, message)
            body = json_object(
                response, crm="Salesforce", what=path, policy=self._policy, broken_before=bad_bodies
            )
            if body is None:
                bad_bodies += 1
                continue
            return body

    def _headers(self, session: _Session) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {session.access_token}"}
        if self._batch_size is not None:
            headers["Sforce-Query-Options"] = f"batchSize={self._batch_size}"
        return headers

    # -- signing in -------------------------------------------------------------------------------------------
    def _ensure_session(self) -> _Session:
        if self._session is None:
            self._session = self._sign_in()
        return self._session

    def _sign_in(self) -> _Session:
        credentials = require(self._credentials)
        form = credentials.grant()
        url = f"{credentials.login_url}/services/oauth2/token"
        response = request(self._http, "POST", url, crm="Salesforce", policy=self._policy, data=form)
        if response.status_code != 200:
            code, message = error_of(response)
            raise grant_refused(url, form["grant_type"], response.status_code, code, message)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not body.get("access_token") or not body.get("instance_url"):
            raise ServiceUnavailable(f"Salesforce answered {url} without an access token and instance URL")
        log.info("salesforce session started", grant=form["grant_type"])
        return _Session(
            instance_url=str(body["instance_url"]).rstrip("/"), access_token=str(body["access_token"])
        )


def error_of(response: httpx.Response) -> tuple[str, str]:
    """``(errorCode, message)`` of an error answer: ``[{"message", "errorCode"}]`` from the data API,
    ``{"error", "error_description"}`` from the token endpoint, or the status and text of anything else."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, list) and body and isinstance(body[0], dict):
        body = {"error": body[0].get("errorCode"), "error_description": body[0].get("message")}
    if isinstance(body, dict) and body.get("error"):
        return str(body["error"]), str(body.get("error_description") or "")
    return f"HTTP {response.status_code}", response.text.strip()[:200]


_GRANT_HINTS = {
    "invalid_client_id": "check HIREFLOW_SALESFORCE_CLIENT_ID (the connected app's consumer key)",
    "invalid_client": "check HIREFLOW_SALESFORCE_CLIENT_SECRET (the connected app's consumer secret) and "
    "HIREFLOW_SALESFORCE_CLIENT_ID",
    "unsupported_grant_type": "the connected app does not allow this flow: enable it, or set "
    "HIREFLOW_SALESFORCE_REFRESH_TOKEN to use the refresh-token flow",
}


def grant_refused(url: str, grant_type: str, status: int, code: str, message: str) -> ConfigurationError:
    """The ConfigurationError for a refused token request, naming the settings to check."""
    if code == "invalid_grant":
        hint = (
            "check HIREFLOW_SALESFORCE_REFRESH_TOKEN (expired or revoked: authorise the connected app again)"
            if grant_type == "refresh_token"
            else "enable the client-credentials flow on the connected app and give it a run-as user, or set "
            "HIREFLOW_SALESFORCE_REFRESH_TOKEN"
        )
    else:
        hint = _GRANT_HINTS.get(
            code,
            "check HIREFLOW_SALESFORCE_LOGIN_URL, HIREFLOW_SALESFORCE_CLIENT_ID, HIREFLOW_SALESFORCE_CLIENT_SECRET "
            "and HIREFLOW_SALESFORCE_REFRESH_TOKEN",
        )
    return ConfigurationError(
        f"Salesforce refused the {grant_type} grant at {url} (HTTP {status} {code}: {message}): {hint}"
    )


def query_refused(path: str, status: int, code: str, message: str) -> Exception:
    """The error for a data request Salesforce refused (other than a lost session or locator)."""
    if code in ("INVALID_FIELD", "INVALID_TYPE"):
        return ConfigurationError(
            f"Salesforce refused Hireflow's query ({code}: {message}): the org lacks an object or field "
            "Hireflow reads (docs/crm-salesforce.md lists them), or the API user may not see it"
        )
    return ServiceUnavailable(f"Salesforce refused {path}: HTTP {status} {code}: {message}")


def _secret(value: Any) -> str:
    return value.get_secret_value() if value is not None else ""
