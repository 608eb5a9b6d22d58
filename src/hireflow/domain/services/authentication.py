"""Signing in, refreshing, signing out, and recognising the caller of a request.

Sign-in answers every failure (unknown email, wrong password, inactive or locked account) with the same message
and, as far as a password check goes, the same time: an unknown email is checked against a dummy hash. Failed
sign-ins are counted per account; from ``threshold`` failures in a row the account is locked, for a time that
doubles with every further failure up to a ceiling (OWASP Authentication Cheat Sheet). A successful sign-in
resets the count and, when the hashing parameters changed since the password was stored, re-hashes it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

import structlog

from hireflow.domain.models.base import DomainModel
from hireflow.domain.models.identity import LoginState, MembershipRole, Principal, User
from hireflow.domain.models.security import IssuedRefreshToken
from hireflow.domain.ports.security import AccessTokenDenylist, PasswordHasher, TokenCodec
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.domain.services.refresh_tokens import RefreshTokenService
from hireflow.shared.clock import Clock
from hireflow.shared.errors import AuthenticationFailed, NotFound, PermissionDenied

logger = structlog.get_logger(__name__)

SIGN_IN_FAILED = "incorrect email or password, or the account is locked for a while; try again later"
TOKEN_INVALID = "the access token is invalid or expired"  # noqa: S105 - a message, not a secret
_DUMMY_PASSWORD = "a password nobody has, to spend the time a real check takes"  # noqa: S105


class TokenPair(DomainModel):
    """What a sign-in or a refresh hands the client."""

    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth 2.0 token type
    expires_in: int
    """Seconds until the access token expires."""
    refresh_expires_at: datetime


@dataclass(frozen=True)
class LockoutPolicy:
    """After ``threshold`` failures in a row, lock for ``base_seconds``, doubling per failure up to a ceiling."""

    threshold: int = 5
    base_seconds: int = 60
    max_seconds: int = 3600

    def lock_for(self, failed_count: int) -> timedelta | None:
        """How long ``failed_count`` failures in a row lock the account, or None below the threshold."""
        if failed_count < self.threshold:
            return None
        doublings = min(failed_count - self.threshold, 32)  # 2**32 minutes exceeds any sensible ceiling
        return timedelta(seconds=min(self.base_seconds * 2**doublings, self.max_seconds))


class Authentication:
    """The sign-in use cases, and the check of an access token on every request."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        *,
        hasher: PasswordHasher,
        codec: TokenCodec,
        refresh_tokens: RefreshTokenService,
        denylist: AccessTokenDenylist,
        clock: Clock,
        lockout: LockoutPolicy | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._hasher = hasher
        self._codec = codec
        self._refresh_tokens = refresh_tokens
        self._denylist = denylist
        self._clock = clock
        self._lockout = lockout or LockoutPolicy()

    def sign_in(self, email: str, password: str, company_group_id: int | None = None) -> TokenPair:
        """Check the credentials and open a session in ``company_group_id`` (default: the user's first)."""
        now = self._clock.now()
        with self._uow_factory() as uow:
            user = uow.users.find_by_email(email)
            password_hash = uow.users.password_hash(user.id) if user and user.id is not None else None
            if user is None or user.id is None or not user.is_active or password_hash is None:
                self._hasher.verify(password, self._dummy_hash)
                logger.info("security.sign_in_failed", reason="unknown_or_inactive")
                raise AuthenticationFailed(SIGN_IN_FAILED)
            state = uow.users.login_state(user.id)
            if state.locked_until is not None and state.locked_until > now:
                self._hasher.verify(password, self._dummy_hash)
                logger.warning("security.sign_in_locked", user_id=user.id, locked_until=state.locked_until)
                raise AuthenticationFailed(SIGN_IN_FAILED)
            if not self._hasher.verify(password, password_hash):
                self._record_failure(uow, user.id, state, now)
                raise AuthenticationFailed(SIGN_IN_FAILED)
            tenant, role = self._tenant_for(uow, user, company_group_id)
            uow.users.set_login_state(user.id, LoginState())
            uow.users.update(user.model_copy(update={"last_login_at": now}))
            if self._hasher.needs_rehash(password_hash):
                uow.users.set_password_hash(user.id, self._hasher.hash(password))
            uow.commit()
        logger.info("security.signed_in", user_id=user.id, company_group_id=tenant)
        return self._pair(user, tenant, role, self._refresh_tokens.issue(user.id, tenant))

    def refresh(self, refresh_token: str) -> TokenPair:
        """Rotate a refresh token and hand out a fresh pair, with the user's current role in that tenant."""
        issued = self._refresh_tokens.rotate(refresh_token)
        with self._uow_factory() as uow:
            user = uow.users.find(issued.user_id)
            try:
                if user is None or not user.is_active:
                    raise AuthenticationFailed("the account is no longer active; sign in again")
                tenant, role = self._tenant_for(uow, user, issued.company_group_id)
            except (AuthenticationFailed, PermissionDenied):
                self._refresh_tokens.revoke_family(issued.token)
                raise
        return self._pair(user, tenant, role, issued)

    def sign_out(self, principal: Principal, refresh_token: str | None) -> None:
        """Deny the current access token until it expires and, given one, revoke the refresh token's family."""
        self._denylist.deny(principal.token_id, principal.token_expires_at)
        if refresh_token:
            # An unknown or expired refresh token has nothing left to revoke.
            with contextlib.suppress(AuthenticationFailed):
                self._refresh_tokens.revoke_family(refresh_token)
        logger.info("security.signed_out", user_id=principal.user_id)

    def end_access(self, user_id: int) -> None:
        """Refuse the user's access tokens issued until now (a role change): they refresh to get new ones."""
        # Whole seconds, like the tokens' "iat" (and Keycloak's not-before): a token signed after this call, in the
        # same second, must work; one signed before it in that second is the price.
        now = self._clock.now().replace(microsecond=0)
        self._denylist.refuse_user(user_id, now, now + self._codec.lifetime)
        logger.info("security.access_ended", user_id=user_id)

    def revoke_user(self, user_id: int, reason: str, company_group_id: int | None = None) -> int:
        """End the user's sessions now: refresh tokens (in ``company_group_id`` only, when given) and every
        access token issued until now. Returns how many sign-ins were ended."""
        ended = self._refresh_tokens.revoke_user(user_id, reason, company_group_id)
        self.end_access(user_id)
        return ended

    def authenticate(self, access_token: str) -> Principal:
        """The caller behind a valid, not denied access token; AuthenticationFailed (generic) otherwise."""
        claims = self._codec.decode(access_token)
        try:
            role = MembershipRole(claims.role) if claims.role else None
            user_id = claims.user_id
        except ValueError:
            raise AuthenticationFailed(TOKEN_INVALID) from None
        if self._denylist.is_refused(claims.jti, user_id, claims.iat):
            raise AuthenticationFailed(TOKEN_INVALID)
        return Principal(
            user_id=user_id,
            company_group_id=claims.tenant,
            role=role,
            is_superadmin=claims.superadmin,
            token_id=claims.jti,
            token_expires_at=claims.exp,
        )

    # -- helpers --------------------------------------------------------------------------------------------
    @cached_property
    def _dummy_hash(self) -> str:
        return self._hasher.hash(_DUMMY_PASSWORD)

    def _record_failure(self, uow: UnitOfWork, user_id: int, state: LoginState, now: datetime) -> None:
        failed = state.failed_count + 1
        lock = self._lockout.lock_for(failed)
        locked_until = now + lock if lock is not None else None
        uow.users.set_login_state(user_id, LoginState(failed_count=failed, locked_until=locked_until))
        uow.commit()
        logger.warning(
            "security.sign_in_failed", reason="wrong_password", user_id=user_id, failed_count=failed
        )
        if lock is not None:
            logger.warning("security.account_locked", user_id=user_id, locked_until=locked_until)

    @staticmethod
    def _tenant_for(
        uow: UnitOfWork, user: User, company_group_id: int | None
    ) -> tuple[int | None, MembershipRole | None]:
        """The company group and role a session of ``user`` opens in."""
        assert user.id is not None
        memberships = uow.users.memberships(user.id)
        if company_group_id is None:
            if user.is_superadmin:
                return None, None
            if not memberships:
                raise PermissionDenied("this account belongs to no company group yet; ask an admin to add it")
            return memberships[0].company_group_id, memberships[0].role
        for membership in memberships:
            if membership.company_group_id == company_group_id:
                return company_group_id, membership.role
        if user.is_superadmin:
            try:
                uow.company_groups.get(company_group_id)
            except NotFound:
                raise PermissionDenied(f"there is no company group {company_group_id}") from None
            return company_group_id, None
        raise PermissionDenied(f"this account is not a member of company group {company_group_id}")

    def _pair(
        self, user: User, tenant: int | None, role: MembershipRole | None, refresh: IssuedRefreshToken
    ) -> TokenPair:
        assert user.id is not None
        claims = self._codec.claims_for(user.id, tenant, role.value if role else None, user.is_superadmin)
        return TokenPair(
            access_token=self._codec.encode(claims),
            refresh_token=refresh.token,
            expires_in=int((claims.exp - claims.iat).total_seconds()),
            refresh_expires_at=refresh.expires_at,
        )
