"""What the web server does for every request, before Gradio sees it: a bound on the request's size, and the
response headers that keep a browser from misreading what the app serves; the page's script and font files
served from memory (``AssetCache``); and a bound on the work one learner may have in Gradio's queue
(``limit_work_per_session``).

Gradio 6.31 limits each uploaded file (``max_file_size``) but not a request: a 400 MB JSON body was read into
memory whole (1.13 GB added; three at once 3.25 GB), and one upload could carry thirty 9 MiB files. Here a body
larger than ``MAX_REQUEST_BYTES`` is refused with 413 as soon as its ``Content-Length`` says so, or, sent in
chunks without one, as soon as it has grown past the limit.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from playground.limits import MAX_ASSET_CACHE_BYTES, MAX_REQUEST_BYTES, MAX_WORK_PER_SESSION

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


# --- the page's own files: read and compressed once, not for every learner --------------------------------------

# Gradio's front end (file names carry a hash of their contents, so a name never changes meaning) and its fonts.
ASSET_PATH = re.compile(r"^/(assets|static)/[\w./-]+$")
ASSET_MAX_AGE = b"public, max-age=86400"  # a day: a learner's browser does not ask again while a class lasts


class AssetCache:
    """ASGI middleware, outermost (``wrap_outermost``): the answers to GET requests for the page's own files, kept
    whole, as sent (compressed by Gradio's Brotli middleware), one per file and accepted encoding.

    A fresh page downloads ~140 files (3.5 MB compressed: plotly's bundle alone is 4.6 MB, 1.3 MB in Brotli), and
    Gradio reads each from disk in 64 kB steps on a thread pool and compresses it again for every page: ~0.6 s of
    server CPU per page opened in a fresh browser, the largest part of what a class opening the app costs the
    server (bench/RESULTS.md, "Classroom"). Kept within ``MAX_ASSET_CACHE_BYTES``; once full, other files are
    served as before. Requests with a query, a range or conditions pass through."""

    def __init__(self, app: Callable[..., Awaitable[None]], max_bytes: int = MAX_ASSET_CACHE_BYTES) -> None:
        self.app, self.max_bytes = app, max_bytes
        self._answers: dict[tuple[bytes, bytes], tuple[Message, bytes]] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._answers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or []) if scope["type"] == "http" else {}
        if (scope["type"] != "http" or scope.get("method") != "GET" or scope.get("query_string")
                or not ASSET_PATH.match(scope.get("path", "")) or ".." in scope["path"]
                or headers.keys() & {b"range", b"if-none-match", b"if-modified-since"}):
            await self.app(scope, receive, send)
            return
        key = (scope["path"].encode(), headers.get(b"accept-encoding", b""))
        answer = self._answers.get(key)
        if answer is not None:
            start, body = answer
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if message.get("status") == 200:  # a missing file is not remembered by the browser either
                    message = {**message, "headers": [*message.get("headers", []),
                                                      (b"cache-control", ASSET_MAX_AGE)]}
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._keep(key, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)

    def _keep(self, key: tuple[bytes, bytes], start: Message | None, body: bytes) -> None:
        if start is None or start.get("status") != 200:
            return
        with self._lock:
            if key not in self._answers and self._bytes + len(body) <= self.max_bytes:
                self._answers[key] = (start, body)
                self._bytes += len(body)


def wrap_outermost(app: Any, middleware: Callable[[Any], Any]) -> None:
    """Put ``middleware`` around the whole of a started Starlette ``app``, outside Gradio's own (its Brotli
    compression is added last, so it would be outside anything passed to ``launch``)."""
    app.middleware_stack = middleware(app.middleware_stack or app.build_middleware_stack())


# --- the queue: no learner's requests may crowd out the others' ----------------------------------------------

# Gradio answers a refused request with 503, and its page shows "This application is currently busy. Please try
# again." whatever this says; a gradio_client caller reads this.
TOO_MUCH_WORK = ("This page already has {count} requests waiting or running; wait for them to finish. / "
                 "这个页面已有 {count} 个请求在等待或运行，请等它们完成。")


def work_of_session(queue: Any, session_hash: str) -> int:
    """Events of one session in Gradio's queue: waiting (every concurrency group) and running."""
    waiting = sum(event.session_hash == session_hash
                  for group in queue.event_queue_per_concurrency_id.values() for event in group.queue)
    running = sum(event.session_hash == session_hash for job in queue.active_jobs if job for event in job)
    return waiting + running


def limit_work_per_session(queue: Any, limit: int = MAX_WORK_PER_SESSION) -> None:
    """Refuse a session's request while it already has ``limit`` in the queue (waiting or running).

    Gradio 6.31 bounds the queue as a whole (``max_size``), so one client re-sending a request five times a second
    filled it, and other learners' requests were refused ("Queue is full"; a page opened meanwhile stayed blank).
    A page load asks for 7, a learner's clicks a few more; a class of 30 fits in the whole queue
    (``QUEUE_MAX_SIZE``), so a refusal reaches only the client that asked for too much, and the page sends it again
    a little later (``browser.retry_when_busy_head``). The limit is ``queue.work_per_session`` (a test lowers it).
    """
    push = queue.push
    queue.work_per_session = limit

    async def push_within_limit(body: Any, request: Any, username: str | None) -> tuple[bool, Any, str]:
        session, most = getattr(body, "session_hash", None), queue.work_per_session
        if session and work_of_session(queue, session) >= most:
            return False, TOO_MUCH_WORK.format(count=most), "queue_full"
        return await push(body, request, username)

    queue.push = push_within_limit


# Gradio 6.31's queue looks for new work every millisecond while it has none (and while all its workers are busy):
# an idle server spent 2.0 s of CPU every 30 s, 7 % of a core on a 2-vCPU Space. Every 20 ms: 0.7 s, and a request
# waits at most 20 ms longer to start (bench/RESULTS.md).
QUEUE_POLL_SECONDS = 0.02


def poll_queue_calmly(queue: Any) -> None:
    queue.sleep_when_free = QUEUE_POLL_SECONDS
