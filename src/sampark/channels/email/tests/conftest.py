"""Real mail servers for the e-mail channel's tests, started by the tests themselves.

- IMAP: Debian's Dovecot (`make mail-server` installs dovecot-imapd), run in the foreground as
  a child of pytest with its own configuration in a temporary directory: one passwd-file user,
  a maildir, plain IMAP with STARTTLS and IMAPS on free localhost ports, a self-signed
  certificate made with openssl. Never the system's Dovecot service.
- SMTP: aiosmtpd, recording what the outbox's smtp_email provider sends.
"""

from __future__ import annotations

import email
import email.policy
import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from sampark.channels.email.imap import mailbox_name
from sampark.consumers.models import Consumer

PAYLOADS = Path(__file__).parent / "payloads"
OUR_ADDRESS = "complaints@uppcl.example"
USER, PASSWORD = "complaints", "imap-test-secret"


def payload(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- Dovecot ---------------------------------------------------------------------------------


@dataclass
class Dovecot:
    port: int  # plain IMAP, STARTTLS offered when `ca_file` is set
    ssl_port: int  # IMAPS (0 without a certificate)
    ca_file: str  # the self-signed certificate ("" when openssl is missing)
    host: str = "127.0.0.1"
    user: str = USER
    password: str = PASSWORD

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        client.login(self.user, self.password)
        return client

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        client = self.client()
        try:
            answer = client.append(folder, None, None, raw)
            assert answer[0] == "OK", answer
        finally:
            client.logout()

    def uids(self, folder: str = "INBOX", criteria: str = "ALL") -> list[int]:
        client = self.client()
        try:
            client.select(folder)
            _typ, data = client.uid("SEARCH", criteria)
            return [int(u) for u in data[0].split()]
        finally:
            client.logout()

    def empty(self) -> None:
        client = self.client()
        try:
            _typ, folders = client.list()
            for line in folders:
                name = mailbox_name(line.decode().rsplit(' "." ', 1)[-1].strip('"'))
                _typ, count = client.select(name)
                if int(count[0] or 0):
                    client.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
                    client.expunge()
                if name != "INBOX":
                    client.close()
                    client.delete(name)
        finally:
            client.logout()


def _certificate(directory: Path) -> tuple[str, str]:
    if shutil.which("openssl") is None:
        return "", ""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


def _config(base: Path, *, port: int, ssl_port: int, cert: str, key: str) -> str:
    """Dovecot 2.3 configuration. As root, mail is kept as `nobody` (Dovecot never serves mail
    as root); otherwise every Dovecot process runs as the current user."""
    if os.geteuid() == 0:
        uid, gid = pwd.getpwnam("nobody").pw_uid, pwd.getpwnam("nobody").pw_gid
        users = ""
    else:
        uid, gid = os.getuid(), os.getgid()
        name, group = pwd.getpwuid(uid).pw_name, grp.getgrgid(gid).gr_name
        users = (
            f"default_login_user = {name}\ndefault_internal_user = {name}\n"
            f"default_internal_group = {group}\n"
        )
    (base / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{base}/mail/{USER}::\n")
    (base / "mail").mkdir()
    os.chown(base / "mail", uid, gid)
    ssl = f"ssl = yes\nssl_cert = <{cert}\nssl_key = <{key}\n" if cert else "ssl = no\n"
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
instance_name = sampark-test-{os.getpid()}
log_path = {base}/dovecot.log
{users}{ssl}disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {base}/passwd
}}
userdb {{
  driver = passwd-file
  args = {base}/passwd
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ssl_port}
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  chroot =
}}
"""


def _wait_listening(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                if s.recv(100).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.1)
    process.kill()
    text = log.read_text() if log.exists() else ""
    pytest.fail(f"Dovecot did not start (exit {process.poll()}):\n{text}")


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[Dovecot]:
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not os.access(binary, os.X_OK):
        pytest.skip("Dovecot is needed for the IMAP tests: `make mail-server`")
    base = Path(tempfile.mkdtemp(prefix="sampark-dovecot-"))
    base.chmod(0o755)  # the mail user (nobody, when root) must reach its maildir
    cert, key = _certificate(base)
    port, ssl_port = free_port(), free_port() if cert else 0
    conf = base / "dovecot.conf"
    conf.write_text(_config(base, port=port, ssl_port=ssl_port, cert=cert, key=key))
    output = (base / "stdout.log").open("wb")
    process = subprocess.Popen(
        [binary, "-F", "-c", str(conf)], stdout=output, stderr=subprocess.STDOUT
    )
    try:
        _wait_listening(port, process, base / "dovecot.log")
        yield Dovecot(port=port, ssl_port=ssl_port, ca_file=cert)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def dovecot(dovecot_server: Dovecot, settings) -> Dovecot:
    """An empty mailbox, and the settings that make the poller read it over plain IMAP."""
    dovecot_server.empty()
    settings.SAMPARK_IMAP_HOST = dovecot_server.host
    settings.SAMPARK_IMAP_PORT = dovecot_server.port
    settings.SAMPARK_IMAP_SSL = "none"
    settings.SAMPARK_IMAP_USER = dovecot_server.user
    settings.SAMPARK_IMAP_PASSWORD = dovecot_server.password
    settings.SAMPARK_IMAP_FOLDER = "INBOX"
    settings.SAMPARK_IMAP_PROCESSED_FOLDER = ""
    settings.SAMPARK_IMAP_CA_FILE = ""
    return dovecot_server


# --- SMTP ------------------------------------------------------------------------------------


@dataclass
class SmtpSink:
    """What the SMTP server accepted: (envelope sender, recipients, parsed mail)."""

    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(mail, EmailMessage)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), mail))
        return "250 Message accepted"


@pytest.fixture
def smtp(settings) -> Iterator[SmtpSink]:
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.SAMPARK_EMAIL_PROVIDER = "smtp_email"
    settings.SAMPARK_SMTP_HOST = "127.0.0.1"
    settings.SAMPARK_SMTP_PORT = controller.port
    settings.SAMPARK_SMTP_STARTTLS = False
    settings.SAMPARK_SMTP_USER = ""
    settings.SAMPARK_SMTP_FROM = f"UPPCL 1912 <{OUR_ADDRESS}>"
    try:
        yield sink
    finally:
        controller.stop()


# --- the complainant ---------------------------------------------------------------------------


@pytest.fixture
def asha(net, staff, settings) -> Consumer:
    """The consumer the recorded mails name: the small network's Lucknow consumer (account
    1234567890, mobile 9839012345), whose JE (staff fixture) gets the complaints."""
    settings.SAMPARK_SMTP_FROM = f"UPPCL 1912 <{OUR_ADDRESS}>"
    consumer = net.consumer1
    consumer.name, consumer.language = "Asha Verma", "hi"
    consumer.save(update_fields=["name", "language"])
    return consumer
