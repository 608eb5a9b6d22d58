"""The Bullhorn sandbox over HTTP: OAuth and REST login, search and query paging, mutations, faults."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from hireflow.infra.crm.sandbox import SandboxConfig, parse_faults
from hireflow.infra.crm.sandbox.bullhorn import create_bullhorn_sandbox
from hireflow.infra.crm.sandbox.runner import running_sandbox

CLIENT = {"client_id": "hireflow-sandbox", "client_secret": "sandbox-secret"}
LOGIN = {
    "client_id": "hireflow-sandbox",
    "response_type": "code",
    "action": "Login",
    "username": "sandbox.api",
    "password": "sandbox-password",
}
BAD_TOKEN = {"errorMessage": "Bad 'BhRestToken' or timed-out.", "errorCode": 401}


@dataclass
class Session:
    """A logged-in Bullhorn client: the REST URL, the BhRestToken and the refresh token."""

    http: httpx.Client
    rest_url: str
    token: str
    refresh_token: str

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.http.get(self.rest_url + path, params={**params, "BhRestToken": self.token})


def authorization_code(http: httpx.Client, **overrides: str) -> str:
    answer = http.get("/oauth/authorize", params={**LOGIN, **overrides})
    assert answer.status_code == 302, answer.text
    return parse_qs(urlparse(answer.headers["location"]).query)["code"][0]


def log_in(http: httpx.Client) -> Session:
    tokens = http.post(
        "/oauth/token", data={"grant_type": "authorization_code", "code": authorization_code(http), **CLIENT}
    )
    return _rest_login(http, tokens.json())


def _rest_login(http: httpx.Client, tokens: dict[str, Any]) -> Session:
    login = http.post(
        "/rest-services/login", params={"version": "2.0", "access_token": tokens["access_token"]}
    )
    assert login.status_code == 200, login.text
    return Session(http, login.json()["restUrl"], login.json()["BhRestToken"], tokens["refresh_token"])


@pytest.fixture
def make_session() -> Iterator[Any]:
    """Start a sandbox with the given config and log in to it; everything stops after the test."""
    with ExitStack() as stack:

        def start(config: SandboxConfig) -> Session:
            base = stack.enter_context(running_sandbox(create_bullhorn_sandbox(config)))
            return log_in(stack.enter_context(httpx.Client(base_url=base, timeout=10)))

        yield start


@pytest.fixture
def session(make_session: Any) -> Session:
    return make_session(SandboxConfig(records=1000, seed=7))


def page_all(session: Session, path: str, **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    while True:
        body = session.get(path, start=len(rows), count=500, **params).json()
        rows += body["data"]
        if len(rows) >= body["total"]:
            return rows


# -- authentication ----------------------------------------------------------------------------------------------
def test_the_oauth_flow_ends_in_a_rest_session(session: Session) -> None:
    assert session.rest_url.endswith("/rest-services/hf7sbx/")
    assert session.get("ping").json()["sessionExpires"] > time.time() * 1000
    in_header = session.http.get(
        session.rest_url + "search/Candidate", headers={"BhRestToken": session.token}
    )
    assert in_header.status_code == 200


def test_authorize_redirects_to_the_given_uri_with_the_state(session: Session) -> None:
    answer = session.http.get(
        "/oauth/authorize", params={**LOGIN, "redirect_uri": "https://app.example/cb", "state": "xyz"}
    )
    location = urlparse(answer.headers["location"])
    assert (location.scheme, location.netloc, location.path) == ("https", "app.example", "/cb")
    query = parse_qs(location.query)
    assert query["code"][0].startswith("22:")
    assert query["client_id"] == ["hireflow-sandbox"]
    assert query["state"] == ["xyz"]


def test_wrong_credentials_get_a_login_page_and_an_unknown_client_a_400(session: Session) -> None:
    wrong = session.http.get("/oauth/authorize", params={**LOGIN, "password": "nope"})
    assert wrong.status_code == 200
    assert "text/html" in wrong.headers["content-type"]
    assert "Invalid username or password." in wrong.text
    unknown = session.http.get("/oauth/authorize", params={**LOGIN, "client_id": "someone-else"})
    assert unknown.status_code == 400


def test_codes_are_single_use_and_need_the_right_secret(session: Session) -> None:
    code = authorization_code(session.http)
    wrong = session.http.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": "hireflow-sandbox",
            "client_secret": "guess",
        },
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    first = session.http.post(
        "/oauth/token", params={"grant_type": "authorization_code", "code": code, **CLIENT}
    )
    assert first.status_code == 200  # query parameters work as well as a form, as in Bullhorn's docs
    assert first.json()["token_type"] == "Bearer"
    assert first.json()["expires_in"] == 600
    again = session.http.post(
        "/oauth/token", data={"grant_type": "authorization_code", "code": code, **CLIENT}
    )
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_codes_expire(make_session: Any) -> None:
    session = make_session(SandboxConfig(records=10, code_lifetime_seconds=0.2))
    code = authorization_code(session.http)
    time.sleep(0.3)
    late = session.http.post(
        "/oauth/token", data={"grant_type": "authorization_code", "code": code, **CLIENT}
    )
    assert late.status_code == 400
    assert late.json()["error"] == "invalid_grant"


def test_refresh_tokens_rotate_and_cannot_be_reused(session: Session) -> None:
    refresh = {"grant_type": "refresh_token", "refresh_token": session.refresh_token, **CLIENT}
    renewed = session.http.post("/oauth/token", data=refresh)
    assert renewed.status_code == 200
    assert renewed.json()["refresh_token"] != session.refresh_token
    reused = session.http.post("/oauth/token", data=refresh)
    assert reused.status_code == 400
    assert reused.json() == {
        "error": "invalid_grant",
        "error_description": "Invalid, expired, or revoked refresh token",
    }
    assert _rest_login(session.http, renewed.json()).get("search/Candidate").status_code == 200


def test_a_bad_or_timed_out_rest_token_gets_bullhorns_401(make_session: Any) -> None:
    session = make_session(SandboxConfig(records=10, token_lifetime_seconds=1.0))
    assert session.get("search/Candidate").status_code == 200
    forged = session.http.get(session.rest_url + "search/Candidate", params={"BhRestToken": "forged"})
    assert (forged.status_code, forged.json()) == (401, BAD_TOKEN)
    assert session.http.get(session.rest_url + "search/Candidate").status_code == 401
    time.sleep(1.1)
    expired = session.get("search/Candidate")
    assert (expired.status_code, expired.json()) == (401, BAD_TOKEN)


# -- reading -----------------------------------------------------------------------------------------------------
def test_paging_a_search_returns_every_record_once_in_modification_order(session: Session) -> None:
    rows = page_all(
        session,
        "search/Candidate",
        query="isDeleted:0",
        fields="id,dateLastModified",
        sort="dateLastModified,id",
    )
    keys = [(row["dateLastModified"], row["id"]) for row in rows]
    assert keys == sorted(keys)
    assert sorted(row["id"] for row in rows) == list(range(1, 1001))
    assert len({row["dateLastModified"] for row in rows}) < len(rows), "some records share a timestamp"
    assert all(row["_score"] == 1.0 for row in rows)


def test_search_filters_by_modification_time_and_id(session: Session) -> None:
    rows = page_all(session, "search/Candidate", fields="id,dateLastModified", sort="dateLastModified,id")
    middle = rows[500]["dateLastModified"]
    since = datetime.fromtimestamp(middle // 1000, UTC).strftime("%Y%m%d%H%M%S")
    newer = page_all(
        session, "search/Candidate", query=f"dateLastModified:[{since} TO *]", fields="id,dateLastModified"
    )
    assert {row["id"] for row in newer} == {
        row["id"] for row in rows if row["dateLastModified"] >= middle // 1000 * 1000
    }
    by_id = session.get("search/Candidate", query="id:[990 TO *] AND isDeleted:0", count=50).json()
    assert [row["id"] for row in by_id["data"]] == list(range(990, 1001))
    assert by_id["total"] == 11


def test_a_where_cursor_with_an_id_tie_breaker_reads_every_record_once(session: Session) -> None:
    seen: list[tuple[int, int]] = []
    cursor = (0, 0)
    while True:
        where = f"dateLastModified>{cursor[0]} OR (dateLastModified={cursor[0]} AND id>{cursor[1]})"
        page = session.get(
            "query/JobSubmission",
            where=where,
            fields="id,dateLastModified",
            sort="dateLastModified,id",
            count=37,
        ).json()["data"]
        if not page:
            break
        seen += [(row["dateLastModified"], row["id"]) for row in page]
        cursor = seen[-1]
    assert seen == sorted(seen)
    assert sorted(i for _, i in seen) == list(range(1, 501))
    assert len({t for t, _ in seen}) < len(seen)


def test_fields_nested_entities_and_unsupported_requests(session: Session) -> None:
    job = session.get(
        "search/JobOrder", fields="id,title,clientCorporation(id,name),address(city,state)", count=1
    ).json()["data"][0]
    assert set(job) == {"_score", "id", "title", "clientCorporation", "address"}
    assert set(job["clientCorporation"]) == {"id", "name"}
    assert set(job["address"]) == {"city", "state"}
    company = session.get(f"entity/ClientCorporation/{job['clientCorporation']['id']}", fields="name").json()[
        "data"
    ]
    assert company == {"name": job["clientCorporation"]["name"]}
    full = session.get("search/Candidate", fields="*", count=1).json()["data"][0]
    assert {
        "firstName",
        "lastName",
        "email",
        "phone",
        "mobile",
        "occupation",
        "skillSet",
        "address",
        "status",
        "source",
        "salary",
        "dayRate",
        "employmentPreference",
        "dateAvailable",
        "dateAdded",
        "dateLastModified",
        "isDeleted",
    } <= set(full)
    assert isinstance(full["dateLastModified"], int)
    for path, params, message in [
        ("query/Candidate", {"where": "id>0"}, "use search"),
        ("search/Placement", {}, "use query"),
        ("search/Candidate", {"fields": "id,shoeSize"}, "Invalid field 'shoeSize'"),
        ("search/Candidate", {"query": "firstName:Maria"}, "not 'firstName'"),
        ("query/Placement", {"where": "isDeleted=false"}, "not 'isDeleted'"),
        ("query/Placement", {"where": "id>"}, "cannot parse where"),
        ("search/Candidate", {"sort": "dateLastModified,-id"}, "one direction"),
    ]:
        answer = session.get(path, **params)
        assert answer.status_code == 400, (path, params)
        assert message in answer.json()["errorMessage"]


def test_counts_are_capped_at_500_and_descending_sorts_work(session: Session) -> None:
    body = session.get("query/JobSubmission", where="id>0", count=900).json()
    assert (body["count"], body["total"]) == (500, 500)
    newest = session.get("search/Candidate", sort="-dateLastModified,-id", fields="id", count=3).json()[
        "data"
    ]
    assert [row["id"] for row in newest] == [1000, 999, 998]


# -- changes -----------------------------------------------------------------------------------------------------
def test_mutations_show_in_later_queries(session: Session) -> None:
    before = page_all(session, "search/Candidate", fields="id,dateLastModified")
    newest = max(row["dateLastModified"] for row in before)
    changed = session.http.post(
        "/_sandbox/mutate",
        json={"entity": "Candidate", "modify": 5, "delete": 2, "anonymize": 1, "create": 3},
    ).json()
    since = datetime.fromtimestamp(newest // 1000 + 1, UTC).strftime("%Y%m%d%H%M%S")
    recent = page_all(
        session,
        "search/Candidate",
        query=f"dateLastModified:[{since} TO *]",
        fields="id,isDeleted,status,firstName",
    )
    assert {row["id"] for row in recent} == {
        *changed["modified"],
        *changed["deleted"],
        *changed["anonymized"],
        *changed["created"],
    }
    deleted = [row for row in recent if row["isDeleted"]]
    assert sorted(row["id"] for row in deleted) == sorted(changed["deleted"])
    anonymized = next(row for row in recent if row["id"] == changed["anonymized"][0])
    assert (anonymized["firstName"], anonymized["status"]) == ("", "Archive")
    live = session.get("search/Candidate", query="isDeleted:0", count=0).json()["total"]
    assert live == 1000 - 2 + 3


def test_placements_are_deleted_outright_and_found_missing_by_an_id_listing(session: Session) -> None:
    deleted = session.http.post("/_sandbox/mutate", json={"entity": "Placement", "delete": 4}).json()
    assert deleted["hard_delete"] is True
    ids = {row["id"] for row in page_all(session, "query/Placement", where="id>0", fields="id")}
    assert ids == set(range(1, 51)) - set(deleted["deleted"])
    missing = session.get(f"entity/Placement/{deleted['deleted'][0]}")
    assert missing.status_code == 404


# -- faults ------------------------------------------------------------------------------------------------------
def test_rate_limits_and_server_errors_come_in_bullhorns_format(make_session: Any) -> None:
    session = make_session(
        SandboxConfig(
            records=20, faults=parse_faults(["429:every=2:retry_after=3", "500:every=3", "503:every=5"])
        )
    )
    answers = [session.get("search/Candidate") for _ in range(6)]
    assert [a.status_code for a in answers] == [200, 429, 500, 429, 503, 429]
    assert answers[1].headers["retry-after"] == "3"
    assert answers[1].json()["errorCode"] == 429
    assert answers[2].json() == {
        "errorMessage": "An unexpected error has occurred.",
        "errorMessageKey": "errors.internalError",
        "errorCode": 500,
    }
    stats = session.http.get("/_sandbox/stats").json()
    assert stats["faults"] == {"429": 3, "500": 1, "503": 1}


def test_redirects_lead_to_another_data_center_that_serves_the_same_data(make_session: Any) -> None:
    session = make_session(SandboxConfig(records=20, faults=parse_faults(["redirect:every=2"])))
    direct = session.get("search/Candidate", fields="id,firstName", count=5)
    moved = session.get("search/Candidate", fields="id,firstName", count=5)
    assert moved.status_code == 307
    location = moved.headers["location"]
    assert urlparse(location).path == "/dc2/rest-services/hf7sbx/search/Candidate"
    followed = session.http.get(location)
    assert followed.status_code == 200
    assert followed.json() == direct.json()


def test_malformed_json_slow_and_timed_out_responses(make_session: Any) -> None:
    session = make_session(
        SandboxConfig(
            records=20,
            faults=parse_faults(
                ["malformed-json:every=2", "slow:every=3:delay=0.3", "timeout:every=5:delay=5"]
            ),
        )
    )
    assert session.get("search/Candidate").json()["total"] == 20
    truncated = session.get("search/Candidate")
    assert truncated.status_code == 200
    with pytest.raises(ValueError, match=r"Expecting|Unterminated"):
        truncated.json()
    started = time.monotonic()
    assert session.get("search/Candidate").status_code == 200
    assert time.monotonic() - started >= 0.3
    assert session.get("search/Candidate").status_code == 200
    with pytest.raises(httpx.ReadTimeout):
        session.http.get(
            session.rest_url + "search/Candidate", params={"BhRestToken": session.token}, timeout=0.5
        )


def test_sessions_expire_after_n_data_requests_and_a_new_login_continues(make_session: Any) -> None:
    session = make_session(SandboxConfig(records=20, faults=parse_faults(["token-expiry:after=3"])))
    answers = [session.get("search/Candidate").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 401]
    refreshed = session.http.post(
        "/oauth/token", data={"grant_type": "refresh_token", "refresh_token": session.refresh_token, **CLIENT}
    ).json()
    assert _rest_login(session.http, refreshed).get("search/Candidate").status_code == 200
    assert session.http.get("/_sandbox/stats").json()["faults"] == {"token-expiry": 1}


# -- determinism and scale ---------------------------------------------------------------------------------------
def test_two_sandboxes_with_one_seed_serve_identical_bytes(make_session: Any) -> None:
    first, second = (make_session(SandboxConfig(records=300, seed=5)) for _ in range(2))
    for path, params in [
        ("search/Candidate", {"fields": "*"}),
        ("query/Placement", {"where": "id>0", "fields": "*"}),
        ("search/JobOrder", {"fields": "*", "start": 3}),
    ]:
        assert first.get(path, count=200, **params).content == second.get(path, count=200, **params).content


def test_a_million_records_page_from_the_middle(make_session: Any) -> None:
    session = make_session(SandboxConfig(records=1_000_000))
    body = session.get(
        "search/Candidate",
        query="isDeleted:0",
        fields="*",
        sort="dateLastModified,id",
        start=500_000,
        count=500,
    ).json()
    assert body["total"] == 1_000_000
    assert [row["id"] for row in body["data"]] == list(range(500_001, 500_501))
