"""Local stand-ins for the external services the channels talk to, started by the tests: a real
SMTP server (aiosmtpd) that can refuse chosen recipients, and an HTTP SMS gateway
(http.server in a thread) that answers as it is told and keeps what it received."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """What the SMTP server accepted; addresses in `refuse` get «550 5.1.1 No such user»."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        import email
        from email.header import decode_header, make_header

        parsed = email.message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(parsed["Subject"])))
        text = parsed.get_payload(decode=True).decode("utf8", "replace")
        self.messages.append((list(envelope.rcpt_tos), f"{subject}\n{text}"))
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    from aiosmtpd.controller import Controller

    port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


class SmsGateway:
    """The fake gateway's state: what it received and the answer it gives (status, body)."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.status = 202
        self.answer = '{"id": "msg-1"}'
        self.url = ""


@contextmanager
def sms_gateway() -> Iterator[SmsGateway]:
    gateway = SmsGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            gateway.received.append(
                {"json": body, "authorization": self.headers.get("Authorization", "")}
            )
            payload = gateway.answer.encode()
            self.send_response(gateway.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/sms"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
