"""The "Live data for developers" page: every example request works as printed, the MQTT details come from
the settings (and never show a password), and every Datastream is listed with its CSV download."""

from __future__ import annotations

import json
import shlex
from urllib.parse import urlsplit

import pytest

from digitalcov.sensors.models import Datastream, Observation

from .html_tables import get_page, table_by_caption, table_rows

pytestmark = pytest.mark.django_db
URL = "/air-quality/live-data/"


def code_blocks(soup) -> list[str]:
    return [pre.get_text() for pre in soup.find_all("pre")]


def try_it_links(soup) -> list[str]:
    return [a["href"] for a in soup.find_all("a") if a.get_text(strip=True).startswith("Try it")]


def get_json(client, url: str):
    parts = urlsplit(url)
    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_service_root_and_every_example_request_work_as_printed(client, aurn):
    soup = get_page(client, URL)
    assert "http://testserver/sta/v1.1/" in code_blocks(soup)
    stream = Datastream.objects.get(thing__properties__siteCode="COAL", properties__pollutant="PM2.5")
    things, latest, window, above, data_array = (get_json(client, url) for url in try_it_links(soup))
    assert sorted(t["name"] for t in things["value"]) == ["Coventry Allesley", "Coventry Binley Road"]
    assert all("Datastreams" in t for t in things["value"])
    assert len(latest["value"]) == 1
    newest = stream.observations.order_by("-phenomenon_time_start").first()
    assert latest["value"][0]["@iot.id"] == newest.pk
    assert len(window["value"]) == 31  # August 2022, the file's last month, has a value every day
    assert window["value"][0]["phenomenonTime"].startswith("2022-08-01")
    assert above["value"] and all(o["result"] > 25 for o in above["value"])
    assert set(above["value"][0]) == {"phenomenonTime", "result"}
    [group] = data_array["value"]
    assert group["components"] == ["phenomenonTime", "result"]
    assert len(group["dataArray"]) == 1000


def test_each_curl_example_asks_for_the_same_as_its_link(client, aurn):
    soup = get_page(client, URL)
    curls = [block for block in code_blocks(soup) if block.startswith("curl -G")]
    assert len(curls) == len(try_it_links(soup)) == 5
    for curl, link in zip(curls, try_it_links(soup), strict=True):
        words = shlex.split(curl.replace("\\\n", " "))
        url = words[2]
        params = {
            words[i + 1].split("=", 1)[0]: words[i + 1].split("=", 1)[1] for i in range(3, len(words), 2)
        }
        response = client.get(urlsplit(url).path, params)
        assert response.json() == get_json(client, link)


def test_without_a_broker_the_page_says_mqtt_is_not_configured(client, settings):
    settings.MQTT_BROKER_URL = ""
    inset = get_page(client, URL).find(class_="govuk-inset-text").get_text(strip=True)
    assert inset.startswith("MQTT is not switched on for this site (MQTT_BROKER_URL is not set)")


def test_the_broker_address_topic_and_qos_come_from_the_settings_without_the_password(client, settings, aurn):
    settings.MQTT_BROKER_URL = "mqtts://gateway:s3cret-pass@mqtt.coventry.example:8883"
    soup = get_page(client, URL)
    text = soup.get_text(" ", strip=True)
    assert "s3cret-pass" not in soup.decode() and "gateway" not in text
    facts = {
        row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
        for row in soup.select(".govuk-summary-list__row")
    }
    assert facts["Broker"] == "mqtt.coventry.example"
    assert facts["Port"] == "8883 (TLS)"
    assert facts["Topic for one datastream"] == "v1.1/Datastreams(<id>)/Observations"
    assert facts["Quality of service"].startswith("Published at QoS 1")
    assert "ask the council for your own" in facts["Sign-in"]
    stream = Datastream.objects.filter(properties__coventry=True).order_by("pk").first()
    [mosquitto] = [b for b in code_blocks(soup) if b.startswith("mosquitto_sub")]
    assert mosquitto == (
        "mosquitto_sub -h mqtt.coventry.example -p 8883 --capath /etc/ssl/certs "
        "-u YOUR_USER -P YOUR_PASSWORD "
        f"-q 1 -v \\\n  -t 'v1.1/Datastreams({stream.pk})/Observations'"
    )
    [paho] = [b for b in code_blocks(soup) if "paho" in b]
    assert f'client.subscribe("v1.1/Datastreams({stream.pk})/Observations", qos=1)' in paho
    assert 'client.connect("mqtt.coventry.example", 8883)' in paho and "client.tls_set()" in paho
    compile(paho, "example.py", "exec")  # the example is valid Python


def test_a_broker_on_this_machine_is_said_to_be_reachable_from_here_only(client, settings):
    settings.MQTT_BROKER_URL = "mqtt://127.0.0.1:1883"
    soup = get_page(client, URL)
    facts = {
        r.dt.get_text(strip=True): r.dd.get_text(" ", strip=True)
        for r in soup.select(".govuk-summary-list__row")
    }
    assert (facts["Broker"], facts["Port"]) == ("127.0.0.1", "1883 (no TLS)")
    assert facts["Reachable from"].startswith("This server only")
    assert "Sign-in" not in facts


def test_the_page_explains_write_tokens_licence_and_fair_use(client, aurn):
    soup = get_page(client, URL)
    blocks = code_blocks(soup)
    assert "digitalcov sensors_token your-organisation-name" in blocks
    assert any("-H 'Authorization: Bearer YOUR_TOKEN'" in b for b in blocks)
    text = soup.get_text(" ", strip=True)
    assert (
        "© Crown copyright Defra via uk-air.defra.gov.uk, licensed under the Open Government Licence v3.0."
        in text
    )
    assert soup.find("a", href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
    assert soup.find("h2", id="fair-use")
    assert "no fixed request limit" in text


def test_every_datastream_is_listed_with_its_csv_download(client, aurn):
    soup = get_page(client, URL)
    rows = table_rows(table_by_caption(soup, "Every datastream"))
    assert len(rows) == Datastream.objects.count() == 138
    links = {a["href"] for a in soup.find("table").find_all("a")}
    assert links == {
        f"/air-quality/datastreams/{pk}.csv" for pk in Datastream.objects.values_list("pk", flat=True)
    }
    allesley = next(r for r in rows if r["Datastream"] == "Coventry Allesley PM2.5 daily mean")
    assert (allesley["Site"], allesley["First day"], allesley["Last day"]) == (
        "Coventry Allesley",
        "1 Jan 2019",
        "31 Aug 2022",
    )
    assert allesley["File"] == "CSV of Coventry Allesley PM2.5 daily mean"


def test_a_simulated_datastream_is_tagged_and_the_documented_filter_leaves_simulated_readings_out(
    client, aurn
):
    stream = Datastream.objects.get(thing__properties__siteCode="COBR", properties__pollutant="NO2")
    stream.properties = {**stream.properties, "simulated": True}  # as simulate-sensors marks its streams
    stream.save()
    observation = stream.observations.first()
    observation.parameters = {**observation.parameters, "simulated": True}
    observation.save()
    soup = get_page(client, URL)
    rows = table_rows(table_by_caption(soup, "Every datastream"))
    tagged = [r["Datastream"] for r in rows if r["Datastream"].endswith("Simulated")]
    assert tagged == ["Coventry Binley Road NO2 daily mean Simulated"]
    documented = "parameters/simulated ne true"
    assert f"$filter={documented}" in soup.get_text()
    answer = client.get(
        f"/sta/v1.1/Datastreams({stream.pk})/Observations",
        {"$filter": documented, "$count": "true", "$top": "0"},
    )
    assert json.loads(answer.content)["@iot.count"] == stream.observations.count() - 1
    assert Observation.objects.filter(parameters__simulated=True).count() == 1


def test_the_api_docs_point_developers_to_the_live_data_page(client):
    description = client.get("/api/openapi.json").json()["info"]["description"]
    assert "/air-quality/live-data/" in description and "/sta/v1.1/" in description
