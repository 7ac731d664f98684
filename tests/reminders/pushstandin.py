"""A local stand-in for a Web Push service (FCM, Mozilla autopush): an HTTP server on
127.0.0.1 that answers each endpoint path with a scripted list of replies and records what
it received. The outside edge, and the only thing these tests fake."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 201
    headers: dict[str, str] = field(default_factory=dict)
    hang_seconds: float = 0.0


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class _Server(ThreadingHTTPServer):
    # A backlog for a burst: with socketserver's default of 5, eight senders connecting at once
    # on a busy machine can find the accept queue full, and Linux then holds their requests
    # unread until the client's read timeout, so a healthy endpoint looked like a hanging one.
    request_queue_size = 128


class PushStandIn:
    def __init__(self) -> None:
        self.script: dict[str, list[Reply]] = {}
        self.received: list[Received] = []
        self.release = threading.Event()
        self._lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with stand_in._lock:
                    replies = stand_in.script.get(self.path) or [Reply()]
                    reply = replies.pop(0) if len(replies) > 1 else replies[0]
                    stand_in.received.append(
                        Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                if reply.hang_seconds:
                    stand_in.release.wait(reply.hang_seconds)
                    return  # never answer: the client must give up on its own
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def endpoint(self, name: str, *replies: Reply) -> str:
        path = f"/push/{name}"
        self.script[path] = list(replies) or [Reply()]
        return self.base_url + path

    def received_on(self, name: str) -> list[Received]:
        return [item for item in self.received if item.path == f"/push/{name}"]

    def __enter__(self) -> "PushStandIn":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
