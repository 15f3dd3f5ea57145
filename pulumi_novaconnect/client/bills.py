"""Bills: ``bill/list`` and the file downloads ``GET bill/download/<id>``."""
from __future__ import annotations

from typing import Any, Iterator

from .core import ClientCore
from .errors import ProtocolError
from .models import Bill, Page
from .pagination import MAX_PAGE_SIZE, iter_pages

__all__ = ["BillsAPI"]

_PDF_MAGIC = b"%PDF-"
_XLSX_MAGIC = b"PK\x03\x04"  # an XLSX file is a ZIP archive


class BillsAPI(ClientCore):
    """Methods of the ``bill/*`` area."""

    def bill_list(self, page: int = 0, size: int | None = None) -> Page[Bill]:
        """POST bill/list — one page of bills (``allow_operations`` is unused and kept as an extra)."""
        body: dict[str, Any] = {"page": page}
        if size is not None:
            body["size"] = size
        return self._call("bill/list", body, parse=lambda answer: self._page("bill/list", answer, Bill))

    def iter_bills(self, page_size: int = MAX_PAGE_SIZE) -> Iterator[Bill]:
        """POST bill/list, page after page — every bill once."""
        return iter_pages(lambda page, size: self.bill_list(page, size), method="bill/list", page_size=page_size)

    def list_bills(self, page_size: int = MAX_PAGE_SIZE) -> list[Bill]:
        """POST bill/list, all pages — every bill, as a list."""
        return list(self.iter_bills(page_size))

    def bill_pdf(self, bill_id: int) -> bytes:
        """GET bill/download/<id> — the bill as PDF."""
        return self._bill_file(bill_id, {}, _PDF_MAGIC, "a PDF")

    def bill_transcript(self, bill_id: int) -> bytes:
        """GET bill/download/<id>?mode=transcript — the bill's transcript as XLSX."""
        return self._bill_file(bill_id, {"mode": "transcript"}, _XLSX_MAGIC, "an XLSX file")

    def _bill_file(self, bill_id: int, params: dict[str, Any], magic: bytes, what: str) -> bytes:
        # The token goes in the Authorization header, never in `?token=` (the vendor allows
        # both): a URL ends up in logs and exception texts.
        content = self._download(f"bill/download/{int(bill_id)}", params, method="bill/download")
        if not content.startswith(magic):
            raise ProtocolError("bill/download", f"bill {bill_id}: the file is not {what}", http_status=200,
                                body=content[:200])
        return content
