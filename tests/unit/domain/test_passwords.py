"""The password policy: length first, no common passwords, no email name, more than one kind of character."""

from __future__ import annotations

import pytest

from hireflow.domain.services.passwords import check_password_policy
from hireflow.shared.errors import ValidationFailed

EMAIL = "rita.recruiter@acme.example"


def _rules(password: str, email: str = EMAIL) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        check_password_policy(password, email)
    return [error["rule"] for error in caught.value.errors]


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "Tr0ub4dor&3xyz",
        "a" * 7 + "b" * 5 + "1",
        "x" * 127 + "9",
        "ÿñ€ß-çüé-ıøå",
    ],
)
def test_good_passwords_pass(password: str) -> None:
    check_password_policy(password, EMAIL)


def test_too_short() -> None:
    assert _rules("Ab1!xyz") == ["min_length"]


def test_twelve_characters_are_enough_and_128_the_most() -> None:
    check_password_policy("Ab1!xyzQRstu", EMAIL)
    check_password_policy("Ab1!" + "x" * 124, EMAIL)
    assert _rules("Ab1!" + "x" * 125) == ["max_length"]


@pytest.mark.parametrize("password", ["password1234", "PASSWORD1234", "Qwerty123456", "hireflow1234"])
def test_common_passwords_are_refused_in_any_case(password: str) -> None:
    assert "common" in _rules(password)


def test_the_email_local_part_is_refused_in_any_case() -> None:
    assert _rules("xx-RITA.RECRUITER-2026", EMAIL) == ["contains_email"]


def test_a_very_short_local_part_is_not_held_against_the_password() -> None:
    check_password_policy("al-the-great-2026", "al@acme.example")


@pytest.mark.parametrize("password", ["zzzzzzzzzzzz", "111111111111111"])
def test_one_repeated_character_is_refused(password: str) -> None:
    assert "one_character" in _rules(password)


@pytest.mark.parametrize("password", ["926481736259", "abcdefghmnop", "QWERTYUIOPLK", "!@#$%^&*()_+"])
def test_one_class_of_characters_is_refused_unless_long(password: str) -> None:
    assert "one_class" in _rules(password)


def test_a_long_lowercase_passphrase_is_fine() -> None:
    check_password_policy("correcthorsebatterystaple", EMAIL)


def test_every_broken_rule_is_listed_at_once() -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_password_policy("rita", "rita@acme.example")
    assert [e["rule"] for e in caught.value.errors] == ["min_length", "contains_email", "one_class"]
    assert all(e["field"] == "password" for e in caught.value.errors)
    assert "at least 12 characters" in str(caught.value)


def test_the_empty_password_is_too_short() -> None:
    assert _rules("") == ["min_length"]
