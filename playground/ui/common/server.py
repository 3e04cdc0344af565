"""What the web server does for every request, before Gradio sees it: a bound on the request's size, and the
response headers that keep a browser from misreading what the app serves.

Gradio 6.31 limits each uploaded file (``max_file_size``) but not a request: a 400 MB JSON body was read into
memory whole (1.13 GB added; three at once 3.25 GB), and one upload could carry thirty 9 MiB files. Here a body
larger than ``MAX_REQUEST_BYTES`` is refused with 413 as soon as its ``Content-Length`` says so, or, sent in
chunks without one, as soon as it has grown past the limit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from playground.limits import MAX_REQUEST_BYTES

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# Every response: a file is what its type says (no sniffing a text file into HTML). The page may be framed only by
# itself and by Hugging Face (a Space shows the app in a frame). A script policy is not set: Gradio's page runs
# inline scripts and styles, which any useful Content-Security-Policy script rule would block.
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", b"frame-ancestors 'self' https://huggingface.co https://*.hf.space"),
)


class RequestLimits:
    """ASGI middleware: refuses request bodies over ``limit`` bytes (413) and adds ``SECURITY_HEADERS``."""

    def __init__(self, app: Callable[..., Awaitable[None]], limit: int = MAX_REQUEST_BYTES) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode("latin-1").strip()
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        received, started, refused = 0, False, False

        async def counted_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit and not started and not refused:
                    refused = True
                    await self._refuse(send)
                if refused:  # the app stops reading: to it, the client has gone
                    return {"type": "http.disconnect"}
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if refused:
                return  # what the app answers to a request it never got whole
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, counted_receive, send_with_headers)

    async def _refuse(self, send: Send) -> None:
        body = f"Request body larger than {self.limit:,} bytes.".encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]})
        await send({"type": "http.response.body", "body": body})
