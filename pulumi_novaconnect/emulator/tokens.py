"""Bearer tokens, the platform's only credential: kept apart from user/* because the
control surface and armed faults revoke and issue them out of band, as an administrator
rotating tokens mid-run would."""
from __future__ import annotations

from .errors import NotFound, Unauthorized
from .locking import locked, mutating
from .models import User


@locked
def authenticate(backend, token: str | None) -> User:
    """The user owning the token; a deactivated or removed user's token stops working."""
    if token:
        for user in backend.state.users.values():
            if user.token == token and user.active:
                return user
    raise Unauthorized("token")


@mutating
def revoke_token(backend, token: str) -> None:
    """The token stops working (its user stays); a revoked token is not given back."""
    for user in backend.state.users.values():
        if user.token == token:
            user.token = None


@mutating
def issue_token(backend, user_id: int, token: str) -> User:
    """Give a user a new token, replacing any it had (404 for an unknown user)."""
    user = backend.state.users.get(user_id)
    if user is None:
        raise NotFound("unknown_user", field="user_id", id=user_id)
    user.token = token
    return user


@locked
def role_of(backend, token: str | None) -> str | None:
    try:
        return authenticate(backend, token).role
    except Unauthorized:
        return None
