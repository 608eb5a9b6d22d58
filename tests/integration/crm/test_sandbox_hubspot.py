"""The HubSpot sandbox over HTTP: private-app and OAuth tokens, CRM v3 search and its 10,000 window, faults."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime
from typing import Any

import httpx
import pytest

from hireflow.infra.crm.sandbox import SandboxConfig, parse_faults
from hireflow.infra.crm.sandbox.hubspot import create_hubspot_sandbox
from hireflow.infra.crm.sandbox.runner import running_sandbox

PAT = {"Authorization": "Bearer pat-sandbox-token"}
REFRESH = {
    "grant_type": "refresh_token",
    "client_id": "hireflow-sandbox",
    "client_secret": "sandbox-secret",
    "refresh_token": "sandbox-refresh-token",
}
SEARCH = "/crm/v3/objects/contacts/search"
BY_MODIFIED = [{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}]


@pytest.fixture
def start() -> Iterator[Any]:
    """Start a HubSpot sandbox with the given config; yields a client without credentials."""
    with ExitStack() as stack:

        def run(config: SandboxConfig) -> httpx.Client:
            base = stack.enter_context(running_sandbox(create_hubspot_sandbox(config)))
            return stack.enter_context(httpx.Client(base_url=base, timeout=10))

        yield run


@pytest.fixture
def hubspot(start: Any) -> httpx.Client:
    client: httpx.Client = start(SandboxConfig(records=1000, seed=7))
    client.headers.update(PAT)
    return client


def modified_filter(operator: str, value: object, prop: str = "lastmodifieddate") -> dict[str, Any]:
    return {"propertyName": prop, "operator": operator, "value": value}


def search_all(client: httpx.Client, path: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        page = client.post(path, json={**body, **({"after": after} if after else {})}).json()
        results += page["results"]
        if "paging" not in page:
            return results
        after = page["paging"]["next"]["after"]


# -- authentication ----------------------------------------------------------------------------------------------
def test_a_wrong_or_missing_token_gets_hubspots_401(start: Any) -> None:
    client = start(SandboxConfig(records=10))
    for headers in ({}, {"Authorization": "Bearer pat-guess"}):
        answer = client.post(SEARCH, json={}, headers=headers)
        assert answer.status_code == 401
        body = answer.json()
        assert body["status"] == "error"
        assert body["category"] == "INVALID_AUTHENTICATION"
        assert body["message"].startswith("Authentication credentials not found")
    assert client.post(SEARCH, json={}, headers=PAT).status_code == 200


def test_oauth_access_tokens_refresh_and_expire_after_n_requests(start: Any) -> None:
    client = start(SandboxConfig(records=10, faults=parse_faults(["token-expiry:after=2"])))
    wrong = client.post("/oauth/v1/token", data={**REFRESH, "client_secret": "guess"})
    assert (wrong.status_code, wrong.json()["status"]) == (400, "BAD_CLIENT_SECRET")
    tokens = client.post("/oauth/v1/token", data=REFRESH).json()
    assert tokens["token_type"] == "bearer"
    assert tokens["refresh_token"] == "sandbox-refresh-token"
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    answers = [client.post(SEARCH, json={}, headers=bearer) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 401]
    assert answers[2].json()["category"] == "EXPIRED_AUTHENTICATION"
    again = client.post("/oauth/v1/token", data=REFRESH).json()["access_token"]
    assert client.post(SEARCH, json={}, headers={"Authorization": f"Bearer {again}"}).status_code == 200
    assert client.post(SEARCH, json={}, headers=PAT).status_code == 200, "private-app tokens never expire"


# -- searching ---------------------------------------------------------------------------------------------------
def test_search_pages_every_contact_once_in_modification_order(hubspot: httpx.Client) -> None:
    body = {
        "sorts": BY_MODIFIED,
        "limit": 200,
        "properties": ["firstname", "lastname", "email", "phone", "skills", "lastmodifieddate"],
    }
    results = search_all(hubspot, SEARCH, body)
    assert sorted(int(r["id"]) for r in results) == list(range(1, 1001))
    keys = [(r["updatedAt"], int(r["id"])) for r in results]
    assert keys == sorted(keys)
    first = results[0]
    assert set(first) == {"id", "properties", "createdAt", "updatedAt", "archived"}
    assert set(first["properties"]) == {
        "firstname",
        "lastname",
        "email",
        "phone",
        "skills",
        "lastmodifieddate",
    }
    assert all(isinstance(v, str) or v is None for r in results for v in r["properties"].values())
    assert first["properties"]["lastmodifieddate"] == first["updatedAt"]
    assert first["updatedAt"].endswith("Z")


def test_default_properties_are_hubspots(hubspot: httpx.Client) -> None:
    contact = hubspot.post(SEARCH, json={"limit": 1}).json()["results"][0]
    assert set(contact["properties"]) == {
        "createdate",
        "email",
        "firstname",
        "hs_object_id",
        "lastmodifieddate",
        "lastname",
    }
    deal = hubspot.post("/crm/v3/objects/deals/search", json={"limit": 1}).json()["results"][0]
    assert {"dealname", "amount", "dealstage", "pipeline", "closedate", "hs_lastmodifieddate"} <= set(
        deal["properties"]
    )
    wanted = [
        "job_city",
        "job_state",
        "employment_type",
        "skills",
        "openings",
        "description",
        "no_such_property",
    ]
    full = hubspot.post("/crm/v3/objects/deals/search", json={"limit": 1, "properties": wanted}).json()[
        "results"
    ][0]
    assert set(full["properties"]) == set(wanted) - {"no_such_property"}


def test_filters_take_epoch_milliseconds_or_iso_and_break_ties_by_id(hubspot: httpx.Client) -> None:
    everything = search_all(
        hubspot,
        SEARCH,
        {
            "limit": 200,
            "properties": ["lastmodifieddate"],
            "sorts": BY_MODIFIED,
        },
    )
    pivot = everything[400]
    iso = pivot["updatedAt"]
    epoch = _epoch_ms(iso)
    by_iso = hubspot.post(
        SEARCH, json={"filterGroups": [{"filters": [modified_filter("GTE", iso)]}], "limit": 1}
    ).json()
    by_epoch = hubspot.post(
        SEARCH, json={"filterGroups": [{"filters": [modified_filter("GTE", str(epoch))]}], "limit": 1}
    ).json()
    assert by_iso["total"] == by_epoch["total"] == sum(1 for r in everything if r["updatedAt"] >= iso)
    # The tie-breaking cursor: (modified > t) OR (modified = t AND id > n), two filter groups.
    tie_break = {
        "filterGroups": [
            {"filters": [modified_filter("GT", epoch)]},
            {
                "filters": [
                    modified_filter("EQ", epoch),
                    {"propertyName": "hs_object_id", "operator": "GT", "value": pivot["id"]},
                ]
            },
        ],
        "sorts": BY_MODIFIED,
        "limit": 200,
    }
    rest = search_all(hubspot, SEARCH, tie_break)
    assert [r["id"] for r in rest] == [r["id"] for r in everything[401:]]
    between = {
        "filterGroups": [
            {
                "filters": [
                    {"propertyName": "hs_object_id", "operator": "BETWEEN", "value": "10", "highValue": "19"}
                ]
            }
        ]
    }
    assert hubspot.post(SEARCH, json=between).json()["total"] == 10


def _epoch_ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def test_search_stops_at_ten_thousand_so_clients_restart_the_window(start: Any) -> None:
    client = start(SandboxConfig(records=12_000, seed=3))
    client.headers.update(PAT)
    too_far = client.post(SEARCH, json={"limit": 200, "after": "9900"})
    assert too_far.status_code == 400
    assert too_far.json()["category"] == "VALIDATION_ERROR"
    assert "limited to 10000" in too_far.json()["message"]
    assert client.post(SEARCH, json={"limit": 100, "after": "9900"}).status_code == 200
    seen: dict[str, str] = {}
    since = "0"
    while True:
        body = {
            "filterGroups": [{"filters": [modified_filter("GTE", since)]}],
            "limit": 200,
            "sorts": BY_MODIFIED,
        }
        window = []
        after = 0
        while after + 200 <= 10_000:
            page = client.post(SEARCH, json={**body, "after": str(after)}).json()
            window += page["results"]
            if "paging" not in page:
                break
            after += 200
        seen.update((r["id"], r["updatedAt"]) for r in window)
        if "paging" not in page:
            break
        since = str(
            _epoch_ms(window[-1]["updatedAt"])
        )  # restart at the last time seen; ties come back, deduped
    assert sorted(map(int, seen)) == list(range(1, 12_001))


def test_unsupported_searches_are_refused_in_hubspots_format(hubspot: httpx.Client) -> None:
    for body in (
        {"limit": 201},
        {"filterGroups": [{"filters": [{"propertyName": "firstname", "operator": "EQ", "value": "Ann"}]}]},
        {"filterGroups": [{"filters": [modified_filter("CONTAINS_TOKEN", "x")]}]},
        {"filterGroups": [{"filters": [modified_filter("GT", "yesterday")]}]},
        {"filterGroups": [{"filters": []}] * 6},
        {"query": "nurse"},
    ):
        answer = hubspot.post(SEARCH, json=body)
        assert answer.status_code == 400, body
        assert answer.json()["category"] == "VALIDATION_ERROR"
    assert hubspot.post("/crm/v3/objects/tickets/search", json={}).status_code == 400
    deals = hubspot.post(
        "/crm/v3/objects/deals/search", json={"filterGroups": [{"filters": [modified_filter("GT", 0)]}]}
    )
    assert deals.status_code == 400, "deals filter on hs_lastmodifieddate"


# -- archiving, lists, single objects ----------------------------------------------------------------------------
def test_archived_contacts_leave_search_and_appear_in_the_archived_list(hubspot: httpx.Client) -> None:
    deleted = hubspot.post("/_sandbox/mutate", json={"entity": "contacts", "delete": 3, "modify": 2}).json()
    assert all(isinstance(i, str) for i in deleted["deleted"])
    live = search_all(hubspot, SEARCH, {"limit": 200})
    assert len(live) == 997
    assert not {r["id"] for r in live} & set(deleted["deleted"])
    archived = hubspot.get("/crm/v3/objects/contacts", params={"archived": "true", "limit": 100}).json()[
        "results"
    ]
    assert sorted(r["id"] for r in archived) == sorted(deleted["deleted"], key=int)
    assert all(r["archived"] and r["archivedAt"] == r["updatedAt"] for r in archived)
    one = hubspot.get(
        f"/crm/v3/objects/contacts/{deleted['modified'][0]}", params={"properties": "firstname"}
    )
    assert set(one.json()["properties"]) == {"firstname"}
    gone = hubspot.get(f"/crm/v3/objects/contacts/{deleted['deleted'][0]}")
    assert (gone.status_code, gone.json()["category"]) == (404, "OBJECT_NOT_FOUND")


def test_the_list_endpoint_pages_by_id(hubspot: httpx.Client) -> None:
    ids: list[int] = []
    params: dict[str, Any] = {"limit": 100}
    while True:
        page = hubspot.get("/crm/v3/objects/companies", params=params).json()
        ids += [int(r["id"]) for r in page["results"]]
        if "paging" not in page:
            break
        params["after"] = page["paging"]["next"]["after"]
    assert ids == list(range(1, 11))
    assert hubspot.get("/crm/v3/objects/companies", params={"limit": 101}).status_code == 400


# -- faults ------------------------------------------------------------------------------------------------------
def test_rate_limits_carry_hubspots_headers_and_policies(start: Any) -> None:
    client = start(
        SandboxConfig(records=10, faults=parse_faults(["429:every=2:retry_after=1", "500:every=3"]))
    )
    client.headers.update(PAT)
    answers = [client.post(SEARCH, json={}) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 429, 500]
    limited = answers[1]
    assert limited.headers["retry-after"] == "1"
    assert limited.headers["x-hubspot-ratelimit-secondly-remaining"] == "0"
    assert "x-hubspot-ratelimit-daily-remaining" in limited.headers
    body = limited.json()
    assert (body["status"], body["errorType"], body["policyName"]) == ("error", "RATE_LIMIT", "SECONDLY")
    assert body["message"] == "You have reached your secondly limit."
    assert answers[2].json()["category"] == "INTERNAL_ERROR"
    client.put("/_sandbox/faults", json={"faults": ["429:every=1:policy=TEN_SECONDLY_ROLLING"]})
    rolling = client.post(SEARCH, json={})
    assert rolling.json()["policyName"] == "TEN_SECONDLY_ROLLING"
    assert rolling.json()["message"] == "You have reached your ten_secondly_rolling limit."
    assert rolling.headers["x-hubspot-ratelimit-interval-milliseconds"] == "10000"


def test_truncated_json(start: Any) -> None:
    client = start(SandboxConfig(records=10, faults=parse_faults(["malformed-json:every=1"])))
    answer = client.post(SEARCH, json={}, headers=PAT)
    assert int(answer.headers["content-length"]) == len(answer.content)
    with pytest.raises(ValueError, match=r"Expecting|Unterminated"):
        answer.json()


# -- determinism and scale ---------------------------------------------------------------------------------------
def test_two_sandboxes_with_one_seed_serve_identical_bytes(start: Any) -> None:
    first, second = start(SandboxConfig(records=500, seed=5)), start(SandboxConfig(records=500, seed=5))
    props = [
        "firstname",
        "lastname",
        "email",
        "phone",
        "mobilephone",
        "jobtitle",
        "city",
        "skills",
        "salary_expectation",
    ]
    for path, body in [
        (SEARCH, {"limit": 200, "after": "100", "properties": props}),
        ("/crm/v3/objects/deals/search", {"limit": 25, "properties": ["dealname", "amount", "description"]}),
    ]:
        assert (
            first.post(path, json=body, headers=PAT).content
            == second.post(path, json=body, headers=PAT).content
        )


def test_a_million_contacts_search_from_the_middle(start: Any) -> None:
    client = start(SandboxConfig(records=1_000_000))
    client.headers.update(PAT)
    body = {
        "filterGroups": [{"filters": [modified_filter("GTE", "2023-07-01T00:00:00.000Z")]}],
        "sorts": BY_MODIFIED,
        "limit": 200,
        "after": "9800",
    }
    page = client.post(SEARCH, json=body).json()
    assert 400_000 < page["total"] < 600_000
    assert len(page["results"]) == 200
    assert all(r["updatedAt"] >= "2023-07-01T00:00:00.000Z" for r in page["results"])
