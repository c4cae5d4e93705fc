"""/desk: the review desk as server-rendered pages, for the register's staff, in Kazakh, Russian and English.

Sign-in: a reviewer's key, posted once, opens a session (db/sessions.py, purpose 'desk'); the cookie
holds the session's token only (HttpOnly, SameSite=Strict, path /desk, Secure when the public address
is https) for SESSION_MINUTES, ended sooner by "Sign out" or by revoking the key.

CSRF: every POST form but the sign-in carries a token derived from the session's own token
(HMAC-SHA256), checked in constant time; and a POST whose Origin is another site's is refused. Why a
token and not SameSite alone: SameSite=Strict keeps the cookie off requests from other *sites*, but a
sibling subdomain is the same site, and a browser that ignores the attribute sends the cookie anyway;
a token another origin cannot read or compute holds in both cases, and costs no table (it is derived,
not stored). SameSite=Strict and the Origin check stay as further layers.

Reading a comparison here is recorded in the access log like the API's (via 'desk', with the session).
"""

import hashlib
import hmac
import re
import uuid
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qs, urlencode, urlsplit
from uuid import UUID

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.context import ApiContext, Context
from api.desk_render import comparison_page, message_page, queue_page, sign_in_page
from api.desk_text import Lang, lang_of, text
from api.page import HEADERS as PAGE_HEADERS
from api.problems import PROBLEM_TYPES, ProblemError
from api.reviews import logged_comparison
from api.reviews import queue_page as queue_of
from api.session_cookies import DESK_SESSION
from api.verdicts import give_verdict
from db.api_keys import ApiKey, authenticate
from db.sessions import Session, end_session, live_session, open_session
from iin_models.desk import ReviewPending
from iin_models.review import ReviewDecision

_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}")  # iin_models.text.Identifier's pattern
_REQUEST_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # an Idempotency-Key's (api/updates.py)
router = APIRouter(prefix="/desk", include_in_schema=False)
# The verification page's headers, and forms may post to this origin only. Referrer-Policy same-origin,
# not no-referrer: under no-referrer a browser sends `Origin: null` with the desk's own forms, which the
# Origin check could not tell from a foreign page's; other sites still get no referrer.
HEADERS = PAGE_HEADERS | {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
    " frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "same-origin",
}


@dataclass(frozen=True)
class SignedIn:
    """A live desk session, its key, and the CSRF token its forms carry."""

    session: Session
    csrf: str

    @property
    def key(self) -> ApiKey:
        return self.session.key


def csrf_token(session_token: str) -> str:
    """The CSRF token of a session: derived from its token, which only its browser holds."""
    return hmac.new(session_token.encode(), b"iin-desk-csrf", hashlib.sha256).hexdigest()


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def _see(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303, headers=HEADERS)


async def _signed_in(request: Request, context: ApiContext) -> SignedIn | None:
    token = DESK_SESSION.token(request)
    if not token:
        return None
    async with context.pool.acquire() as conn:
        session = await live_session(conn, token, "desk", context.clock.now())
    if session is None or not session.key.reviewer:
        return None
    return SignedIn(session, csrf_token(token))


async def _form(request: Request) -> dict[str, str]:
    fields = parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


def _same_origin(request: Request) -> bool:
    """False when the browser says the form came from another origin (a missing Origin is let through)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    own = urlsplit(str(request.base_url))
    return origin == f"{own.scheme}://{own.netloc}"


@router.get("", response_class=HTMLResponse)
async def desk(
    request: Request,
    context: Context,
    lang: str | None = None,
    establishment: str | None = None,
    breached: str | None = None,
    cursor: str | None = None,
    decided: str | None = None,
) -> Response:
    """The queue, once signed in; the sign-in form before."""
    shown_lang = lang_of(lang)
    signed_in = await _signed_in(request, context)
    if signed_in is None:
        return _html(sign_in_page(shown_lang))
    wanted = {"true": True, "false": False}.get(breached or "")
    if establishment and not _IDENTIFIER.fullmatch(establishment):
        establishment = None  # no establishment has such an id: the whole queue
    try:
        queue = await queue_of(context, establishment or None, wanted, cursor, 50)
    except ProblemError as problem:
        return _problem_page(problem, shown_lang, signed_in)
    notice = text(decided, shown_lang) if decided in ("decided", "pending") else None
    page = queue_page(queue, shown_lang, signed_in.csrf, establishment=establishment, breached=wanted, notice=notice)
    return _html(page)


@router.post("/session")
async def sign_in(request: Request, context: Context) -> Response:
    """Open a session for a reviewer's key: the cookie gets the session's token, never the key."""
    form = await _form(request)
    lang = lang_of(form.get("lang"))
    if not _same_origin(request):
        return _html(sign_in_page(lang, text("refused", lang)), 403)
    async with context.pool.acquire() as conn:
        key = await authenticate(conn, form.get("key", ""))
        if key is None or not key.reviewer:
            title = PROBLEM_TYPES["unauthorized" if key is None else "forbidden"][1]
            return _html(sign_in_page(lang, title), 401 if key is None else 403)
        _, token = await open_session(conn, key, "desk", context.clock.now(), context.session_lifetime)
    response = _see(f"/desk?{urlencode({'lang': lang})}")
    DESK_SESSION.give(response, token, context)
    return response


def _forged(request: Request, form: dict[str, str], signed_in: SignedIn | None) -> bool:
    """Whether a POST lacks this session's CSRF token or comes from another origin."""
    if signed_in is None or not _same_origin(request):
        return True
    return not hmac.compare_digest(form.get("csrf", ""), signed_in.csrf)


@router.post("/logout")
async def sign_out(request: Request, context: Context) -> Response:
    """End the session (its CSRF token required, so no other site signs a reviewer out)."""
    form = await _form(request)
    lang = lang_of(form.get("lang"))
    signed_in = await _signed_in(request, context)
    if _forged(request, form, signed_in):
        return _html(message_page(text("refused", lang), PROBLEM_TYPES["forbidden"][1], lang, None), 403)
    async with context.pool.acquire() as conn:
        await end_session(conn, DESK_SESSION.token(request) or "", context.clock.now())
    response = _html(message_page(text("sign_out", lang), text("signed_out", lang), lang, None, error=False))
    DESK_SESSION.take_back(response, context)
    return response


def _problem_page(problem: ProblemError, lang: Lang, signed_in: SignedIn | None) -> HTMLResponse:
    status, title = PROBLEM_TYPES.get(problem.slug, (500, problem.slug))
    csrf = signed_in.csrf if signed_in else None
    return _html(message_page(text("refused", lang), f"{title}: {problem.detail or ''}", lang, csrf), status)


ApplicationId = Annotated[UUID, Path()]


@router.get("/applications/{application_id}", response_class=HTMLResponse)
async def show(application_id: ApplicationId, request: Request, context: Context, lang: str | None = None) -> Response:
    """Both people side by side, and the verdict form; the read is recorded in the access log."""
    shown_lang = lang_of(lang)
    signed_in = await _signed_in(request, context)
    if signed_in is None:
        return _html(sign_in_page(shown_lang), 401)
    try:
        shown = await logged_comparison(context, application_id, signed_in.key, "desk", signed_in.session.id)
    except ProblemError as problem:
        return _problem_page(problem, shown_lang, signed_in)
    return _html(comparison_page(shown, shown_lang, signed_in.csrf, uuid.uuid4(), context.clock.now()))


@router.post("/applications/{application_id}/verdict")
async def decide(application_id: ApplicationId, request: Request, context: Context) -> Response:
    """The verdict from the form: the same path as the API's, under the Idempotency-Key the page carried."""
    form = await _form(request)
    lang = lang_of(form.get("lang"))
    signed_in = await _signed_in(request, context)
    if _forged(request, form, signed_in):
        return _html(message_page(text("refused", lang), PROBLEM_TYPES["forbidden"][1], lang, None), 403)
    assert signed_in is not None
    try:
        decision = ReviewDecision(
            officer_id=form.get("officer_id", ""), verdict=form.get("verdict", ""), note=form.get("note") or None
        )
    except ValidationError as error:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in error.errors())
        return _html(
            message_page(text("refused", lang), f"{PROBLEM_TYPES['validation'][1]}: {fields}", lang, signed_in.csrf),
            422,
        )
    request_key = form.get("request_key", "")
    if not _REQUEST_KEY.fullmatch(request_key):
        return _html(message_page(text("refused", lang), PROBLEM_TYPES["validation"][1], lang, signed_in.csrf), 422)
    try:
        outcome = await give_verdict(context, application_id, signed_in.key, decision, request_key)
    except ProblemError as problem:
        return _problem_page(problem, lang, signed_in)
    decided = "pending" if isinstance(outcome, ReviewPending) else "decided"
    return _see(f"/desk?{urlencode({'lang': lang, 'decided': decided})}")
