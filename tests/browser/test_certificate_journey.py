"""Journey 4 in a real browser: the admin sees the cohort, opens the eligible trainee, issues
the certificate, downloads the PDF, follows its QR code to the verification page, revokes."""

import io
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp

from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser
PATHWAY = "Certified IPT Practitioner"


def qr_link(pdf_path: Path) -> str:
    page = pypdfium2.PdfDocument(io.BytesIO(pdf_path.read_bytes()))[0]
    return zxingcpp.read_barcodes(page.render(scale=3).to_pil())[0].text


def test_admin_issues_a_certificate_that_verifies_and_revokes_it(live_server, page, tmp_path):
    sign_in(page, live_server, "admin@demo.example")
    page.get_by_role("link", name="Progress", exact=True).click()
    page.get_by_role("heading", name="Cohort progress").wait_for()
    page.locator("#chart-heatmap .main-svg").first.wait_for()  # drawn by plotly.js
    eligible = page.get_by_role("region", name=PATHWAY, exact=True)
    eligible.get_by_role("link", name="Rowan Ready").click()

    checklist = page.locator("article.checklist").filter(
        has=page.get_by_role("heading", name=f"{PATHWAY} eligible", exact=True))
    assert "eligible" in checklist.inner_text()
    checklist.get_by_role("button", name="Issue certificate").click()
    page.get_by_text("issued to Rowan Ready").wait_for()
    certificate_url = page.url

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF certificate (A4)").click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)
    link = qr_link(pdf)
    assert link.startswith(f"{live_server}/verify/")

    public = page.context.browser.new_context()  # someone else, not signed in
    reader = public.new_page()
    reader.goto(link)
    reader.get_by_text("Valid.").wait_for()
    assert "Rowan Ready" in reader.content()

    page.goto(certificate_url)
    page.get_by_role("button", name="Revoke certificate").click()
    page.get_by_text("Give the reason for revoking.").wait_for()
    page.get_by_label("Reason for revoking").fill("Issued to the wrong pathway by mistake")
    page.get_by_role("button", name="Revoke certificate").click()
    page.get_by_text("revoked; the verification page says so now").wait_for()

    reader.reload()
    reader.get_by_text("Revoked").first.wait_for()
    assert "wrong pathway" not in reader.content()
    public.close()
