"""bill/list and the bill files: GET bill/download/<id> (PDF) and ?mode=transcript (XLSX)."""
from __future__ import annotations

import io

import openpyxl
import pytest

from .conftest import USER
from pulumi_novaconnect.testing import ADMIN_TOKEN

BILL_KEYS = {"period", "added", "id", "paided", "cost", "valute_course", "country", "valute_cost", "bid",
             "currency"}


def _download(api, bill_id, *, token=ADMIN_TOKEN, header=True, **params):
    headers = {"Authorization": f"Bearer {token}"} if header and token else {}
    if not header and token:
        params["token"] = token
    return api.http.get(f"{api.url}/bill/download/{bill_id}", headers=headers, params=params, timeout=10)


def test_bill_list_answers_bills_with_the_documented_fields(api):
    payload = api.ok("bill/list", token=USER)
    assert 3 <= payload["all_count"] <= 4 and payload["count"] == len(payload["items"]) == payload["all_count"]
    assert "allow_operations" in payload
    for bill in payload["items"]:
        assert set(bill) == BILL_KEYS
        assert bill["currency"] == "KZT" and bill["country"] == "KZ"  # a Kazakh company: bills in tenge
        assert bill["valute_cost"] == pytest.approx(bill["cost"] * bill["valute_course"], abs=0.01)


def test_bill_list_page_and_size_are_optional_and_work(api):
    everything = api.ok("bill/list")["items"]
    assert api.ok("bill/list", {"page": 1, "size": 2})["items"] == everything[2:4]


def test_bill_download_answers_a_pdf(api):
    bill = api.ok("bill/list")["items"][0]
    response = _download(api, bill["id"])
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")
    assert bill["bid"].encode() in response.content
    assert "attachment" in response.headers["Content-Disposition"]


def test_bill_download_takes_the_token_as_a_query_parameter(api):
    bill = api.ok("bill/list")["items"][0]
    response = _download(api, bill["id"], token=USER, header=False)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_bill_transcript_is_an_xlsx_that_openpyxl_reads(api):
    bill = api.ok("bill/list")["items"][0]
    response = _download(api, bill["id"], mode="transcript")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("ICCID", "Number", "Name", "Traffic, MB", "Cost, EUR")
    assert rows[-1][0] == "Total" and rows[-1][4] == bill["cost"]
    assert sum(row[4] for row in rows[1:-1]) == pytest.approx(bill["cost"], abs=0.2)
    assert {row[0] for row in rows[1:-1]} <= {s["iccid"] for s in api.sims()}


def test_bill_download_without_a_token_is_401(api):
    bill = api.ok("bill/list")["items"][0]
    response = _download(api, bill["id"], token=None)
    assert response.status_code == 401 and response.json()["code"] == 401


def test_bill_download_of_an_unknown_bill_is_404(api):
    for bill_id in ("999999", "abc"):
        response = _download(api, bill_id)
        assert response.status_code == 404 and response.json()["code"] == 404


def test_bill_downloads_are_in_the_request_log(api):
    bill = api.ok("bill/list")["items"][0]
    _download(api, bill["id"], mode="transcript")
    [entry] = api.requests("bill/download")
    assert entry["http_status"] == 200 and entry["role"] == "admin"
    assert entry["body"] == {"id": str(bill["id"]), "mode": "transcript"}
