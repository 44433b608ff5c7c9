"""The SMTP provider against a local aiosmtpd server: plain, STARTTLS + login, refusals."""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from sampark.notifications.providers import PermanentError, TransientError
from sampark.notifications.providers.smtp_email import SmtpEmailProvider, subject_of

from .conftest import RESTORED_HI, message, send

MAIL = message(channel="email", recipient="asha@example.in")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Mailbox:
    """Records what arrived; `refuse` makes RCPT answer with that line instead."""

    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    refuse: str = ""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def smtp_server(handler: Mailbox, **kwargs) -> Iterator[Controller]:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def mailbox(settings) -> Iterator[Mailbox]:
    handler = Mailbox()
    for controller in smtp_server(handler):
        settings.SAMPARK_SMTP_HOST = "127.0.0.1"
        settings.SAMPARK_SMTP_PORT = controller.port
        settings.SAMPARK_SMTP_STARTTLS = False
        settings.SAMPARK_SMTP_USER = ""
        settings.SAMPARK_SMTP_FROM = "UPPCL 1912 <noreply@uppcl.example>"
        yield handler


def test_mail_goes_out_as_utf8_text_with_a_hindi_subject(mailbox):
    result = send(SmtpEmailProvider(), MAIL)

    ((mail_from, to, content),) = mailbox.received
    assert (mail_from, to) == ("noreply@uppcl.example", ["asha@example.in"])
    parsed = email.message_from_bytes(content, policy=email.policy.default)
    assert parsed["Subject"] == "UPPCL 1912: अमीनाबाद: बिजली आपूर्ति बहाल हो गई है"
    assert parsed.get_content_charset() == "utf-8"
    assert parsed.get_content().strip() == RESTORED_HI
    assert result.provider_message_id == parsed["Message-ID"]
    assert result.provider_message_id.endswith("@uppcl.example>")


@pytest.mark.parametrize(
    ("reply", "error"),
    [("550 5.1.1 No such user", PermanentError), ("451 4.3.0 Try again later", TransientError)],
)
def test_refused_recipients(mailbox, reply, error):
    mailbox.refuse = reply

    with pytest.raises(error, match=reply.split(" ", 1)[1].split(" ", 1)[1]):
        send(SmtpEmailProvider(), MAIL)

    assert mailbox.received == []


def test_unreachable_server_is_transient(settings):
    settings.SAMPARK_SMTP_HOST = "127.0.0.1"
    settings.SAMPARK_SMTP_PORT = free_port()

    with pytest.raises(TransientError, match="unreachable"):
        send(SmtpEmailProvider(), MAIL)


def test_subject_is_the_first_sentence_and_short():
    assert subject_of("Power back. Call 1912.", sender="UPPCL") == "UPPCL: Power back"
    long = subject_of("x" * 200, sender="")
    assert len(long) == 78 and long.endswith("…")


# --- STARTTLS and login ---------------------------------------------------------------------


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_starttls_and_login(settings, certificate):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins: list[tuple[str, str]] = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        pair = (auth_data.login.decode(), auth_data.password.decode())
        logins.append(pair)
        return AuthResult(success=pair == ("sampark", "s3cret"), handled=False)

    handler = Mailbox()
    for controller in smtp_server(
        handler,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
    ):
        settings.SAMPARK_SMTP_HOST = "127.0.0.1"
        settings.SAMPARK_SMTP_PORT = controller.port
        settings.SAMPARK_SMTP_STARTTLS = True
        settings.SAMPARK_SMTP_CA_FILE = str(cert)
        settings.SAMPARK_SMTP_USER = "sampark"
        settings.SAMPARK_SMTP_PASSWORD = "s3cret"

        send(SmtpEmailProvider(), MAIL)
        settings.SAMPARK_SMTP_PASSWORD = "wrong"
        with pytest.raises(PermanentError, match="535"):
            send(SmtpEmailProvider(), MAIL)

    # smtplib tries each offered mechanism (PLAIN, then LOGIN) before giving up.
    assert logins[0] == ("sampark", "s3cret") and set(logins[1:]) == {("sampark", "wrong")}
    assert len(handler.received) == 1
