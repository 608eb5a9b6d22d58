"""Security adapters: Argon2id password hashing (pwdlib) and HS256 access tokens (PyJWT)."""

from hireflow.infra.security.passwords import Argon2PasswordHasher
from hireflow.infra.security.tokens import JwtTokenCodec

__all__ = ["Argon2PasswordHasher", "JwtTokenCodec"]
