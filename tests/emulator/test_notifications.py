"""The platform's notifications: raised through the control surface, POSTed as the vendor
documents them, with their effect on the SIMs and the API."""
from __future__ import annotations

import base64

from pulumi_novaconnect.client.models.webhooks import Notification, parse_webhook

from .test_webhooks import receiver  # noqa: F401 (a fixture)


def notify(api, **body) -> dict:
    response = api.http.post(f"{api.control}/notifications", json=body, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_msu_lock_posts_the_sims_and_blocks_them_m(api, receiver):
    url, bodies = receiver
    sims = api.pick_many("TC", 2)
    api.http.post(f"{api.control}/notifications/url", json={"url": url}, timeout=10).raise_for_status()
    delivery = notify(api, type="msu_lock", iccids=[s["iccid"] for s in sims])
    assert delivery["http_status"] == 204 and delivery["url"] == url
    content_type, body = bodies.get(timeout=5)
    assert content_type == "application/json" and set(body) == {"type", "files", "items"}
    assert body["type"] == "msu_lock" and body["files"] == []
    assert [i["iccid"] for i in body["items"]] == [s["iccid"] for s in sims]
    assert all("groups" not in i and i["block"] == "m" for i in body["items"])
    parsed = parse_webhook(body)
    assert isinstance(parsed, Notification) and [s.iccid for s in parsed.sims] == [s["iccid"] for s in sims]
    assert all(api.sim(s["iccid"])["block"] == "m" for s in sims)


def test_package_empty_blocks_td_sims_p_and_refuses_tc_sims(api, receiver):
    url, bodies = receiver
    td, tc = api.pick("TD"), api.pick("TC")
    notify(api, type="package_empty", iccids=[td["iccid"]], url=url)
    assert bodies.get(timeout=5)[1]["items"][0]["block"] == "p"
    assert api.sim(td["iccid"])["block"] == "p"
    response = api.http.post(f"{api.control}/notifications", json={"type": "package_empty", "iccids": [tc["iccid"]], "url": url}, timeout=10)
    assert response.status_code == 422 and tc["iccid"] in response.json()["message"]


def test_bill_notifications_carry_the_bill_and_its_files_in_base64(api, receiver):
    url, bodies = receiver
    bill = max(api.ok("bill/list", {"size": 100})["items"], key=lambda b: (b["added"], b["id"]))
    blocks = {s["iccid"]: s["block"] for s in api.sims()}
    for kind in ("generate_bill", "unpaid_bill_3", "unpaid_bill_5"):
        notify(api, type=kind, url=url)
        _, body = bodies.get(timeout=5)
        assert body["type"] == kind and body["items"] == [bill]
        parsed = parse_webhook(body)
        assert [b.id for b in parsed.bills] == [bill["id"]]
        pdf, xlsx = parsed.files
        assert pdf.type == "base64" and pdf.format == "application/pdf" and pdf.content().startswith(b"%PDF")
        assert xlsx.content().startswith(b"PK") and xlsx.name.endswith(".xlsx")
    assert {s["iccid"]: s["block"] for s in api.sims()} == blocks  # reminders change nothing
    assert [d["type"] for d in api.http.get(f"{api.control}/notifications", timeout=10).json()] == [
        "generate_bill", "unpaid_bill_3", "unpaid_bill_5"]


def test_unpaid_bill_6_blocks_every_sim_f_and_restricts_the_api_until_paid(api, receiver):
    url, bodies = receiver
    msu = api.pick("TC")
    api.change_sim(msu["iccid"], block="m")
    before = {s["iccid"]: s["block"] for s in api.sims()}
    notify(api, type="unpaid_bill_6", url=url)
    _, body = bodies.get(timeout=5)
    bid = body["items"][0]["bid"]
    assert base64.b64decode(body["files"][0]["body"]).startswith(b"%PDF")
    blocks = {s["iccid"]: s["block"] for s in api.sims()}
    assert all(blocks[i] == ("m" if b == "m" else "f") for i, b in before.items()) and blocks[msu["iccid"]] == "m"
    message = api.error("sim/list", {}, status=402, lang="en")
    assert bid in message and "restricted" in message and "Pay the bill" in message
    api.error("group/create", {"name": "x"}, status=402)
    assert api.ok("company/get")["result"]["item"]["id"]  # what is owed can still be seen
    assert api.ok("bill/list", {"size": 5})["items"]

    lifted = api.http.post(f"{api.control}/notifications/paid", timeout=10).json()
    assert lifted == {"lifted": bid, "unblocked": sum(b == "f" for b in blocks.values())}
    assert api.ok("sim/list", {"size": 5})["items"]
    assert api.sim(msu["iccid"])["block"] == "m"


def test_reset_lifts_the_restriction(api, receiver):
    url, _ = receiver
    notify(api, type="unpaid_bill_6", url=url)
    api.reset()
    assert api.ok("sim/list", {"size": 1})["items"]


def test_an_unknown_type_or_a_missing_url_is_refused(api):
    response = api.http.post(f"{api.control}/notifications", json={"type": "nope"}, timeout=10)
    assert response.status_code == 422 and "msu_lock" in response.json()["message"]
    response = api.http.post(f"{api.control}/notifications", json={"type": "generate_bill"}, timeout=10)
    assert response.status_code == 422 and response.json()["message"].startswith("url")
