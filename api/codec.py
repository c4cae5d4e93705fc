"""Temporal's remote codec protocol (`/codec/encode`, `/codec/decode`), for operators' Web UI and CLI.

Mounted under the API at /codec, with CORS open to the Web UI's origin only. Every call needs an
operator key: as `Authorization: Bearer <key>` (the Temporal CLI's --codec-auth), or as the
HttpOnly cookie that `POST /codec/session` sets for a browser whose Web UI includes credentials.
The `X-Namespace` header must name the namespace this service runs in.
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
from db.api_keys import authenticate

COOKIE = "iin_codec_key"
_LOGIN_PAGE = """<!doctype html><meta name=viewport content="width=device-width">
<title>Codec sign-in</title>
<form method=post action=session style="font:16px sans-serif;max-width:30em;margin:2em auto">
<p>Operator API key, to let this browser's Temporal Web UI decode payloads:</p>
<input name=key type=password autocomplete=off style="width:100%" required> <button>Sign in</button></form>"""


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

    async def operator(request: Request, token: str | None) -> JSONResponse | None:
        """None if `token` is a live operator key, else the problem to answer."""
        if not token:
            return _problem(401, "an operator API key is required")
        async with context.pool.acquire() as conn:
            key = await authenticate(conn, token)
        if key is None:
            return _problem(401, "the API key is unknown or revoked")
        if not key.operator:
            return _problem(403, "only operator keys may decode payloads")
        return None

    def bearer(request: Request) -> str | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return token if scheme.lower() == "bearer" and token else request.cookies.get(COOKIE)

    async def convert(request: Request, encode: bool) -> Response:
        refused = await operator(request, bearer(request))
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
        refused = await operator(request, token)
        if refused is not None:
            return refused
        response = HTMLResponse("<p>Signed in: the Web UI can now decode payloads.</p>")
        response.set_cookie(COOKIE, str(token), httponly=True, samesite="lax", path="/codec", max_age=8 * 3600)
        return response

    return app
