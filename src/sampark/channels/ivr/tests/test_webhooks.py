"""Each provider's own side: signatures (all of Twilio's official vectors, Plivo V3 vectors made
with Plivo's SDK, Exotel's URL token), the exact XML/JSON rendered, replays and malformed
requests."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from sampark.callcentre.models import Call, Callback, CallEvent, CallOutcome
from sampark.channels.ivr.signatures import (
    plivo_signature_valid,
    twilio_signature_valid,
    url_token_valid,
)
from sampark.complaints.models import Complaint
from sampark.notifications.models import Notification

from .conftest import PAYLOADS, PUBLIC, payload, twilio_sign

pytestmark = pytest.mark.django_db

MOBILE = "+919839012345"
TWILIO_VECTORS = (
    Path(django_settings.SAMPARK_SHARED_DATA)
    / "protocols"
    / ("twilio_request_signature_test_vectors.json")
)


# --- signatures -----------------------------------------------------------------------------


def _twilio_vectors() -> list[dict]:
    if not TWILIO_VECTORS.exists():
        return []
    return json.loads(TWILIO_VECTORS.read_text())["vectors"]


@pytest.mark.skipif(not TWILIO_VECTORS.exists(), reason="shared reference data not present")
@pytest.mark.parametrize("vector", _twilio_vectors(), ids=lambda v: v["case"])
def test_twilio_official_signature_vectors(vector):
    data = json.loads(TWILIO_VECTORS.read_text())
    params = data["form_params"] if vector.get("params") == "form_params" else vector.get("params")
    lists = {k: v if isinstance(v, list) else [v] for k, v in (params or {}).items()}

    valid = twilio_signature_valid(
        token=data["auth_token"],
        url=vector["url"],
        params=lists,
        signature=vector["signature"],
        body=vector.get("body"),
    )

    assert valid is vector["valid"]


def test_twilio_json_body_must_match_its_hash():
    data = json.loads(TWILIO_VECTORS.read_text()) if TWILIO_VECTORS.exists() else None
    if data is None:
        pytest.skip("shared reference data not present")
    vector = next(v for v in data["vectors"] if "body" in v)
    tampered = vector["body"].replace("value", "other")

    assert not twilio_signature_valid(
        token=data["auth_token"],
        url=vector["url"],
        params={},
        signature=vector["signature"],
        body=tampered,
    )
    assert not twilio_signature_valid(
        token="", url=vector["url"], params={}, signature=vector["signature"], body=vector["body"]
    )


def test_plivo_v3_vectors_from_plivos_sdk():
    data = json.loads((PAYLOADS / "plivo_v3_vectors.json").read_text())
    for vector in data["vectors"]:
        params = {k: [v] for k, v in vector["params"].items()} if vector["method"] == "POST" else {}
        kwargs = dict(
            token=data["auth_token"], method=vector["method"], url=vector["url"], params=params
        )
        if vector["method"] == "GET":
            # GET: the SDK signs the parameters as part of the query string.
            query = "&".join(f"{k}={v}" for k, v in vector["params"].items())
            kwargs["url"] = vector["url"] + "&" + query

        assert plivo_signature_valid(
            **kwargs, nonce=vector["nonce"], signatures=f"old-token-sig,{vector['signature']}"
        )
        assert not plivo_signature_valid(
            **kwargs, nonce=vector["nonce"] + "0", signatures=vector["signature"]
        )


def test_exotel_url_token_needs_the_exact_secret():
    assert url_token_valid(expected="s3cret-token", given="s3cret-token")
    assert not url_token_valid(expected="s3cret-token", given="s3cret-tokeN")
    assert not url_token_valid(expected="", given="")


@pytest.mark.parametrize("provider", ["twilio", "plivo", "exotel"])
def test_a_forged_webhook_is_refused_and_nothing_is_stored(net, provider_phone, provider):
    caller = provider_phone(provider)(mobile=MOBILE)

    if provider == "twilio":
        url = PUBLIC + reverse("ivr:twilio_voice")
        params = payload("twilio_voice_incoming.json")
        response = caller.post(url, params, signature=twilio_sign(url, params) + "x")
    elif provider == "plivo":
        url = PUBLIC + reverse("ivr:plivo_answer")
        response = caller.post(url, payload("plivo_answer.json"), signature="bm90IGEgc2lnbmF0dXJl")
    else:
        caller.token = "guessed-token"
        response = caller.get("step")

    assert response.status_code == 403
    assert not Call.objects.exists() and not CallEvent.objects.exists()


def test_plivo_without_nonce_is_refused(net, provider_phone, client):
    provider_phone("plivo")
    url = reverse("ivr:plivo_answer")

    response = client.post(url, payload("plivo_answer.json"), HTTP_X_PLIVO_SIGNATURE_V3="abc")

    assert response.status_code == 403 and not Call.objects.exists()


def test_twilio_signature_over_the_explicit_https_port_is_accepted(net, provider_phone):
    caller = provider_phone("twilio")(mobile=MOBILE)
    path = reverse("ivr:twilio_voice")
    params = payload("twilio_voice_incoming.json")
    signed_with_port = twilio_sign(PUBLIC.replace(".example", ".example:443") + path, params)

    response = caller.post(PUBLIC + path, params, signature=signed_with_port)

    assert response.status_code == 200 and Call.objects.count() == 1


def test_only_the_configured_provider_answers(net, provider_phone, settings):
    caller = provider_phone("twilio")(mobile=MOBILE)
    settings.SAMPARK_IVR_PROVIDER = "plivo"

    url = PUBLIC + reverse("ivr:twilio_voice")
    response = caller.post(url, payload("twilio_voice_incoming.json"))

    assert response.status_code == 404 and not Call.objects.exists()


def test_a_request_without_call_id_is_a_400_and_stores_nothing(net, provider_phone):
    caller = provider_phone("twilio")(mobile=MOBILE)
    params = payload("twilio_voice_incoming.json")
    del params["CallSid"]

    response = caller.post(PUBLIC + reverse("ivr:twilio_voice"), params)

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert not Call.objects.exists()


# --- what each provider is sent -----------------------------------------------------------------


def test_twiml_nests_prompts_in_gather_and_enqueues_by_name(net, provider_phone):
    caller = provider_phone("twilio")(mobile=MOBILE)
    path = reverse("ivr:twilio_voice")
    response = caller.post(PUBLIC + path, caller._params("twilio_voice_incoming.json"))

    root = ET.fromstring(response.content)
    gather = root.find("Gather")
    assert [child.tag for child in root] == ["Gather"]
    assert gather.attrib == {
        "input": "dtmf",
        "numDigits": "1",
        "timeout": "4",
        "action": f"{PUBLIC}{path}?t=0",
        "method": "POST",
        "actionOnEmptyResult": "true",
    }
    says = gather.findall("Say")
    assert [(s.get("language"), s.get("voice")) for s in says] == [
        ("hi-IN", "Polly.Aditi"),
        ("hi-IN", "Polly.Aditi"),
        ("en-IN", "Polly.Aditi"),
    ]

    caller.action = gather.get("action")
    caller.press("1")
    emergency = caller.press("2")
    assert emergency.queue == "1912-emergency"
    assert caller.queue_action == PUBLIC + reverse("ivr:twilio_queue")


def test_plivo_xml_gets_input_then_redirects_on_silence_and_dials_the_queue(net, provider_phone):
    caller = provider_phone("plivo")(mobile=MOBILE)
    url = PUBLIC + reverse("ivr:plivo_answer")
    response = caller.post(url, caller._params("plivo_answer.json"))

    root = ET.fromstring(response.content)
    assert [child.tag for child in root] == ["GetInput", "Redirect"]
    get_input = root.find("GetInput")
    assert get_input.get("action") == f"{url}?t=0" and get_input.get("inputType") == "dtmf"
    assert get_input.get("numDigits") == "1" and get_input.get("executionTimeout") == "4"
    assert [s.get("language") for s in get_input.findall("Speak")] == ["hi-IN", "hi-IN", "en-IN"]
    assert root.find("Redirect").text == f"{url}?t=0"

    caller.action = get_input.get("action")
    caller.press("1")
    hazard = caller.press("2")
    assert hazard.queue == "+915224001100"
    assert caller.dial_action == PUBLIC + reverse("ivr:plivo_dial")


def test_exotel_gather_and_connect_configuration(net, provider_phone):
    caller = provider_phone("exotel")(mobile=MOBILE)
    assert caller.get("step").status_code == 200

    config = caller.get("gather").json()
    assert set(config) == {"gather_prompt", "max_input_digits", "input_timeout"}
    assert config["max_input_digits"] == 1 and config["input_timeout"] == 4
    assert "1912 में आपका स्वागत है" in config["gather_prompt"]["text"]

    caller.press("1")
    caller.press("2")  # safety hazard: the emergency desk
    connect = caller.get("connect").json()
    assert connect["destination"] == {"numbers": ["+915224001100"]}
    assert connect["fetch_after_attempt"] is False
    assert connect["start_call_playback"]["playback_to"] == "callee"


def test_exotel_account_entry_collects_ten_digits_with_hash(net, provider_phone):
    caller = provider_phone("exotel")(mobile="+919839099999")
    caller.dial()
    caller.get("step", digits='"1"')

    config = caller.get("gather").json()
    assert (config["max_input_digits"], config["finish_on_key"]) == (10, "#")


# --- replays and stale requests -----------------------------------------------------------------


@pytest.mark.parametrize("provider", ["twilio", "plivo"])
def test_a_replayed_step_gets_the_same_answer_and_registers_nothing_twice(
    net, provider_phone, provider
):
    caller = provider_phone(provider)(mobile=MOBILE)
    caller.dial()
    caller.press("1")
    action = caller.action
    digits = {"twilio": "Digits", "plivo": "Digits"}[provider]
    params = (
        caller._params("twilio_gather_action.json", **{digits: "1"})
        if provider == "twilio"
        else caller._params("plivo_answer.json", **{digits: "1"})
    )

    first = caller.post(action, params)
    events = CallEvent.objects.count()
    again = caller.post(action, params)

    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert Complaint.objects.count() == 1
    assert CallEvent.objects.count() == events
    assert Notification.objects.filter(event="registered").count() == 1


def test_exotel_replayed_passthru_answers_alike_and_registers_once(net, provider_phone):
    caller = provider_phone("exotel")(mobile=MOBILE)
    caller.dial()
    caller.press("1")
    caller.get("gather")

    first = caller.get("step", digits='"1"')
    again = caller.get("step", digits='"1"')

    assert first.status_code == again.status_code == 200  # the number is still to be said
    assert Complaint.objects.count() == 1


def test_an_old_prompts_answer_changes_nothing(net, provider_phone):
    caller = provider_phone("twilio")(mobile=MOBILE)
    caller.dial()
    greeting_action = caller.action
    menu = caller.press("1")

    stale = caller.post(greeting_action, caller._params("twilio_gather_action.json", Digits="2"))
    root = ET.fromstring(stale.content)
    assert [s.text for s in root.iter("Say")] == menu.texts  # the answer it got then
    assert Call.objects.get().language == "hi"  # the "2" (English) was not taken


def test_a_garbled_turn_number_replays_the_latest_answer(net, provider_phone):
    caller = provider_phone("twilio")(mobile=MOBILE)
    caller.dial()
    menu = caller.press("1")

    url = PUBLIC + reverse("ivr:twilio_voice") + "?t=x1"
    garbled = caller.post(url, caller._params("twilio_gather_action.json", Digits="1"))

    assert [s.text for s in ET.fromstring(garbled.content).iter("Say")] == menu.texts
    assert not Complaint.objects.exists()


def test_a_replayed_status_callback_ends_the_call_once(net, provider_phone):
    caller = provider_phone("twilio")(mobile=MOBILE)
    caller.dial()
    caller.press("1")
    caller.press("1")

    caller.hang_up()
    caller.hang_up()

    call = Call.objects.get()
    assert call.events.filter(kind="completed").count() == 1
    assert call.outcome == CallOutcome.IVR_CONTAINED


# --- agents unreachable -------------------------------------------------------------------------


def test_twilio_queue_full_tells_the_caller_and_opens_a_callback(net, provider_phone):
    from .test_calls import agents_on_duty

    agents_on_duty(3)
    caller = provider_phone("twilio")(mobile=MOBILE)
    caller.dial()
    caller.press("1")
    caller.press("9")

    heard = caller.leaves_queue("queue-full")

    assert "हम आपको इसी नंबर पर वापस कॉल करेंगे" in heard.text and heard.hangup
    call = Call.objects.get()
    assert call.outcome == CallOutcome.DROPPED
    assert Callback.objects.get(call=call).mobile == MOBILE


def test_plivo_without_agent_numbers_apologises_instead_of_dialling_nothing(
    net, provider_phone, settings
):
    from .test_calls import agents_on_duty

    agents_on_duty(3)
    caller = provider_phone("plivo")(mobile=MOBILE)
    settings.SAMPARK_IVR_AGENT_NUMBERS = {}
    caller.dial()
    caller.press("1")

    heard = caller.press("9")

    assert heard.queue == "" and heard.hangup
    assert "कोई प्रतिनिधि उपलब्ध नहीं है" in heard.text


@pytest.mark.parametrize("provider", ["twilio", "plivo"])
def test_a_replayed_first_webhook_is_one_offered_call(net, provider_phone, provider):
    caller = provider_phone(provider)(mobile=MOBILE)

    first = caller.dial()
    again = caller.dial()

    assert first.texts == again.texts and first.asks == again.asks == 1
    call = Call.objects.get()
    assert list(call.events.values_list("kind", flat=True)) == ["offered"]


def test_exotel_first_passthru_retried_before_the_prompt_is_one_offered_call(net, provider_phone):
    caller = provider_phone("exotel")(mobile=MOBILE)

    # Exotel retries a Passthru it got no answer to, before moving on to the Gather applet.
    assert caller.get("step").status_code == caller.get("step").status_code == 200
    config = caller.get("gather").json()

    assert "1912 में आपका स्वागत है" in config["gather_prompt"]["text"]
    call = Call.objects.get()
    assert list(call.events.values_list("kind", flat=True)) == ["offered"]
    assert call.ivr_state == "language"
