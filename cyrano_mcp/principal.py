"""Who is calling: an account's id, name and role, and how it was authenticated.

Plain data at the bottom of the core, so that the call context, logs and engines can name the caller without
importing the security services that establish it (`cyrano_mcp.security.principals`).
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal


class Role(StrEnum):
    ADMIN = "admin"
    ATTORNEY = "attorney"
    PARALEGAL = "paralegal"
    VIEWER = "viewer"


Via = Literal["token", "local"]


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: str
    username: str
    role: Role
    via: Via
    family_id: str | None = None  # the login (token family) a token belongs to; None for the local user
    expires_at: int | None = None

    def claims(self) -> dict[str, Any]:
        """What the token verifier stores on the SDK's `AccessToken` for the call path to read back."""
        return {
            "cyrano_user_id": self.user_id,
            "cyrano_username": self.username,
            "cyrano_role": self.role.value,
            "cyrano_family": self.family_id,
        }

    @classmethod
    def from_claims(cls, claims: dict[str, Any], expires_at: int | None) -> "Principal":
        return cls(
            user_id=claims["cyrano_user_id"],
            username=claims["cyrano_username"],
            role=Role(claims["cyrano_role"]),
            via="token",
            family_id=claims.get("cyrano_family"),
            expires_at=expires_at,
        )
