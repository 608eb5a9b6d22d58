"""The password policy, after OWASP ASVS 5 (V6.2): length over composition rules, no common passwords.

Length is what makes a password strong, so the policy asks for at least 12 characters and allows up to 128 (any
characters, spaces included). It does not demand digits or symbols; it refuses only what is trivially guessed:
very common passwords, a password that contains the user's own email name, and one character repeated.
"""

from __future__ import annotations

from typing import Any

from hireflow.shared.errors import ValidationFailed

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_EMAIL_PART = 3  # shorter local parts ("al@...") would refuse too many good passwords

# A small built-in list of passwords that top every breach corpus (checked case-insensitively).
COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "1234567890123",
        "12345678901234",
        "123456123456",
        "111111111111",
        "000000000000",
        "123123123123",
        "qwertyuiopas",
        "qwerty123456",
        "qwertyuiop123",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "password1234",
        "password12345",
        "password123456",
        "passwordpassword",
        "iloveyou1234",
        "administrator",
        "administrator1",
        "letmein12345",
        "welcome12345",
        "welcome123456",
        "changeme1234",
        "abcdefghijkl",
        "abc123abc123",
        "aaaaaaaaaaaa",
        "monkey123456",
        "football1234",
        "baseball1234",
        "sunshine1234",
        "princess1234",
        "superman1234",
        "trustno1trustno1",
        "hireflow1234",
    }
)


def check_password_policy(password: str, email: str) -> None:
    """Raise ValidationFailed listing every rule ``password`` breaks for the user with ``email``."""
    errors = [
        {"field": "password", "rule": rule, "message": message} for rule, message in _broken(password, email)
    ]
    if errors:
        raise ValidationFailed(
            "the password does not meet the policy: " + "; ".join(e["message"] for e in errors), errors
        )


def _broken(password: str, email: str) -> list[tuple[str, str]]:
    broken: list[tuple[str, Any]] = []
    if len(password) < MIN_LENGTH:
        broken.append(("min_length", f"use at least {MIN_LENGTH} characters (a few words make a good one)"))
    if len(password) > MAX_LENGTH:
        broken.append(("max_length", f"use at most {MAX_LENGTH} characters"))
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS:
        broken.append(("common", "this password is among the most common ones; choose another"))
    local_part = email.split("@", 1)[0].strip().lower()
    if len(local_part) >= MIN_EMAIL_PART and local_part in lowered:
        broken.append(("contains_email", "do not use your email name inside the password"))
    if password and len(set(password)) == 1:
        broken.append(("one_character", "do not repeat one character"))
    elif password and _single_class(password) and len(password) < 2 * MIN_LENGTH:
        broken.append(
            (
                "one_class",
                "use more than one kind of character (letters, digits, symbols), or a longer passphrase",
            )
        )
    return broken


def _single_class(password: str) -> bool:
    """True when every character is a digit, or every one a letter of one case, or every one a symbol."""
    return (
        password.isdigit()
        or (password.isalpha() and (password.islower() or password.isupper()))
        or not any(c.isalnum() for c in password)
    )
