"""Temporal's remote codec protocol (`/codec/encode`, `/codec/decode`), for operators' Web UI and CLI.

Mounted under the API at /codec, with CORS open to the Web UI's origin only. Every call needs an
operator key: as `Authorization: Bearer <key>` (the Temporal CLI's --codec-auth), or, for a browser
whose Web UI includes credentials, a session that `POST /codec/session` opens with the key. The
cookie carries only the session's token (db/sessions.py): short-lived, ended by `POST /codec/logout`
or by revoking the key, `Secure` whenever the public address is https. The `X-Namespace` header must
name the namespace this service runs in.
"""

from collections.abc import Sequence
from urllib.parse import parse_qs

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads
from temporalio.converter import PayloadCodec

from api.context import ApiContext
from api.session_cookies import CODEC_SESSION
from db.api_keys import ApiKey, authenticate
from db.sessions import end_session, live_session, open_session

_STYLE = "font:16px sans-serif;max-width:30em;margin:2em auto"
_LOGIN_PAGE = f"""<!doctype html><meta name=viewport content="width=device-width">
<title>Codec sign-in</title>
<form method=post action=session style="{_STYLE}">
<p>Operator API key, to let this browser's Temporal Web UI decode payloads:</p>
<input name=key type=password autocomplete=off style="width:100%" required> <button>Sign in</button></form>
<form method=post action=logout style="{_STYLE}"><button>Sign out</button></form>"""
_SIGNED_IN = f"""<!doctype html><title>Codec: signed in</title><div style="{_STYLE}">
<p>Signed in until {{until}} UTC: the Web UI can now decode payloads.</p>
<form method=post action=logout><button>Sign out</button></form></div>"""
_SIGNED_OUT = f"""<!doctype html><title>Codec: signed out</title>
<p style="{_STYLE}">Signed out: this browser's Web UI decodes nothing until the next sign-in.</p>"""


def _problem(status: int, title: str) -> JSONResponse:
    return JSONResponse(
        {"type": f"https://iin.example/problems/codec-{status}", "title": title, "status": status},
        status_code=status,
        media_type="application/problem+json",
    )


def create_codec_app(context: ApiContext, codec: PayloadCodec, ui_origins: Sequence[str]) -> FastAPI:
    """The codec endpoints over `codec`, for operators of `context`'s namespace."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(ui_origins),
        allow_credentials=True,
        allow_methods=["POST"],
        allow_headers=["Authorization", "Content-Type", "X-Namespace"],
    )

    def refusal(key: ApiKey | None, missing: str) -> JSONResponse | None:
        """None if `key` is an operator's, else the problem to answer."""
        if key is None:
            return _problem(401, missing)
        if not key.operator:
            return _problem(403, "only operator keys may decode payloads")
        return None

    def bearer(request: Request) -> str | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return token if scheme.lower() == "bearer" and token else None

    async def caller(request: Request) -> JSONResponse | None:
        """None if the request bears a live operator key, or a live codec session of one."""
        token, session_token = bearer(request), CODEC_SESSION.token(request)
        if not token and not session_token:
            return _problem(401, "an operator API key, or a codec session, is required")
        async with context.pool.acquire() as conn:
            if token:
                return refusal(await authenticate(conn, token), "the API key is unknown or revoked")
            assert session_token is not None
            session = await live_session(conn, session_token, "codec", context.clock.now())
        return refusal(None if session is None else session.key, "the session has ended: sign in again")

    async def convert(request: Request, encode: bool) -> Response:
        refused = await caller(request)
        if refused is not None:
            return refused
        if request.headers.get("x-namespace") != context.client.namespace:
            return _problem(403, f"this codec serves namespace {context.client.namespace!r} only")
        try:
            payloads = json_format.Parse(await request.body(), Payloads())
        except json_format.ParseError:
            return _problem(400, "the body is not a JSON Payloads message")
        try:
            result = await (codec.encode if encode else codec.decode)(list(payloads.payloads))
        except Exception:  # a payload this codec cannot open: answer without echoing it
            return _problem(422, "a payload could not be decoded with the keys held")
        return Response(json_format.MessageToJson(Payloads(payloads=result)), media_type="application/json")

    @app.post("/encode")
    async def encode(request: Request) -> Response:
        return await convert(request, encode=True)

    @app.post("/decode")
    async def decode(request: Request) -> Response:
        return await convert(request, encode=False)

    @app.get("/login", response_class=HTMLResponse)
    async def login() -> str:
        return _LOGIN_PAGE

    @app.post("/session")
    async def session(request: Request) -> Response:
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        token = (form.get("key") or [""])[0] or bearer(request)
        if not token:
            return _problem(401, "an operator API key is required")
        async with context.pool.acquire() as conn:
            key = await authenticate(conn, token)
            refused = refusal(key, "the API key is unknown or revoked")
            if refused is not None:
                return refused
            assert key is not None
            opened, session_token = await open_session(
                conn, key, "codec", context.clock.now(), context.session_lifetime
            )
        response = HTMLResponse(_SIGNED_IN.format(until=f"{opened.expires_at:%Y-%m-%d %H:%M}"))
        CODEC_SESSION.give(response, session_token, context)
        return response

    @app.post("/logout")
    async def logout(request: Request) -> Response:
        session_token = CODEC_SESSION.token(request)
        if session_token:
            async with context.pool.acquire() as conn:
                await end_session(conn, session_token, context.clock.now())
        response = HTMLResponse(_SIGNED_OUT)
        CODEC_SESSION.take_back(response, context)
        return response

    return app
