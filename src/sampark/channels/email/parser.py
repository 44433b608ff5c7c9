"""One inbound mail as Sampark reads it: who sent it, what it answers, and what the person wrote.

`mail_parse(raw)` never raises on odd input. Subjects and bodies are decoded whatever the
transfer encoding (quoted-printable, base64, 8bit) and charset (UTF-8 Hindi, Latin-1, an unknown
charset read as UTF-8 with replacements); an HTML-only mail is turned into text; the quoted
earlier message and the signature of a reply are cut, so a reply's note holds only what is new.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from html import unescape
from html.parser import HTMLParser

BODY_LIMIT = 16_384  # characters of the new text kept; the rest of a huge mail is not read
HEADER_LIMIT = 250  # a Message-ID longer than this is kept as its hash
REFERENCES_KEPT = 20  # the newest ids of a long References chain
LATIN_LABELS = frozenset({"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252"})

_MSGID = re.compile(r"<[^<>\s]{1,998}>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")


@dataclass(frozen=True)
class ParsedMail:
    message_id: str  # "<...>", from the header or, without one, derived from the content
    from_address: str  # lower case; "" when the From header cannot be read
    from_name: str
    reply_to: str  # where an answer goes: Reply-To, else From
    subject: str
    text: str  # the new text: quoted reply and signature cut, HTML turned into text
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    sent_at: datetime | None = None
    automatic: str = ""  # why it is an auto-reply, bounce or bulk mail ("" for a person's mail)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """Every earlier message this one answers, nearest first."""
        seen: dict[str, None] = dict.fromkeys(self.in_reply_to)
        seen.update(dict.fromkeys(reversed(self.references)))
        return tuple(seen)


def mail_parse(raw: bytes) -> ParsedMail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    from_name, from_address = _address(message, "From")
    _name, reply_to = _address(message, "Reply-To")
    return ParsedMail(
        message_id=_message_id(message, raw),
        from_address=from_address,
        from_name=from_name,
        reply_to=reply_to or from_address,
        subject=_one_line(_header(message, "Subject"))[:300],
        text=reply_strip(body_text(message))[:BODY_LIMIT],
        in_reply_to=_ids(_header(message, "In-Reply-To"))[:1],
        references=_ids(_header(message, "References"))[-REFERENCES_KEPT:],
        sent_at=_date(_header(message, "Date")),
        automatic=automatic_reason(message, from_address=from_address),
    )


# --- headers --------------------------------------------------------------------------------


def _header(message: Message, name: str) -> str:
    """A header as text; a malformed one (bad encoded-words, stray bytes) read as best can be."""
    try:
        value = message.get(name)
        return "" if value is None else str(value)
    except (ValueError, IndexError, TypeError, LookupError):  # the header parser gave up
        pass
    for key, raw in message.raw_items():
        if key.lower() == name.lower():
            try:
                return str(make_header(decode_header(str(raw))))
            except (ValueError, LookupError, UnicodeError):
                return str(raw)
    return ""


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def _address(message: Message, name: str) -> tuple[str, str]:
    raw = _header(message, name)
    pairs = [(n, a) for n, a in getaddresses([raw]) if "@" in a]
    if not pairs:
        return "", ""
    display, address = pairs[0]
    return _one_line(display)[:120], address.strip().lower()[:254]


def _ids(text: str) -> tuple[str, ...]:
    return tuple(msgid_clean(found) for found in _MSGID.findall(text))


def msgid_clean(value: str) -> str:
    """A Message-ID as stored and compared: one line, "<...>", hashed when absurdly long."""
    value = _one_line(value)
    if value and not value.startswith("<"):
        value = f"<{value}>"
    if len(value) > HEADER_LIMIT:
        return f"<sha256.{hashlib.sha256(value.encode()).hexdigest()}@long-id.invalid>"
    return value


def _message_id(message: Message, raw: bytes) -> str:
    found = _ids(_header(message, "Message-ID"))
    if found:
        return found[0]
    # No id: the content stands for it, so the same mail delivered twice is still one mail.
    return f"<sha256.{hashlib.sha256(raw).hexdigest()}@no-message-id.invalid>"


def _date(text: str) -> datetime | None:
    try:
        value = parsedate_to_datetime(text) if text else None
    except (TypeError, ValueError, IndexError):
        return None
    return value if value is not None and value.tzinfo is not None else None


# --- auto-replies, bounces, bulk --------------------------------------------------------------

_DAEMONS = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|no-?reply|do-?not-?reply)@")
_BULK = frozenset({"bulk", "junk", "list", "auto_reply"})


def automatic_reason(message: Message, *, from_address: str) -> str:
    """Why no answer should go back (answering would start a mail loop); "" for a person."""
    auto_submitted = _header(message, "Auto-Submitted").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = _header(message, "Precedence").strip().lower()
    if precedence in _BULK:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond"):
        if _header(message, name):
            return name
    if _header(message, "List-Id") or _header(message, "List-Unsubscribe"):
        return "mailing list"
    if message.get_content_type() == "multipart/report":
        return "delivery report"
    if _header(message, "Return-Path").strip() == "<>":
        return "null sender (bounce)"
    if not from_address:
        return "no sender address"
    if _DAEMONS.match(from_address):
        return f"from {from_address}"
    return ""


# --- body -----------------------------------------------------------------------------------


def body_text(message: Message) -> str:
    """The text a person wrote: the plain part, else the HTML part as text."""
    part: Message | None = message
    if isinstance(message, EmailMessage):
        part = message.get_body(preferencelist=("plain", "html"))
    if part is None or part.get_content_maintype() != "text":
        return ""
    text = _decoded(part)
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return text_tidy(text)


def _decoded(part: Message) -> str:
    if part.get_content_charset() in LATIN_LABELS:
        # Windows clients label cp1252 text (dashes, quotes) as Latin-1; cp1252 reads both.
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            return payload.decode("cp1252", "replace")
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, UnicodeError, AssertionError, ValueError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    return str(content)


def text_tidy(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


class _HtmlText(HTMLParser):
    """Text of an HTML mail: blocks become lines; scripts, styles and quoted replies
    (<blockquote>, Gmail's gmail_quote, Outlook's reply header) are left out."""

    SKIP = frozenset({"script", "style", "head", "title", "blockquote"})
    BLOCK = frozenset(
        {"p", "div", "br", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "ul",
         "ol", "section", "article", "header", "footer", "pre"}
    )  # fmt: skip
    QUOTE_MARKS = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix")
    QUOTED_BELOW = ("divrplyfwdmsg", "appendonsend", "mail-editor-reference-message")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping: list[str] = []  # open tags whose content is left out
        self.quoted = False  # after Outlook's reply header: everything below is the old mail

    @staticmethod
    def _marks(attrs: list[tuple[str, str | None]]) -> str:
        return " ".join((v or "") for k, v in attrs if k in ("class", "id")).lower()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag == self.skipping[-1] or tag in self.SKIP:
                self.skipping.append(tag)
            return
        if self.quoted:
            return
        marks = self._marks(attrs)
        if any(mark in marks for mark in self.QUOTED_BELOW):
            self.quoted = True  # Outlook: its reply header, then the old mail as siblings
            return
        if tag in self.SKIP or any(mark in marks for mark in self.QUOTE_MARKS):
            self.skipping.append(tag)
            return
        if tag in ("br", "hr"):
            self.out.append("\n")
        elif tag in self.BLOCK:
            self._line_end()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr") and not self.skipping and not self.quoted:
            self.out.append("\n")

    def _line_end(self) -> None:
        """A block starts or ends: a new line, but never an empty one (that is <br>'s job)."""
        if self.out and not self.out[-1].endswith("\n"):
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag == "p" and not self.quoted:
            self._line_end()
            self.out.append("\n")  # paragraphs are apart
        elif tag in self.BLOCK and not self.quoted:
            self._line_end()

    def handle_data(self, data: str) -> None:
        if self.skipping or self.quoted:
            return
        text = _HTML_SPACE.sub(" ", data)  # as a browser shows it: source line breaks are spaces
        if text.strip() or (self.out and not self.out[-1].endswith("\n")):
            self.out.append(text)


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # broken markup: what was read so far
        pass
    return text_tidy(unescape("".join(parser.out)).replace("\xa0", " "))


# --- quoted replies and signatures -------------------------------------------------------------

# Where the quoted earlier mail starts, in English and Hindi clients (one line, or two joined).
_ATTRIBUTION = re.compile(
    r"^(on\b.{3,300}\bwrote:|.{3,300}\bने लिखा:|.{3,300}\bschrieb:|le .{3,300} a écrit ?:)$",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(
    r"^(-{2,}\s*(original message|forwarded message|मूल संदेश)\s*-{2,}|_{10,}|--)$",
    re.IGNORECASE,
)
_OUTLOOK_HEADER = re.compile(r"^(from|से|प्रेषक):\s.+", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^(sent|date|to|subject|भेजा गया|दिनांक|प्रति|विषय):", re.IGNORECASE)
_MOBILE_FOOTER = re.compile(
    r"^(sent from my \w+.*|get outlook for \w+.*|sent from (yahoo )?mail for \w+.*)$", re.IGNORECASE
)


def _quote_start(lines: list[str]) -> int:
    for i, line in enumerate(lines):
        stripped = line.strip()
        joined = f"{stripped} {lines[i + 1].strip()}" if i + 1 < len(lines) else stripped
        if _ATTRIBUTION.match(stripped) or (
            not stripped.endswith(":") and _ATTRIBUTION.match(joined)
        ):
            return i
        if _SEPARATORS.match(stripped):
            return i
        next_line = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if _OUTLOOK_HEADER.match(stripped) and _OUTLOOK_NEXT.match(next_line):
            return i
    return len(lines)


def reply_strip(text: str) -> str:
    """What is new in a reply: the quoted earlier mail (attribution line onwards, "> " lines),
    the signature ("-- ") and "Sent from my phone" footers are cut."""
    lines = text.split("\n")
    lines = lines[: _quote_start(lines)]
    kept = [
        line
        for line in lines
        if not line.lstrip().startswith(">") and not _MOBILE_FOOTER.match(line.strip())
    ]
    return text_tidy("\n".join(kept))
