"""A small reference receiver: what a CRM's webhook endpoint must do, in ~80 lines.

It verifies the ``X-Signature`` with its *own* HMAC code (stdlib ``hmac``, not the
service's), refuses stale timestamps (replay protection), and deduplicates on the event id,
so "exactly once after deduplication" is something a test can count. ``ack_failures`` makes
it process an event and then answer 500 -- the lost acknowledgement that forces a resend.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    def __init__(
        self,
        secret: bytes,
        port: int | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        tolerance: float = 300.0,
    ) -> None:
        self.secret, self.port, self.clock, self.tolerance = (
            secret,
            port or free_port(),
            clock,
            tolerance,
        )
        self.requests: list[dict] = []  # every request that reached us
        self.events: dict[str, dict] = {}  # accepted, deduplicated by id (in arrival order)
        self.duplicates = 0
        self.rejected: list[str] = []
        self.ack_failures = 0
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/redactor"

    def check(self, headers, body: bytes) -> tuple[int, str]:
        sig = dict(p.split("=", 1) for p in headers.get("X-Signature", "").split(",") if "=" in p)
        if "t" not in sig or "v1" not in sig or not sig["t"].isdigit():
            return 401, "malformed signature"
        if abs(self.clock().timestamp() - int(sig["t"])) > self.tolerance:
            return 401, "stale timestamp"
        expected = hmac.new(self.secret, sig["t"].encode() + b"." + body, hashlib.sha256)
        if not hmac.compare_digest(expected.hexdigest(), sig["v1"]):
            return 401, "bad signature"
        event = json.loads(body)
        if event.get("id") != headers.get("X-Event-Id"):
            return 400, "id mismatch"
        with self._lock:
            if event["id"] in self.events:
                self.duplicates += 1
                return 200, "duplicate"
            self.events[event["id"]] = event
            if self.ack_failures > 0:
                self.ack_failures -= 1
                return 500, "processed, but the answer is lost"
        return 200, "ok"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status, why = receiver.check(self.headers, body)
                with receiver._lock:
                    receiver.requests.append({"status": status, "why": why, "body": body})
                    if status >= 400 and status != 500:
                        receiver.rejected.append(why)
                self.send_response(status)
                self.send_header("Content-Length", str(len(why)))
                self.end_headers()
                self.wfile.write(why.encode())

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
