"""Callers that ring the IVR through each provider's real webhook sequence.

A driver posts (or, for Exotel, gets) what the provider would: the recorded payloads in
payloads/ with the call's id, number and keys filled in, signed as the provider signs (Twilio
HMAC-SHA1, Plivo V3 HMAC-SHA256 with a nonce; Exotel's secret URL token), to the URLs the IVR
rendered in its previous answer. What the caller hears comes back parsed from the TwiML, the
Plivo XML or Exotel's JSON into the same `Heard` shape, so one scenario runs on all three.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import secrets
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse

PAYLOADS = Path(__file__).parent / "payloads"
PUBLIC = "https://ivr.uppcl.example"
TWILIO_TOKEN = "twilio-auth-token-for-tests"
PLIVO_TOKEN = "plivo-auth-token-for-tests"
EXOTEL_TOKEN = "exotel-url-secret-for-tests"
AGENT_NUMBERS = {
    "emergency": "+915224001100",
    "general": "+915224001912",
    "english": "+915224001913",
}
QUEUE_NAMES = {"emergency": "1912-emergency", "general": "1912-general", "english": "1912-english"}
PROVIDERS = ("twilio", "plivo", "exotel")

_ids = itertools.count(1)


def payload(name: str) -> dict[str, str]:
    data = json.loads((PAYLOADS / name).read_text(encoding="utf-8"))
    data.pop("_source", None)
    return data


@dataclass
class Heard:
    """One answer of the IVR, whatever the provider."""

    texts: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    asks: int | None = None  # digits the prompt collects; None: nothing asked
    queue: str = ""  # where the caller was put through to (queue name or agents' number)
    hangup: bool = False
    status: int = 200

    @property
    def text(self) -> str:
        return " ".join(self.texts)


def twilio_sign(url: str, params: dict[str, str]) -> str:
    text = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(
        hmac.new(TWILIO_TOKEN.encode(), text.encode(), hashlib.sha1).digest()
    ).decode()


def plivo_sign(url: str, params: dict[str, str], nonce: str) -> str:
    """Plivo V3 for a POST: the URL (query as sent, sorted), '.', the sorted params, '.', nonce."""
    parts = urlsplit(url)
    query = parse_qs(parts.query, keep_blank_values=True)
    text = "&".join(f"{k}={v}" for k in sorted(query) for v in sorted(query[k]))
    base = f"{parts.scheme}://{parts.netloc}{parts.path}"
    if text or params:
        base += "?" + text
    if text and params:
        base += "."
    base += "".join(f"{k}{params[k]}" for k in sorted(params))
    digest = hmac.new(PLIVO_TOKEN.encode(), f"{base}.{nonce}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class Driver(ABC):
    """One provider's webhook sequence as a caller lives it; each provider implements it."""

    provider = ""

    def __init__(self, client: Any, capture: Callable[..., Any], *, mobile: str, call_id: str):
        self.client = client
        self.capture = capture
        self.mobile = mobile  # E.164
        self.call_id = call_id
        self.last = Heard()

    def expected_queue(self, queue: str) -> str:
        return AGENT_NUMBERS[queue]

    def _run(self, send: Callable[[], Any]) -> Any:
        """Send one webhook, running what the IVR left for after commit (messages, tasks)."""
        with self.capture(execute=True):
            return send()

    @abstractmethod
    def dial(self) -> Heard:
        """The call arrives: the provider's first webhook."""

    @abstractmethod
    def press(self, keys: str) -> Heard:
        """The caller keys digits at the current prompt."""

    @abstractmethod
    def wait(self) -> Heard:
        """Let the prompt time out without a key."""

    @abstractmethod
    def agent_answers(self) -> None:
        """An agent takes the queued call."""

    @abstractmethod
    def hang_up(self) -> None:
        """The caller hangs up: the provider's end-of-call webhook."""


class TwilioDriver(Driver):
    provider = "twilio"

    def expected_queue(self, queue: str) -> str:
        return QUEUE_NAMES[queue]

    def post(self, url: str, params: dict[str, str], *, signature: str | None = None) -> Any:
        path = url.removeprefix(PUBLIC)
        sig = signature if signature is not None else twilio_sign(url, params)
        return self._run(lambda: self.client.post(path, data=params, HTTP_X_TWILIO_SIGNATURE=sig))

    def _params(self, name: str, **extra: str) -> dict[str, str]:
        data = payload(name)
        data.update(CallSid=self.call_id, From=self.mobile, Caller=self.mobile, **extra)
        return data

    def _hear(self, response: Any) -> Heard:
        heard = Heard(status=response.status_code)
        if response.status_code != 200:
            self.last = heard
            return heard
        assert response["Content-Type"].startswith("application/xml")
        root = ET.fromstring(response.content)
        assert root.tag == "Response"
        for say in root.iter("Say"):
            heard.texts.append(say.text or "")
            heard.languages.append(say.get("language", ""))
        gather = root.find("Gather")
        if gather is not None:
            assert gather.get("actionOnEmptyResult") == "true" and gather.get("input") == "dtmf"
            heard.asks = int(gather.get("numDigits", "0"))
            self.action = gather.get("action", "")
        enqueue = root.find("Enqueue")
        if enqueue is not None:
            heard.queue = enqueue.text or ""
            self.queue_action = enqueue.get("action", "")
        heard.hangup = root.find("Hangup") is not None
        self.last = heard
        return heard

    def dial(self) -> Heard:
        url = PUBLIC + reverse("ivr:twilio_voice")
        return self._hear(self.post(url, self._params("twilio_voice_incoming.json")))

    def press(self, keys: str) -> Heard:
        return self._hear(
            self.post(self.action, self._params("twilio_gather_action.json", Digits=keys))
        )

    def wait(self) -> Heard:
        params = self._params("twilio_gather_action.json")
        params.pop("Digits")
        return self._hear(self.post(self.action, params))

    def agent_answers(self) -> None:
        params = self._params("twilio_enqueue_action.json", QueueResult="bridged")
        assert self.post(self.queue_action, params).status_code == 200

    def leaves_queue(self, result: str) -> Heard:
        params = self._params("twilio_enqueue_action.json", QueueResult=result)
        return self._hear(self.post(self.queue_action, params))

    def hang_up(self) -> None:
        url = PUBLIC + reverse("ivr:twilio_status")
        assert self.post(url, self._params("twilio_status_completed.json")).status_code == 200


class PlivoDriver(Driver):
    provider = "plivo"

    @property
    def number(self) -> str:
        return self.mobile.removeprefix("+")  # Plivo sends 919839012345

    def post(self, url: str, params: dict[str, str], *, signature: str | None = None) -> Any:
        path = url.removeprefix(PUBLIC)
        nonce = str(secrets.randbelow(10**20))
        sig = signature if signature is not None else plivo_sign(url, params, nonce)
        return self._run(
            lambda: self.client.post(
                path,
                data=params,
                HTTP_X_PLIVO_SIGNATURE_V3=sig,
                HTTP_X_PLIVO_SIGNATURE_V3_NONCE=nonce,
            )
        )

    def _params(self, name: str, **extra: str) -> dict[str, str]:
        data = payload(name)
        data.update(CallUUID=self.call_id, ALegUUID=self.call_id, From=self.number, **extra)
        return data

    def _hear(self, response: Any) -> Heard:
        heard = Heard(status=response.status_code)
        if response.status_code != 200:
            self.last = heard
            return heard
        root = ET.fromstring(response.content)
        assert root.tag == "Response"
        for speak in root.iter("Speak"):
            heard.texts.append(speak.text or "")
            heard.languages.append(speak.get("language", ""))
        get_input = root.find("GetInput")
        if get_input is not None:
            assert get_input.get("inputType") == "dtmf"
            heard.asks = int(get_input.get("numDigits", "0"))
            self.action = get_input.get("action", "")
            redirect = root.find("Redirect")
            assert redirect is not None and redirect.text == self.action  # no input: timeout
        dial = root.find("Dial")
        if dial is not None:
            number = dial.find("Number")
            heard.queue = (number.text or "") if number is not None else ""
            self.dial_action = dial.get("action", "")
        heard.hangup = root.find("Hangup") is not None
        self.last = heard
        return heard

    def dial(self) -> Heard:
        url = PUBLIC + reverse("ivr:plivo_answer")
        return self._hear(self.post(url, self._params("plivo_answer.json")))

    def press(self, keys: str) -> Heard:
        params = self._params("plivo_answer.json", Digits=keys, InputType="dtmf")
        params.pop("Event")
        return self._hear(self.post(self.action, params))

    def wait(self) -> Heard:
        params = self._params("plivo_answer.json")
        params.pop("Event")
        return self._hear(self.post(self.action, params))

    def agent_answers(self) -> None:
        params = self._params("plivo_answer.json", DialStatus="completed", DialAction="hangup")
        assert self.post(self.dial_action, params).status_code == 200

    def hang_up(self) -> None:
        url = PUBLIC + reverse("ivr:plivo_hangup")
        assert self.post(url, self._params("plivo_hangup.json")).status_code == 200


class ExotelDriver(Driver):
    """Walks Exotel's applet loop: Passthru step, Gather, back to step; out through route."""

    provider = "exotel"
    token = EXOTEL_TOKEN

    @property
    def number(self) -> str:
        return "0" + self.mobile.removeprefix("+91")  # Exotel sends 09839012345

    def url(self, hook: str) -> str:
        return reverse(f"ivr:exotel_{hook}", kwargs={"token": self.token})

    def get(self, hook: str, **extra: str) -> Any:
        params = payload("exotel_passthru.json")
        params.pop("digits")
        params.update(CallSid=self.call_id, CallFrom=self.number, From=self.number, **extra)
        return self._run(lambda: self.client.get(self.url(hook), params))

    def _loop(self, digits: str | None) -> Heard:
        heard = Heard()
        extra = {"digits": f'"{digits}"'} if digits is not None else {}
        while True:
            step = self.get("step", **extra)
            heard.status = step.status_code
            if step.status_code not in (200, 302):
                self.last = heard
                return heard
            if step.status_code == 302:
                break
            config = self.get("gather").json()
            heard.texts.append(config["gather_prompt"]["text"])
            if config["input_timeout"] > 1:
                heard.asks = config["max_input_digits"]
                self.last = heard
                return heard
            extra = {"digits": '""'}  # said only; nothing keyed in its one second
        route = self.get("route")
        if route.status_code == 200:
            config = self.get("connect").json()
            heard.queue = config["destination"]["numbers"][0]
        else:
            assert route.status_code == 302
            heard.hangup = True
        self.last = heard
        return heard

    def dial(self) -> Heard:
        return self._loop(None)

    def press(self, keys: str) -> Heard:
        return self._loop(keys)

    def wait(self) -> Heard:
        return self._loop("")

    def agent_answers(self) -> None:
        self.bridged = True

    def hang_up(self) -> None:
        if getattr(self, "bridged", False):
            extra = {"CallType": "completed", "DialCallStatus": "completed"}
        else:
            extra = {"CallType": "call-attempt"}
        assert self.get("status", **extra).status_code == 200


DRIVERS: dict[str, type[Driver]] = {
    "twilio": TwilioDriver,
    "plivo": PlivoDriver,
    "exotel": ExotelDriver,
}


def ivr_settings(settings: Any, provider: str) -> None:
    settings.SAMPARK_IVR_PROVIDER = provider
    settings.SAMPARK_IVR_PUBLIC_URL = PUBLIC
    settings.SAMPARK_TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.SAMPARK_PLIVO_AUTH_TOKEN = PLIVO_TOKEN
    settings.SAMPARK_EXOTEL_URL_TOKEN = EXOTEL_TOKEN
    settings.SAMPARK_IVR_AGENT_NUMBERS = dict(AGENT_NUMBERS)
    settings.SAMPARK_IVR_QUEUE_NAMES = dict(QUEUE_NAMES)
    settings.SAMPARK_IVR_CALLBACK_OFFER_SECONDS = 120


def _caller_factory(provider: str, client: Any, capture: Any) -> Callable[..., Driver]:
    def make(mobile: str = "+919839012345", call_id: str = "") -> Driver:
        cls = DRIVERS[provider]
        number = next(_ids)
        default_id = {
            "twilio": f"CA{number:032x}",
            "plivo": f"a1b2c3d4-0000-4f00-9000-{number:012d}",
            "exotel": f"{number:032x}",
        }[provider]
        return cls(client, capture, mobile=mobile, call_id=call_id or default_id)

    return make


@pytest.fixture(params=PROVIDERS)
def phone(request, client, settings, django_capture_on_commit_callbacks) -> Callable[..., Driver]:
    """A caller on this deployment's provider (each test runs once per provider)."""
    ivr_settings(settings, request.param)
    return _caller_factory(request.param, client, django_capture_on_commit_callbacks)


@pytest.fixture
def provider_phone(client, settings, django_capture_on_commit_callbacks) -> Iterator[Callable]:
    """A caller on a named provider: provider_phone("plivo")(mobile=...)."""

    def make(provider: str) -> Callable[..., Driver]:
        ivr_settings(settings, provider)
        return _caller_factory(provider, client, django_capture_on_commit_callbacks)

    yield make
