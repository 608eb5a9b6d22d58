"""Identifier helpers: phone normalisation to E.164, email normalisation, request ids."""

from __future__ import annotations

import secrets

import phonenumbers

from hireflow.shared.errors import ValidationFailed


def normalize_phone(raw: str, default_region: str = "US") -> str:
    """Return ``raw`` in E.164 (``+14155550123``) or raise ValidationFailed saying why it is not a number."""
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
