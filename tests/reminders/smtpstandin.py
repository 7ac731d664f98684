"""A local stand-in for an SMTP server: a socket server on 127.0.0.1 speaking just enough
SMTP (RFC 5321) for Django's backend, answering RCPT TO and the end of DATA with scripted
replies, and keeping the messages it accepted. The outside edge, and the only thing faked."""

import socket
import threading
from dataclasses import dataclass, field


@dataclass
class SmtpStandIn:
    rcpt_replies: list[str] = field(default_factory=list)  # e.g. ["451 4.3.0 try later"]
    data_replies: list[str] = field(default_factory=list)
    accepted: list[bytes] = field(default_factory=list)
    conversations: int = 0

    def __post_init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def port(self) -> int:
        return self._server.getsockname()[1]

    def __enter__(self) -> "SmtpStandIn":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._server.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            self.conversations += 1
            with client:
                self._converse(client.makefile("rwb"))

    def _converse(self, stream) -> None:
        def say(line: str) -> None:
            stream.write(line.encode() + b"\r\n")
            stream.flush()

        say("220 stand-in ESMTP")
        while True:
            line = stream.readline()
            if not line:
                return
            verb = line.decode(errors="replace").strip().upper()
            if verb.startswith(("EHLO", "HELO")):
                say("250 stand-in")
            elif verb.startswith("MAIL FROM"):
                say("250 2.1.0 ok")
            elif verb.startswith("RCPT TO"):
                say(self.rcpt_replies.pop(0) if self.rcpt_replies else "250 2.1.5 ok")
            elif verb == "DATA":
                say("354 go on")
                body = b""
                while (chunk := stream.readline()) not in (b".\r\n", b""):
                    body += chunk
                reply = self.data_replies.pop(0) if self.data_replies else "250 2.0.0 queued"
                if reply.startswith("2"):
                    self.accepted.append(body)
                say(reply)
            elif verb == "RSET" or verb == "NOOP":
                say("250 ok")
            elif verb == "QUIT":
                say("221 bye")
                return
            else:
                say("502 5.5.2 not implemented")
