"""The Salesforce sandbox over HTTP: OAuth grants, SOQL query/queryAll, nextRecordsUrl chaining, faults."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import httpx
import pytest

from hireflow.infra.crm.sandbox import SandboxConfig, parse_faults
from hireflow.infra.crm.sandbox.runner import running_sandbox
from hireflow.infra.crm.sandbox.salesforce import create_salesforce_sandbox

CLIENT = {"client_id": "hireflow-sandbox", "client_secret": "sandbox-secret"}
QUERY = "/services/data/v60.0/query"
QUERY_ALL = "/services/data/v60.0/queryAll"
SESSION_EXPIRED = [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]


def token(client: httpx.Client, **form: str) -> httpx.Response:
    return client.post("/services/oauth2/token", data={"grant_type": "client_credentials", **CLIENT, **form})


def sign_in(client: httpx.Client) -> httpx.Client:
    client.headers["Authorization"] = f"Bearer {token(client).json()['access_token']}"
    return client


@pytest.fixture
def start() -> Iterator[Any]:
    """Start a Salesforce sandbox with the given config; yields a client without a session."""
    with ExitStack() as stack:

        def run(config: SandboxConfig) -> httpx.Client:
            base = stack.enter_context(running_sandbox(create_salesforce_sandbox(config)))
            return stack.enter_context(httpx.Client(base_url=base, timeout=10))

        yield run


@pytest.fixture
def salesforce(start: Any) -> httpx.Client:
    return sign_in(start(SandboxConfig(records=1000, seed=7)))


def query_all_batches(
    client: httpx.Client, soql: str, path: str = QUERY, batch: int | None = None
) -> list[dict[str, Any]]:
    headers = {"Sforce-Query-Options": f"batchSize={batch}"} if batch else {}
    body = client.get(path, params={"q": soql}, headers=headers).json()
    records = body["records"]
    while not body["done"]:
        body = client.get(body["nextRecordsUrl"]).json()
        records += body["records"]
    return records


# -- authentication ----------------------------------------------------------------------------------------------
def test_client_credentials_give_a_signed_session(start: Any) -> None:
    client = start(SandboxConfig(records=10))
    answer = token(client)
    assert answer.status_code == 200
    body = answer.json()
    assert body["instance_url"] == str(client.base_url).rstrip("/")
    assert body["token_type"] == "Bearer"
    assert body["access_token"].startswith("00D")
    expected = hmac.new(b"sandbox-secret", (body["id"] + body["issued_at"]).encode(), hashlib.sha256).digest()
    assert base64.b64decode(body["signature"]) == expected


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"client_secret": "guess"}, "invalid_client"),
        ({"client_id": "someone-else"}, "invalid_client_id"),
        ({"grant_type": "password", "username": "sandbox.api", "password": "guess"}, "invalid_grant"),
        ({"grant_type": "refresh_token", "refresh_token": "stolen"}, "invalid_grant"),
        ({"grant_type": "authorization_code"}, "unsupported_grant_type"),
    ],
)
def test_bad_grants_get_salesforces_oauth_errors(start: Any, form: dict[str, str], error: str) -> None:
    answer = token(start(SandboxConfig(records=10)), **form)
    assert answer.status_code == 400
    assert answer.json()["error"] == error
    assert answer.json()["error_description"]


def test_password_and_refresh_grants_work(start: Any) -> None:
    client = start(SandboxConfig(records=10))
    with_security_token = token(
        client, grant_type="password", username="sandbox.api", password="sandbox-passwordXYZ"
    )
    assert with_security_token.status_code == 200
    refreshed = token(client, grant_type="refresh_token", refresh_token="sandbox-refresh-token")
    assert refreshed.status_code == 200
    assert (
        client.get(
            QUERY,
            params={"q": "SELECT Id FROM Contact LIMIT 1"},
            headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"},
        ).status_code
        == 200
    )


def test_sessions_expire_after_n_requests_with_salesforces_401(start: Any) -> None:
    client = sign_in(start(SandboxConfig(records=10, faults=parse_faults(["token-expiry:after=2"]))))
    answers = [client.get(QUERY, params={"q": "SELECT Id FROM Contact"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 401]
    assert answers[2].json() == SESSION_EXPIRED
    assert sign_in(client).get(QUERY, params={"q": "SELECT Id FROM Contact"}).status_code == 200
    unsigned = httpx.get(f"{client.base_url}{QUERY}", params={"q": "SELECT Id FROM Contact"})
    assert (unsigned.status_code, unsigned.json()) == (401, SESSION_EXPIRED)


# -- querying ----------------------------------------------------------------------------------------------------
def test_next_records_urls_chain_through_every_record_once_in_order(salesforce: httpx.Client) -> None:
    first = salesforce.get(
        QUERY,
        params={"q": "SELECT Id, SystemModstamp FROM Contact ORDER BY SystemModstamp, Id"},
        headers={"Sforce-Query-Options": "batchSize=300"},
    ).json()
    assert (first["totalSize"], first["done"], len(first["records"])) == (1000, False, 300)
    assert first["nextRecordsUrl"].startswith("/services/data/v60.0/query/01g")
    assert first["nextRecordsUrl"].endswith("-300")
    records = query_all_batches(
        salesforce, "SELECT Id, SystemModstamp FROM Contact ORDER BY SystemModstamp, Id", batch=300
    )
    assert len({r["Id"] for r in records}) == 1000
    keys = [(r["SystemModstamp"], r["Id"]) for r in records]
    assert keys == sorted(keys)
    assert len({r["SystemModstamp"] for r in records}) < 1000, "some records share a timestamp"
    record = records[0]
    assert list(record) == ["attributes", "Id", "SystemModstamp"]
    assert record["attributes"] == {
        "type": "Contact",
        "url": f"/services/data/v60.0/sobjects/Contact/{record['Id']}",
    }
    assert len(record["Id"]) == 18
    assert record["Id"].startswith("003")
    assert record["SystemModstamp"].endswith("+0000")


def test_a_batch_can_be_fetched_again_after_a_failure(salesforce: httpx.Client) -> None:
    small = salesforce.get(
        QUERY, params={"q": "SELECT Id FROM Account"}, headers={"Sforce-Query-Options": "batchSize=200"}
    )
    assert small.json()["done"] is True
    assert "nextRecordsUrl" not in small.json()
    first = salesforce.get(
        QUERY, params={"q": "SELECT Id FROM Contact"}, headers={"Sforce-Query-Options": "batchSize=200"}
    ).json()
    second = salesforce.get(first["nextRecordsUrl"]).content
    assert salesforce.get(first["nextRecordsUrl"]).content == second


def test_where_clauses_filter_by_time_and_break_ties_by_id(salesforce: httpx.Client) -> None:
    records = query_all_batches(
        salesforce, "SELECT Id, SystemModstamp FROM Contact ORDER BY SystemModstamp, Id"
    )
    pivot = records[600]
    stamp, pivot_id = pivot["SystemModstamp"], pivot["Id"]
    newer = query_all_batches(salesforce, f"SELECT Id FROM Contact WHERE SystemModstamp >= {stamp}")
    assert {r["Id"] for r in newer} == {r["Id"] for r in records if r["SystemModstamp"] >= stamp}
    z_form = stamp.replace(".000+0000", "Z") if stamp.endswith(".000+0000") else None
    if z_form:
        assert salesforce.get(
            QUERY, params={"q": f"SELECT COUNT() FROM Contact WHERE LastModifiedDate >= {z_form}"}
        ).json()["totalSize"] == len(newer)
    soql = (
        f"SELECT Id FROM Contact WHERE SystemModstamp > {stamp} OR (SystemModstamp = {stamp} AND Id > '{pivot_id}') "
        "ORDER BY SystemModstamp, Id"
    )
    assert [r["Id"] for r in query_all_batches(salesforce, soql)] == [r["Id"] for r in records[601:]]
    limited = salesforce.get(QUERY, params={"q": "SELECT Id FROM Contact ORDER BY Id DESC LIMIT 3"}).json()
    assert limited["totalSize"] == 3
    assert [r["Id"] for r in limited["records"]] == sorted((r["Id"] for r in records), reverse=True)[:3]


def test_query_all_returns_deleted_rows_that_query_does_not(salesforce: httpx.Client) -> None:
    changed = salesforce.post("/_sandbox/mutate", json={"entity": "Contact", "delete": 4, "modify": 3}).json()
    live = query_all_batches(salesforce, "SELECT Id FROM Contact")
    assert len(live) == 996
    assert not {r["Id"] for r in live} & set(changed["deleted"])
    deleted = query_all_batches(
        salesforce, "SELECT Id, IsDeleted FROM Contact WHERE IsDeleted = true", path=QUERY_ALL
    )
    assert sorted(r["Id"] for r in deleted) == sorted(changed["deleted"])
    assert all(r["IsDeleted"] for r in deleted)
    assert len(query_all_batches(salesforce, "SELECT Id FROM Contact", path=QUERY_ALL)) == 1000
    assert (
        salesforce.get(QUERY, params={"q": "SELECT Id FROM Contact WHERE IsDeleted = true"}).json()[
            "totalSize"
        ]
        == 0
    )
    gone = salesforce.get(f"/services/data/v60.0/sobjects/Contact/{changed['deleted'][0]}")
    assert (gone.status_code, gone.json()[0]["errorCode"]) == (404, "ENTITY_IS_DELETED")
    one = salesforce.get(f"/services/data/v60.0/sobjects/Contact/{changed['modified'][0]}").json()
    assert one["Id"] == changed["modified"][0]
    assert one["LastModifiedDate"] == one["SystemModstamp"] >= "2025-01-01T00:00:00"


def test_objects_and_fields_are_salesforces(salesforce: httpx.Client) -> None:
    account = salesforce.get(
        QUERY, params={"q": "select id, name, website, billingcity, industry from account limit 1"}
    ).json()
    assert list(account["records"][0]) == ["attributes", "Id", "Name", "Website", "BillingCity", "Industry"]
    opportunity = salesforce.get(
        QUERY,
        params={
            "q": "SELECT Id, Name, Amount, StageName, CloseDate, AccountId, Job_City__c, "
            "Employment_Type__c, Skills__c, Openings__c, IsClosed FROM Opportunity LIMIT 1"
        },
    ).json()
    row = opportunity["records"][0]
    assert row["Id"].startswith("006")
    assert row["AccountId"].startswith("001")
    assert len(row["CloseDate"]) == 10
    assert salesforce.get(QUERY, params={"q": "SELECT COUNT() FROM Opportunity"}).json() == {
        "totalSize": 50,
        "done": True,
        "records": [],
    }


@pytest.mark.parametrize(
    ("soql", "code"),
    [
        ("SELECT Id FROM Contact WHERE", "MALFORMED_QUERY"),
        ("SELECT Id Contact", "MALFORMED_QUERY"),
        ("SELECT Id FROM Contact WHERE CreatedDate > 2024-01-01T00:00:00Z", "MALFORMED_QUERY"),
        ("SELECT Id FROM Contact LIMIT 10 OFFSET 5", "MALFORMED_QUERY"),
        ("SELECT Shoe_Size__c FROM Contact", "INVALID_FIELD"),
        ("SELECT Id FROM Lead", "INVALID_TYPE"),
        ("SELECT Id FROM Contact WHERE SystemModstamp > '2024-01-01'", "INVALID_QUERY_FILTER_OPERATOR"),
    ],
)
def test_unsupported_soql_gets_a_400_with_salesforces_error_code(
    salesforce: httpx.Client, soql: str, code: str
) -> None:
    answer = salesforce.get(QUERY, params={"q": soql})
    assert answer.status_code == 400
    assert answer.json()[0]["errorCode"] == code
    assert answer.json()[0]["message"]


def test_locators_expire(start: Any) -> None:
    client = sign_in(start(SandboxConfig(records=500, locator_lifetime_seconds=0.2)))
    first = client.get(
        QUERY, params={"q": "SELECT Id FROM Contact"}, headers={"Sforce-Query-Options": "batchSize=200"}
    ).json()
    time.sleep(0.3)
    late = client.get(first["nextRecordsUrl"])
    assert late.status_code == 400
    assert late.json() == [{"message": "invalid query locator", "errorCode": "INVALID_QUERY_LOCATOR"}]


# -- faults ------------------------------------------------------------------------------------------------------
def test_limits_and_errors_come_in_salesforces_format(start: Any) -> None:
    client = sign_in(
        start(
            SandboxConfig(
                records=10, faults=parse_faults(["429:every=2:retry_after=2", "503:every=3", "500:every=5"])
            )
        )
    )
    answers = [client.get(QUERY, params={"q": "SELECT Id FROM Contact"}) for _ in range(5)]
    assert [a.status_code for a in answers] == [200, 429, 503, 429, 500]
    assert answers[1].json() == [
        {"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}
    ]
    assert answers[1].headers["retry-after"] == "2"
    assert answers[2].json()[0]["errorCode"] == "REQUEST_LIMIT_EXCEEDED"
    assert answers[4].json()[0]["errorCode"] == "UNKNOWN_EXCEPTION"
    assert token(client).status_code == 200, "faults spare the auth endpoint"


# -- determinism and scale ---------------------------------------------------------------------------------------
def test_two_sandboxes_with_one_seed_serve_identical_bytes(start: Any) -> None:
    first, second = (
        sign_in(start(SandboxConfig(records=400, seed=5))),
        sign_in(start(SandboxConfig(records=400, seed=5))),
    )
    soql = (
        "SELECT Id, FirstName, LastName, Email, Phone, MobilePhone, Title, MailingCity, Skills__c, "
        "Salary_Expectation__c, CreatedDate, SystemModstamp FROM Contact ORDER BY SystemModstamp, Id"
    )
    headers = {"Sforce-Query-Options": "batchSize=200"}
    pages = [client.get(QUERY, params={"q": soql}, headers=headers) for client in (first, second)]
    assert pages[0].content == pages[1].content
    assert (
        first.get(pages[0].json()["nextRecordsUrl"]).content
        == second.get(pages[1].json()["nextRecordsUrl"]).content
    )


def test_a_million_contacts_query_from_the_middle(start: Any) -> None:
    client = sign_in(start(SandboxConfig(records=1_000_000)))
    soql = "SELECT Id, LastName, SystemModstamp FROM Contact WHERE SystemModstamp >= 2023-07-01T00:00:00Z ORDER BY SystemModstamp, Id"
    body = client.get(QUERY, params={"q": soql}).json()
    assert 400_000 < body["totalSize"] < 600_000
    assert len(body["records"]) == 2000
    more = client.get(body["nextRecordsUrl"]).json()
    assert more["records"][0]["SystemModstamp"] >= body["records"][-1]["SystemModstamp"]
