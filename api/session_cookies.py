"""The session cookies of the codec endpoint and the review desk, set and ended by one rule.

Each holds only a session's token (db/sessions.py), is HttpOnly, scoped to its own path, lives as long
as the session, and is `Secure` whenever the service's public address is https.
"""

from dataclasses import dataclass
from typing import Literal

from fastapi import Request, Response

from api.context import ApiContext


@dataclass(frozen=True)
class SessionCookie:
    """One purpose's cookie: its name, the path it is sent to, its SameSite rule."""

    name: str
    path: str
    samesite: Literal["lax", "strict"]

    def token(self, request: Request) -> str | None:
        """The session token the browser sent, if any."""
        return request.cookies.get(self.name)

    def give(self, response: Response, token: str, context: ApiContext) -> None:
        """Hand the browser a session's token for the session's whole lifetime."""
        response.set_cookie(
            self.name,
            token,
            max_age=int(context.session_lifetime.total_seconds()),
            path=self.path,
            secure=_secure(context),
            httponly=True,
            samesite=self.samesite,
        )

    def take_back(self, response: Response, context: ApiContext) -> None:
        """Tell the browser to forget the cookie (the session itself is ended in the database)."""
        response.delete_cookie(
            self.name, path=self.path, secure=_secure(context), httponly=True, samesite=self.samesite
        )


CODEC_SESSION = SessionCookie("iin_codec_session", path="/codec", samesite="lax")
DESK_SESSION = SessionCookie("iin_desk_session", path="/desk", samesite="strict")


def _secure(context: ApiContext) -> bool:
    return context.public_base_url.lower().startswith("https://")
