"""HS256 access tokens through PyJWT: claims round-trip, and every kind of bad token is refused alike."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from hireflow.domain.models.security import AccessClaims
from hireflow.domain.ports.security import TokenCodec
from hireflow.infra.security import JwtTokenCodec
from hireflow.infra.security.tokens import INVALID, signing_key
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import AuthenticationFailed

SECRET = "test-secret-key-that-is-long-enough-for-hs256"
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def codec(clock: FixedClock) -> JwtTokenCodec:
    return JwtTokenCodec(SECRET, issuer="hireflow", audience="hireflow-api", minutes=15, clock=clock)


def _payload(codec: JwtTokenCodec, **changes: Any) -> dict[str, Any]:
    claims = codec.claims_for(7, tenant=3, role="recruiter")
    payload: dict[str, Any] = {
        **claims.model_dump(),
        "iat": int(claims.iat.timestamp()),
        "exp": int(claims.exp.timestamp()),
    }
    payload.update(changes)
    return {key: value for key, value in payload.items() if value is not None}


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _refused(codec: JwtTokenCodec, token: str) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        codec.decode(token)
    assert str(caught.value) == INVALID


def test_it_is_a_token_codec(codec: JwtTokenCodec) -> None:
    port: TokenCodec = codec
    assert port is codec


def test_claims_round_trip(codec: JwtTokenCodec) -> None:
    claims = codec.claims_for(7, tenant=3, role="recruiter", superadmin=True)
    decoded = codec.decode(codec.encode(claims))
    assert decoded == claims
    assert decoded.user_id == 7
    assert decoded.exp - decoded.iat == timedelta(minutes=15)
    assert (decoded.iss, decoded.aud, decoded.iat) == ("hireflow", "hireflow-api", T0)


def test_the_header_pins_hs256_and_every_jti_is_new(codec: JwtTokenCodec) -> None:
    token = codec.encode(codec.claims_for(7))
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    assert codec.claims_for(7).jti != codec.claims_for(7).jti


def test_a_token_without_a_tenant(codec: JwtTokenCodec) -> None:
    decoded = codec.decode(codec.encode(codec.claims_for(1)))
    assert (decoded.tenant, decoded.role, decoded.superadmin) == (None, None, False)


def test_expired_at_the_exact_second_with_no_leeway(codec: JwtTokenCodec, clock: FixedClock) -> None:
    token = codec.encode(codec.claims_for(7))
    clock.advance(timedelta(minutes=15) - timedelta(seconds=1))
    codec.decode(token)
    clock.advance(timedelta(seconds=1))
    _refused(codec, token)


@pytest.mark.parametrize(
    ("issuer", "audience"), [("someone-else", "hireflow-api"), ("hireflow", "another-api"), ("", "")]
)
def test_wrong_issuer_or_audience(
    codec: JwtTokenCodec, clock: FixedClock, issuer: str, audience: str
) -> None:
    other = JwtTokenCodec(SECRET, issuer=issuer or "x", audience=audience or "y", minutes=15, clock=clock)
    _refused(codec, other.encode(other.claims_for(7)))


def test_a_token_signed_with_another_secret_is_refused(codec: JwtTokenCodec, clock: FixedClock) -> None:
    other = JwtTokenCodec(SECRET + "!", issuer="hireflow", audience="hireflow-api", minutes=15, clock=clock)
    _refused(codec, other.encode(other.claims_for(7)))


def test_a_tampered_payload_breaks_the_signature(codec: JwtTokenCodec) -> None:
    header, _payload_part, signature = codec.encode(codec.claims_for(7)).split(".")
    forged = _b64(_payload(codec, sub="1", superadmin=True))
    _refused(codec, f"{header}.{forged}.{signature}")


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_alg_none_is_refused(codec: JwtTokenCodec, alg: str) -> None:
    token = f"{_b64({'alg': alg, 'typ': 'JWT'})}.{_b64(_payload(codec))}."
    _refused(codec, token)


@pytest.mark.filterwarnings(
    "ignore::jwt.warnings.InsecureKeyLengthWarning"
)  # the forger's key is short for them
@pytest.mark.parametrize("alg", ["HS512", "HS384"])
def test_other_algorithms_are_refused_even_with_the_right_key(codec: JwtTokenCodec, alg: str) -> None:
    token = jwt.encode(_payload(codec), signing_key(SECRET), algorithm=alg)
    _refused(codec, token)


def test_the_raw_secret_is_not_the_signing_key(codec: JwtTokenCodec) -> None:
    token = jwt.encode(_payload(codec), SECRET + "-" * 8, algorithm="HS256")
    _refused(codec, token)


@pytest.mark.parametrize("claim", ["iss", "aud", "sub", "exp", "iat", "jti"])
def test_a_missing_claim_is_refused(codec: JwtTokenCodec, claim: str) -> None:
    payload = _payload(codec)
    del payload[claim]
    _refused(codec, jwt.encode(payload, signing_key(SECRET), algorithm="HS256"))


@pytest.mark.parametrize(
    "changes", [{"sub": 7}, {"exp": "tomorrow"}, {"iat": "now"}, {"jti": ""}, {"tenant": "acme"}]
)
def test_malformed_claims_are_refused(codec: JwtTokenCodec, changes: dict[str, Any]) -> None:
    _refused(codec, jwt.encode(_payload(codec, **changes), signing_key(SECRET), algorithm="HS256"))


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "a.b", "....."])
def test_garbage_is_refused(codec: JwtTokenCodec, token: str) -> None:
    _refused(codec, token)


def test_an_empty_secret_is_refused(clock: FixedClock) -> None:
    with pytest.raises(ValueError, match="HIREFLOW_SECRET_KEY"):
        JwtTokenCodec("", issuer="hireflow", audience="hireflow-api", minutes=15, clock=clock)


def test_claims_are_a_domain_model() -> None:
    claims = AccessClaims(sub="7", jti="j", iat=T0, exp=T0 + timedelta(minutes=1), iss="i", aud="a")
    assert claims.user_id == 7
