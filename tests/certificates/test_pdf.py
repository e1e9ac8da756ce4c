"""Certificate PDF: what a holder, an employer or a verifier sees on the printed page."""

from dataclasses import replace
from datetime import date

import pypdfium2 as pdfium
import pytest
import zxingcpp

from trainer.certificates.pdf import DEJAVU_DIRS, CertificatePrint, format_date, render_pdf

HAS_DEJAVU = any((folder / "DejaVuSans-Bold.ttf").is_file() for folder in DEJAVU_DIRS)

CERT = CertificatePrint(
    holder="Ada Lovelace",
    pathway="IPT practitioner",
    organisation="Northern Institute for Interpersonal Psychotherapy",
    serial="DEMO-000001",
    issued_on=date(2025, 11, 22),
    expires_on=date(2026, 11, 22),
    verify_url="https://trainer.example.org/verify/DEMO-000001",
    issued_by="Dr Margaret Okonkwo",
    competencies=("Interpersonal inventory", "Role disputes", "Termination"),
)
LONG_URL = "https://trainer.example.org/certificates/verify/" + "a1b2c3d4e5" * 7 + "?r"

EXTREME = CertificatePrint(
    holder="Maria Fernanda de los Ángeles Guadalupe Rodríguez-Łukasiewicz y Featherstonehaugh",
    pathway="Advanced IPT practitioner and supervisor for adolescents, groups and telehealth "
    "delivery in community mental health settings",
    organisation="The International Society for Interpersonal Psychotherapy Training, "
    "Supervision and Research in Community and Hospital Settings",
    serial="ORG-WITH-A-LONG-PREFIX-000000123456",
    issued_on=date(2025, 9, 30),
    expires_on=None,
    verify_url="https://trainer.example.org/verify/" + "x" * 220,
    issued_by="Professor Emmanuelle-Charlotte Wolfeschlegelsteinhausenbergerdorff of Northumbria",
    competencies=tuple(f"Competency number {i} with a descriptive name" for i in range(40)),
    recognition="Aligned with the Therapist Certification criteria of the International Society "
    "of Interpersonal Psychotherapy (ISIPT), as ISIPT published them for its September 2021 "
    "submission round. The certificate is issued by the organisation, not by ISIPT, and holding "
    "it is not ISIPT certification. " * 2,
)
OWN = "Issued by Acme as its own certificate; it is not accreditation by any professional body."


def open_page(data: bytes):
    doc = pdfium.PdfDocument(data)
    assert len(doc) == 1
    return doc, doc[0]


def page_text(data: bytes) -> str:
    doc, page = open_page(data)
    return page.get_textpage().get_text_range()


def decode_qr(data: bytes) -> list[zxingcpp.Result]:
    doc, page = open_page(data)
    return zxingcpp.read_barcodes(page.render(scale=3).to_pil())


@pytest.mark.parametrize(
    ("page_size", "expected"), [("a4", (595.28, 841.89)), ("letter", (612.0, 792.0))]
)
def test_pdf_is_one_page_of_the_size_asked_for(page_size, expected):
    data = render_pdf(CERT, page_size)

    assert data.startswith(b"%PDF-")
    doc, page = open_page(data)
    assert page.get_size() == pytest.approx(expected, abs=0.01)


def test_default_page_size_is_a4():
    doc, page = open_page(render_pdf(CERT))

    assert page.get_size() == pytest.approx((595.28, 841.89), abs=0.01)


@pytest.mark.parametrize(
    "expected",
    [
        "Ada Lovelace",
        "IPT practitioner pathway",
        "Northern Institute for Interpersonal Psychotherapy",
        "DEMO-000001",
        "22 November 2025",
        "22 November 2026",
        "Dr Margaret Okonkwo",
        "Verify at:",
        "https://trainer.example.org/verify/DEMO-000001",
        "Interpersonal inventory · Role disputes · Termination",
        "This certifies that",
        "has met the requirements of the",
    ],
)
def test_page_text_shows_every_detail(expected):
    assert expected in page_text(render_pdf(CERT))


def test_certificate_without_expiry_says_so_and_omits_missing_issuer():
    cert = replace(CERT, expires_on=None, issued_by=None, competencies=())

    text = page_text(render_pdf(cert))

    assert "Does not expire" in text
    assert "22 November 2026" not in text
    assert "ISSUED BY" not in text
    assert "COMPETENCIES" not in text


@pytest.mark.parametrize("page_size", ["a4", "letter"])
def test_what_the_certificate_is_is_printed_under_the_pathway(page_size):
    text = page_text(render_pdf(replace(CERT, recognition=OWN), page_size))

    assert OWN in " ".join(text.split())
    assert text.index("IPT practitioner pathway") < text.index("Issued by Acme")


def test_pathway_already_named_pathway_is_not_doubled():
    text = page_text(render_pdf(replace(CERT, pathway="IPT supervisor pathway")))

    assert "IPT supervisor pathway" in text
    assert "pathway pathway" not in text


@pytest.mark.parametrize(
    ("page_size", "url"),
    [("a4", CERT.verify_url), ("letter", CERT.verify_url), ("a4", LONG_URL), ("letter", LONG_URL)],
)
def test_qr_code_on_the_page_decodes_to_the_verify_url(page_size, url):
    assert len(LONG_URL) == 120
    results = decode_qr(render_pdf(replace(CERT, verify_url=url), page_size))

    assert [r.text for r in results] == [url]


def test_qr_code_is_at_least_35_mm_wide():
    (result,) = decode_qr(render_pdf(CERT))
    xs = [p.x for p in (result.position.top_left, result.position.top_right)]

    symbol_mm = (max(xs) - min(xs)) / 3 / 72 * 25.4
    assert symbol_mm > 30  # the symbol alone; its quiet zone brings it past 35 mm


def test_long_url_is_printed_in_full_across_lines():
    text = page_text(render_pdf(replace(CERT, verify_url=LONG_URL), "letter"))

    assert LONG_URL in text.replace("\r\n", "")


@pytest.mark.parametrize("holder", ["Zoë Ångström", "Łukasz Nowak", "Şahin Çelik-Øberg"])
def test_latin_names_are_drawn_in_the_embedded_font_and_searchable(holder):
    data = render_pdf(replace(CERT, holder=holder))

    assert holder in page_text(data)
    assert b"STSong" not in data  # no viewer-dependent font: every glyph travels in the PDF
    doc, page = open_page(data)
    assert doc.get_metadata_dict()["Title"] == f"Certificate: {holder}, IPT practitioner"


@pytest.mark.skipif(not HAS_DEJAVU, reason="DejaVu Sans is not installed or shipped")
@pytest.mark.parametrize("holder", ["Łukasz Żółkiewski", "Jiří Dvořák", "Анна Ковальчук"])
def test_names_beyond_vera_are_drawn_in_embedded_dejavu(holder):
    data = render_pdf(replace(CERT, holder=holder))

    assert holder in page_text(data)
    assert b"DejaVuSans-Bold" in data
    assert b"STSong" not in data


@pytest.mark.parametrize("holder", ["李小龙", "山田 花子", "김민준", "محمد", "Ada 🎓"])
def test_names_no_embedded_font_covers_do_not_crash(holder):
    data = render_pdf(replace(CERT, holder=holder))

    assert data.startswith(b"%PDF-")
    assert "This certifies that" in page_text(data)


@pytest.mark.parametrize("holder", ["李小龙", "山田 花子", "김민준"])
def test_cjk_names_stay_in_the_text_layer(holder):
    assert holder in page_text(render_pdf(replace(CERT, holder=holder)))


def test_control_characters_and_runs_of_spaces_in_a_name_are_tidied():
    text = page_text(render_pdf(replace(CERT, holder="  Ada\x00\n   Lovelace\t")))

    assert "\r\nAda Lovelace\r\n" in text


def test_metadata_names_the_certificate_and_the_issuer():
    doc, page = open_page(render_pdf(CERT))
    meta = doc.get_metadata_dict()

    assert meta["Title"] == "Certificate: Ada Lovelace, IPT practitioner"
    assert meta["Author"] == "Northern Institute for Interpersonal Psychotherapy"
    assert meta["Subject"] == "IPT practitioner pathway certificate DEMO-000001"


@pytest.mark.parametrize("page_size", ["a4", "letter"])
def test_very_long_fields_stay_inside_the_border_and_clear_of_the_qr_code(page_size):
    data = render_pdf(EXTREME, page_size)
    doc, page = open_page(data)
    width, height = page.get_size()
    (qr,) = decode_qr(data)
    corners = [qr.position.top_left, qr.position.bottom_right]
    qr_left, qr_right = (c.x / 3 for c in corners)
    qr_top, qr_bottom = (height - c.y / 3 for c in corners)

    textpage = page.get_textpage()
    for index in range(textpage.count_chars()):
        left, bottom, right, top = textpage.get_charbox(index)
        if right - left == 0:
            continue  # line breaks
        assert left > 10 / 25.4 * 72 and right < width - 10 / 25.4 * 72
        assert bottom > 10 / 25.4 * 72 and top < height - 10 / 25.4 * 72
        clear = right < qr_left or left > qr_right or top < qr_bottom or bottom > qr_top
        assert clear, f"character {textpage.get_text_range(index, 1)!r} overlaps the QR code"
    assert qr.text == EXTREME.verify_url


def test_too_many_competencies_end_with_how_many_more():
    text = page_text(render_pdf(EXTREME)).replace("\r\n", " ")

    assert "Competency number 0 with a descriptive name" in text
    assert "Competency number 39" not in text
    assert " more" in text.split("·")[-1]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 22), "22 November 2026"),
        (date(2025, 1, 1), "1 January 2025"),
        (date(2024, 2, 29), "29 February 2024"),
    ],
)
def test_dates_are_written_out(day, expected):
    assert format_date(day) == expected


@pytest.mark.parametrize("page_size", ["A5", "legal", ""])
def test_unknown_page_size_is_refused(page_size):
    with pytest.raises(ValueError, match="unknown page size"):
        render_pdf(CERT, page_size)
