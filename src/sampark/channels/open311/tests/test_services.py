"""GET services, services/{code} and discovery, in JSON and XML, English and Hindi, and the
errors every endpoint shares (unknown format, method, jurisdiction)."""

from __future__ import annotations

import pytest

from sampark.complaints.models import Category

from .conformance import valid_json, valid_xml

BASE = "/open311/v2"


def test_service_list_json_has_every_category_with_its_time_limits(client, net):
    response = client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    services = valid_json(response, "services")
    assert [s["service_code"] for s in services] == list(Category.values)
    no_supply = services[0]
    assert no_supply["service_name"] == "No supply"
    assert no_supply["metadata"] is True
    assert no_supply["type"] == "realtime"
    assert no_supply["group"] == "Power supply"
    assert "fuse" in no_supply["keywords"]
    # The limits come from the SLA policy rows (DESIGN section 4 defaults).
    assert no_supply["description"].endswith("Time limit: Urban 4 h, Tehsil 4 h, Rural 8 h.")
    meter = next(s for s in services if s["service_code"] == "meter")
    assert meter["description"].endswith("Time limit: Urban 7 days, Tehsil 7 days, Rural 15 days.")


def test_service_list_xml_matches_the_schema(client, net):
    response = client.get(f"{BASE}/services.xml", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    document = valid_xml(response, "services")
    codes = [s["service_code"] for s in document["service"]]
    assert codes == list(Category.values)
    assert document["service"][0]["metadata"] is True


def test_service_list_speaks_hindi_by_header_or_locale_parameter(client, net):
    by_header = client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="hi")
    by_locale = client.get(f"{BASE}/services.json?locale=hi_IN", HTTP_ACCEPT_LANGUAGE="en")
    english = client.get(f"{BASE}/services.json?locale=en", HTTP_ACCEPT_LANGUAGE="hi")

    for response in (by_header, by_locale):
        services = valid_json(response, "services")
        assert services[0]["service_name"] == "बिजली आपूर्ति बंद"
        assert response["Content-Language"] == "hi"
    assert valid_json(english, "services")[0]["service_name"] == "No supply"
    assert english["Content-Language"] == "en"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_definition_lists_the_account_and_mobile_attributes(client, net, fmt):
    response = client.get(f"{BASE}/services/dt_failure.{fmt}", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    if fmt == "json":
        definition = valid_json(response, "service_definition")
        attributes = definition["attributes"]
    else:
        definition = valid_xml(response, "service_definition")
        attributes = definition["attributes"]["attribute"]
    assert definition["service_code"] == "dt_failure"
    assert [(a["code"], a["order"], a["required"]) for a in attributes] == [
        ("account_number", 1, False),
        ("mobile", 2, False),
    ]
    assert all(a["variable"] is True and a["datatype"] == "string" for a in attributes)


def test_unknown_service_is_a_404_in_the_spec_error_format(client, net):
    as_json = client.get(f"{BASE}/services/pothole.json", HTTP_ACCEPT_LANGUAGE="en")
    as_xml = client.get(f"{BASE}/services/pothole.xml", HTTP_ACCEPT_LANGUAGE="en")

    assert (as_json.status_code, as_xml.status_code) == (404, 404)
    assert valid_json(as_json, "errors") == [
        {"code": 404, "description": "No service has this code."}
    ]
    errors = valid_xml(as_xml, "errors")["error"]
    assert errors == [{"code": 404, "description": "No service has this code."}]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_names_this_endpoint_and_both_formats(client, net, fmt):
    response = client.get(f"{BASE}/discovery.{fmt}")

    assert response.status_code == 200
    if fmt == "json":
        endpoint = valid_json(response, "discovery")["endpoints"][0]
        formats = endpoint["formats"]
    else:
        endpoint = valid_xml(response, "discovery")["endpoints"]["endpoint"][0]
        formats = endpoint["formats"]["format"]
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert sorted(formats) == ["application/json", "text/xml"]


def test_an_unsupported_format_is_a_404_in_xml(client, net):
    response = client.get(f"{BASE}/services.csv", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    error = valid_xml(response, "errors")["error"][0]
    assert "json" in error["description"] and "xml" in error["description"]


def test_a_method_the_resource_does_not_take_is_a_405(client, net):
    response = client.post(f"{BASE}/services.json", {}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 405
    assert valid_json(response, "errors")[0]["code"] == 405


def test_jurisdiction_may_be_the_state_or_a_discom(client, net):
    state = client.get(f"{BASE}/services.json?jurisdiction_id=UPPCL")
    discom = client.get(f"{BASE}/services.json?jurisdiction_id=mvvnl")
    unknown = client.get(f"{BASE}/services.json?jurisdiction_id=Z-LKO", HTTP_ACCEPT_LANGUAGE="en")

    assert (state.status_code, discom.status_code) == (200, 200)
    assert unknown.status_code == 404
    [error] = valid_json(unknown, "errors")
    assert error["description"].startswith("jurisdiction_id: ")
