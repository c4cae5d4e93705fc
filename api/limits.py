"""What the API reads of a request body: at most MAX_BODY_BYTES, and JSON only in UTF-8.

Without a bound a client could make the API hold a body of any size in memory before validation
refuses it. An application is a few kilobytes; the codec endpoint's batches stay under Temporal's own
payload limit (2 MB), so 4 MiB refuses nothing legitimate. JSON must be UTF-8 (RFC 8259, 8.1): the
parser underneath would also take UTF-16 or UTF-32, which no client of this API sends on purpose.
"""

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import PROBLEM_TYPES, problem_response
from iin_models.api import FieldError

MAX_BODY_BYTES = 4 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"


class BodyGuard:
    """ASGI middleware: reads at most `max_bytes` of a body (else 413), and refuses JSON that is not UTF-8 (422)."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with its body read (bounded and checked) beforehand, or refuse it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, send)  # refused unread
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message], receive), send)
                return
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(scope, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if headers.get(b"content-type", b"").split(b";")[0].strip().lower() == b"application/json" and not _utf8(body):
            await self._not_utf8(scope, send)
            return
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send)

    async def _too_large(self, scope: Scope, send: Send) -> None:
        detail = f"the request body exceeds {self.max_bytes} bytes"
        response = problem_response(Request(scope), "payload-too-large", 413, "The request body is too large", detail)
        await response(scope, _closed, send)

    async def _not_utf8(self, scope: Scope, send: Send) -> None:
        status, title = PROBLEM_TYPES["validation"]
        message = "JSON must be encoded in UTF-8, without a byte order mark"
        errors = [FieldError(field="", message=message)]
        response = problem_response(Request(scope), "validation", status, title, message, errors=errors)
        await response(scope, _closed, send)


def _utf8(body: bytes) -> bool:
    # A NUL byte is never valid JSON text, and is how UTF-16 and UTF-32 show through a UTF-8 check.
    if body.startswith(_BOM) or b"\x00" in body:
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A `receive` that hands out `messages` first, then whatever the client sends (its disconnect)."""
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


async def _closed() -> Message:
    return {"type": "http.disconnect"}
