"""company/get, bill/list and the bill file downloads."""
from __future__ import annotations

import io

import openpyxl
import pytest

from pulumi_novaconnect.client import errors
from pulumi_novaconnect.client.models import Bill, Company, Page


def test_company_get_answers_the_company_for_any_role(admin, reader):
    company = reader.company_get()
    assert isinstance(company, Company) and company == admin.company_get()
    assert company.overdraft is not None  # in the vendor's table, not its example
    assert company.billing_type in (0, 1)


def test_bill_list_answers_a_page_of_bills(reader, control):
    page = reader.bill_list()
    assert isinstance(page, Page) and page.count == len(page.items) > 0
    assert all(isinstance(b, Bill) for b in page.items)
    assert control.requests("bill/list")[-1]["body"] == {"page": 0}


def test_list_bills_walks_pages_of_one(admin):
    assert [b.id for b in admin.list_bills()] == [b.id for b in admin.iter_bills(page_size=1)]


def test_bill_pdf_downloads_a_pdf_with_the_token_in_the_header(reader, control):
    bill = reader.list_bills()[0]
    pdf = reader.bill_pdf(bill.id)
    assert pdf.startswith(b"%PDF-")
    logged = control.requests("bill/download")[-1]
    assert logged["http_status"] == 200 and logged["role"] == "user"
    assert "token" not in logged["body"]  # never in the URL: `?token=` would end up in logs


@pytest.mark.filterwarnings("ignore:Workbook contains no default style")
def test_bill_transcript_downloads_a_readable_xlsx(reader):
    bill = reader.list_bills()[0]
    book = openpyxl.load_workbook(io.BytesIO(reader.bill_transcript(bill.id)))
    assert book.worksheets and book.worksheets[0].max_row >= 1


def test_bill_download_of_an_unknown_bill_is_not_found(admin):
    with pytest.raises(errors.NotFoundError) as err:
        admin.bill_pdf(1)
    assert err.value.method == "bill/download"


def test_bill_download_with_a_bad_token_is_refused(make_client, admin):
    bill = admin.list_bills()[0]
    with pytest.raises(errors.AuthenticationError):
        make_client("wrong-token").bill_pdf(bill.id)
