"""The e-mail check's shortcut for plain ASCII addresses gives exactly what pydantic's ``EmailStr`` check gives:
the same normalised address, or a refusal with the same reason."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, EmailStr, ValidationError
from pydantic.networks import validate_email

from hireflow.domain.models.base import Email, _checked_domain, _checked_email, checked_email

ATEXT = "abcXYZ09!#$%&'*+/=?^_`{|}~-"
# Characters that make an address invalid or send it down the full check: dots and @ in the wrong places,
# spaces, quotes, angle brackets, commas, non-ASCII letters and digits.
TROUBLE = '.@ "<>,;:()[]\\éß١'
DOMAIN_TEXT = "abcxyzABC019-."


def _outcome(check: object, address: str) -> tuple[str, str]:
    try:
        return "ok", check(address)  # type: ignore[operator]
    except ValueError as error:
        return "refused", str(error)


def _fresh(address: str) -> tuple[str, str]:
    _checked_email.cache_clear()
    return _outcome(checked_email, address)


def _reference(address: str) -> tuple[str, str]:
    return _outcome(lambda value: validate_email(value)[1], address)


local_parts = st.text(ATEXT + ".", min_size=0, max_size=70) | st.text(ATEXT + TROUBLE, max_size=20)
domains = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(st.text(DOMAIN_TEXT, min_size=0, max_size=70), min_size=0, max_size=4),
    st.sampled_from(["com", "ORG", "io", "x", "localhost", "test", "co.uk", "", "123"]),
) | st.text(DOMAIN_TEXT + TROUBLE, max_size=30)


@settings(max_examples=3_000, deadline=None)
@given(local=local_parts, domain=domains)
@example(local="Postmaster", domain="gmail.com")  # a role name email-validator lower-cases
@example(local="ABUSE", domain="Example.ORG")
@example(local="Ana.Lima", domain="Example.ORG")
@example(local="a" * 64, domain="gmail.com")
@example(local="a" * 65, domain="gmail.com")
@example(local="a" * 64, domain=("b" * 60 + ".") * 3 + "com")  # each part fits, the whole does not
@example(local="a..b", domain="gmail.com")
@example(local=".a", domain="gmail.com")
@example(local="a", domain="gmail.com.")
@example(local="a", domain="-gmail.com")
@example(local="a", domain="xn--bcher-kva.com")
@example(local="a", domain="xn--zz.com")
def test_the_shortcut_agrees_with_pydantic(local: str, domain: str) -> None:
    address = f"{local}@{domain}"
    assert _fresh(address) == _reference(address)


@given(address=st.emails())
def test_generated_addresses_agree_with_pydantic(address: str) -> None:
    assert _fresh(address) == _reference(address)


@pytest.mark.parametrize(
    "address",
    ["Ana Lima <ana.lima@example.org>", "ana.lima@exämple.org", "ána@example.org", '"a b"@example.org'],
)
def test_addresses_outside_the_shortcut_take_the_full_check(address: str) -> None:
    assert _fresh(address) == _reference(address)


def test_a_domain_is_checked_once_for_all_its_addresses() -> None:
    _checked_email.cache_clear()
    _checked_domain.cache_clear()
    assert [checked_email(f"ana{n}@Example.ORG") for n in range(3)] == [
        f"ana{n}@example.org" for n in range(3)
    ]
    assert _checked_domain.cache_info().misses == 1


@pytest.mark.parametrize("address", ["ana..lima@example.org", "ana@localhost", "ana@example..org"])
def test_a_model_refuses_a_bad_address_with_pydantic_s_own_reason(address: str) -> None:
    class Person(BaseModel):
        email: Email

    class Reference(BaseModel):
        email: EmailStr

    with pytest.raises(ValidationError) as refused:
        Person(email=address)
    with pytest.raises(ValidationError) as reference:
        Reference(email=address)
    assert refused.value.errors()[0]["msg"] == reference.value.errors()[0]["msg"]
