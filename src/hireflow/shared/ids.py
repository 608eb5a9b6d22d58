"""Identifier helpers: phone normalisation to E.164, email normalisation, request ids."""

from __future__ import annotations

import re
import secrets

import phonenumbers

from hireflow.shared.errors import ValidationFailed

# The common ways of writing a North American number ((415) 555-0123, 415.555.0123, 415-555-0123, +1 415 555 0123,
# 1-415-555-0123, 4155550123), read without phonenumbers' general parser, which costs more than the rest of a CRM
# record's checks. Anything else, and any number this does not find valid, takes the general path.
_NORTH_AMERICAN = re.compile(r"(?:\+1|1)?[ .-]?\(?([2-9][0-9]{2})\)?[ .-]?([0-9]{3})[ .-]?([0-9]{4})")
# Default regions in which phonenumbers reads a leading 1 as the national prefix, as it does after +.
_ONE_IS_NATIONAL_PREFIX = frozenset({"US", "CA"})


def normalize_phone(raw: str, default_region: str = "US") -> str:
    """Return ``raw`` in E.164 (``+14155550123``) or raise ValidationFailed saying why it is not a number."""
    text = raw.strip()
    return _north_american(text, default_region) or _normalized(raw, default_region)


def _north_american(text: str, default_region: str) -> str | None:
    """``text`` in E.164 when it is a valid US number written in a common way; None to take the general path.

    Equal to what the general path gives (a property test compares them): the ten digits are the national
    number phonenumbers parses, and the US comes first of country code 1's regions, so a number valid as a US
    number is one ``is_valid_number`` accepts.
    """
    match = _NORTH_AMERICAN.fullmatch(text)
    if match is None or not (text.startswith("+") or default_region.upper() in _ONE_IS_NATIONAL_PREFIX):
        return None
    national = "".join(match.groups())
    number = phonenumbers.PhoneNumber(country_code=1, national_number=int(national))
    if not phonenumbers.is_valid_number_for_region(number, "US"):
        return None
    return f"+1{national}"


def _normalized(raw: str, default_region: str) -> str:
    """phonenumbers' general parse and check of ``raw``."""
    text = raw.strip()
    try:
        parsed = phonenumbers.parse(text, None if text.startswith("+") else default_region.upper())
    except phonenumbers.NumberParseException as exc:
        raise ValidationFailed(
            f"'{raw}' is not a phone number: {exc}",
            [{"field": "phone", "message": str(exc), "input": raw}],
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationFailed(
            f"'{raw}' is not a valid phone number for its region; give it with a +country prefix",
            [{"field": "phone", "message": "invalid number", "input": raw}],
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str:
    """Lower-case and strip an email address (the domain is case-insensitive; we treat the local part alike)."""
    return raw.strip().lower()


def new_request_id() -> str:
    """A short random id for correlating one request's log lines and response."""
    return secrets.token_hex(8)
