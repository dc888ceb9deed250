"""A real HTTP server on 127.0.0.1 for scraper tests, with scripted routes and a request log."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import httpx


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (timeouts)
    content_type: str | None = "text/html; charset=utf-8"
    gzip: bool = False  # send with Content-Encoding: gzip


@dataclass
class Request:
    method: str
    path: str  # with the query string
    headers: dict[str, str]
    started: float
    finished: float = 0.0


Handler = Callable[[Request], Reply]


class LocalServer:
    """`server.route("/a", Reply(...))` or a callable; `server.sequence("/b", [r1, r2])` answers
    each request with the next reply (the last one repeats). Unknown paths get 404."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()
        outer = self

        class _H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                outer._handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _H)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, reply: Reply | Handler) -> None:
        self.routes[path] = reply if callable(reply) else (lambda _req, r=reply: r)

    def sequence(self, path: str, replies: list[Reply]) -> None:
        queue = list(replies)

        def handler(_req: Request) -> Reply:
            return queue.pop(0) if len(queue) > 1 else queue[0]

        self.routes[path] = handler

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if urlsplit(r.path).path == path or r.path == path]

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        req = Request("GET", h.path, {k: v for k, v in h.headers.items()}, time.monotonic())
        with self._lock:
            self.requests.append(req)
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            handler = self.routes.get(h.path) or self.routes.get(urlsplit(h.path).path)
            reply = handler(req) if handler else Reply(404, b"not found")
            if reply.delay:
                time.sleep(reply.delay)
            body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
            if reply.gzip:
                body = gzip.compress(body)
            try:
                h.send_response(reply.status)
                if reply.content_type:
                    h.send_header("Content-Type", reply.content_type)
                if reply.gzip:
                    h.send_header("Content-Encoding", "gzip")
                for k, v in reply.headers.items():
                    h.send_header(k, v)
                h.send_header("Content-Length", str(len(body)))
                h.end_headers()
                if body and reply.status != 304:
                    h.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
        finally:
            with self._lock:
                self.active -= 1
                req.finished = time.monotonic()

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class RoutedTransport(httpx.AsyncBaseTransport):
    """Stands in for the internet's routing, which cannot run here: connections to a made-up
    public address are delivered to a local server. DNS answers come from a StaticResolver, so
    the scraper's address checks see public addresses for public names and private ones for
    private names, exactly as on the internet. The HTTP exchange itself is real."""

    def __init__(self, routes: dict[tuple[str, int], tuple[str, int]]) -> None:
        self.routes = routes
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.url.host, request.url.port or 80)
        if key in self.routes:
            host, port = self.routes[key]
            request.url = request.url.copy_with(host=host, port=port)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()
