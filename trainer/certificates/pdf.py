"""Certificate PDF: one portrait page with the holder, the pathway and a QR code to verify it.

Pure: plain data in, PDF bytes out; no Flask, no database. The page's layout is here; fitting
text into it, and the fonts it is set in, are in `pdftext`.
"""

import io
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import segno
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from trainer.certificates.pdftext import (
    DEJAVU_DIRS,
    SANS,
    SANS_BOLD,
    Box,
    clean,
    draw_lines,
    fit,
    wrap,
)

__all__ = ["DEJAVU_DIRS", "PAGE_SIZES", "CertificatePrint", "format_date", "render_pdf"]

PAGE_SIZES = {"a4": A4, "letter": LETTER}

NAVY, INK, MUTED, GOLD = (HexColor(c) for c in ("#1F3A5F", "#1A1A1A", "#56606B", "#B08D57"))

MARGIN = 25 * mm  # text never comes closer than this to the page edge
QR_SIZE = 40 * mm  # the whole code including its 4-module quiet zone
QR_BORDER = 4
COLUMN_GAP = 8 * mm  # between the QR code and the detail columns beside it

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class CertificatePrint:
    """What the printed certificate shows."""

    holder: str
    pathway: str
    organisation: str
    serial: str
    issued_on: date
    expires_on: date | None
    verify_url: str
    issued_by: str | None = None
    competencies: tuple[str, ...] = ()
    recognition: str = ""  # what it is: the organisation's own, or aligned with a standard


@dataclass(frozen=True)
class _Block:
    """A centred paragraph in the page's flow, its top gap points below the previous baseline."""

    text: str
    box: Box
    gap: float
    colour: Color = MUTED
    rule: float = 0  # length of a short gold rule under it, if any


def render_pdf(cert: CertificatePrint, page_size: str = "a4") -> bytes:
    """Render the certificate as a one-page portrait PDF ("a4" or "letter")."""
    width, height = _page_size(page_size)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    _set_metadata(canvas, cert)
    _draw_frame(canvas, width, height)
    url = fit(cert.verify_url, _url_box(width), breakable=True)
    qr_bottom = _qr_bottom(url)
    # Drawn top to bottom so that copied text and screen readers follow the page.
    top = _draw_flow(canvas, _heading(cert, width - 2 * MARGIN), width / 2, height - 30 * mm)
    _draw_body(canvas, cert, width, top, floor=qr_bottom + QR_SIZE + 8 * mm)
    _draw_verification(canvas, cert, width, url, qr_bottom)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def format_date(day: date) -> str:
    """A date as printed on certificates: "22 November 2026" (no locale involved)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _page_size(name: str) -> tuple[float, float]:
    try:
        return PAGE_SIZES[name.lower()]
    except KeyError:
        known = ", ".join(sorted(PAGE_SIZES))
        raise ValueError(f"unknown page size {name!r}; use one of: {known}") from None


def _set_metadata(canvas: Canvas, cert: CertificatePrint) -> None:
    canvas.setTitle(f"Certificate: {clean(cert.holder)}, {clean(cert.pathway)}")
    canvas.setAuthor(clean(cert.organisation))
    canvas.setSubject(f"{_pathway_phrase(cert.pathway)} certificate {clean(cert.serial)}")
    canvas.setCreator(clean(cert.organisation))


# --- page sections ------------------------------------------------------------------------


def _draw_frame(canvas: Canvas, width: float, height: float) -> None:
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(2)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.75)
    canvas.rect(12.5 * mm, 12.5 * mm, width - 25 * mm, height - 25 * mm)


def _draw_body(
    canvas: Canvas, cert: CertificatePrint, width: float, top: float, floor: float
) -> None:
    """Holder, pathway and competencies, set a little above the middle of the free space."""
    body = _body(cert, width - 2 * MARGIN)
    room = top - floor - _flow_height(body)
    body += _competencies(cert.competencies, width - 2 * MARGIN, room)
    spare = max(0.0, top - floor - _flow_height(body))
    _draw_flow(canvas, body, width / 2, top - spare * 0.3)


def _heading(cert: CertificatePrint, width: float) -> list[_Block]:
    return [
        _Block(cert.organisation, Box(SANS_BOLD, 15, 10, width, 2), 0, NAVY, rule=30 * mm),
        _Block("Certificate", Box(SANS_BOLD, 40, 40, width, 1), 14 * mm, NAVY),
    ]


def _body(cert: CertificatePrint, width: float) -> list[_Block]:
    holder = Box(SANS_BOLD, 28, 14, width, 3, 1.15)
    blocks = [
        _Block("This certifies that", Box(SANS, 12, 12, width, 1), 14 * mm),
        _Block(cert.holder, holder, 12 * mm, INK, rule=min(width, 110 * mm)),
        _Block("has met the requirements of the", Box(SANS, 12, 12, width, 1), 12 * mm),
        _Block(_pathway_phrase(cert.pathway), Box(SANS_BOLD, 18, 11, width, 3, 1.2), 4 * mm, NAVY),
    ]
    if clean(cert.recognition):
        box = Box(SANS, 9.5, 6.5, width - 20 * mm, 5, 1.3)
        blocks.append(_Block(cert.recognition, box, 7 * mm, INK))
    return blocks


def _competencies(names: tuple[str, ...], width: float, room: float) -> list[_Block]:
    """The aligned competencies, in as many lines (up to six) as the room allows."""
    names = tuple(n for n in (clean(n) for n in names) if n)
    heading = _Block("ALIGNED COMPETENCIES", Box(SANS, 7.5, 7.5, width, 1), 12 * mm)
    first_line = heading.gap + heading.box.size + 2 * mm + 9
    lines = min(6, 1 + int((room - first_line) // (9 * 1.3)))
    if not names or lines < 1:
        return []
    box = Box(SANS, 9, 9, width - 20 * mm, lines, 1.3)
    return [heading, _Block(_competency_line(names, box), box, 2 * mm, INK)]


def _competency_line(names: tuple[str, ...], box: Box) -> str:
    """All names joined, or as many as fit followed by "and N more"."""

    def line(shown: int) -> str:
        hidden = len(names) - shown
        return " · ".join(names[:shown]) + (f" · and {hidden} more" if hidden else "")

    def overflows(shown: int) -> bool:
        return len(wrap(line(shown), box.font, box.size, box.width)) > box.max_lines

    shown = bisect_left(range(1, len(names) + 1), True, key=overflows)
    return line(shown) if shown else f"{len(names)} competencies"


def _url_box(width: float) -> Box:
    return Box(SANS, 8.5, 6.5, width - 2 * MARGIN, 4, 1.3)


def _qr_bottom(url: tuple[float, list[str]]) -> float:
    """Where the QR code starts: above the "Verify at:" label and the URL's lines."""
    size, lines = url
    return 20 * mm + len(lines) * size * 1.3 + 4 * mm


def _draw_verification(
    canvas: Canvas, cert: CertificatePrint, width: float, url: tuple[float, list[str]], y: float
) -> None:
    """Details either side of the QR code (its bottom at y), then "Verify at:" and the URL."""
    _draw_details(canvas, cert, width, y + QR_SIZE / 2)
    _draw_qr(canvas, cert.verify_url, (width - QR_SIZE) / 2, y)
    draw_lines(canvas, ["Verify at:"], SANS_BOLD, 8.5, 1, width / 2, y - 3 * mm, MUTED)
    size, lines = url
    first = y - 4 * mm - size * 1.3
    draw_lines(canvas, lines, SANS, size, 1.3, width / 2, first, INK)


def _draw_details(canvas: Canvas, cert: CertificatePrint, width: float, middle: float) -> None:
    """Dates on the left of the QR code, serial and issuer on the right."""
    column = (width - 2 * MARGIN - QR_SIZE) / 2 - COLUMN_GAP
    expires = format_date(cert.expires_on) if cert.expires_on else "Does not expire"
    left = [("Issued", format_date(cert.issued_on)), ("Expires", expires)]
    right = [("Serial number", cert.serial)]
    if cert.issued_by and clean(cert.issued_by):
        right.append(("Issued by", cert.issued_by))
    _draw_column(canvas, left, MARGIN + column / 2, column, middle)
    _draw_column(canvas, right, width - MARGIN - column / 2, column, middle)


def _draw_column(
    canvas: Canvas, items: list[tuple[str, str]], x: float, width: float, middle: float
) -> None:
    """Label/value pairs centred on x, the whole column centred vertically on middle."""
    label, value = Box(SANS, 7.5, 7.5, width, 1), Box(SANS_BOLD, 11, 8, width, 3, leading=1.2)
    fitted = [fit(v, value) for _, v in items]
    heights = [5 * mm + len(lines) * size * value.leading for size, lines in fitted]
    y = middle + (sum(heights) + 4 * mm * (len(items) - 1)) / 2
    for (name, _), (size, lines), block in zip(items, fitted, heights, strict=True):
        draw_lines(canvas, [name.upper()], label.font, label.size, 1, x, y - label.size, MUTED)
        first = y - 5 * mm - size
        draw_lines(canvas, lines, value.font, size, value.leading, x, first, INK)
        y -= block + 4 * mm


def _draw_qr(canvas: Canvas, data: str, x: float, y: float) -> None:
    """The QR code as vector squares, so it stays sharp at any zoom and print resolution."""
    matrix = segno.make(data, error="m", micro=False).matrix
    module = QR_SIZE / (len(matrix) + 2 * QR_BORDER)
    path = canvas.beginPath()
    for row, cells in enumerate(matrix):
        top = y + QR_SIZE - (QR_BORDER + row + 1) * module
        for start, length in _dark_runs(cells):
            path.rect(x + (QR_BORDER + start) * module, top, length * module, module)
    canvas.setFillColor(INK)
    canvas.drawPath(path, stroke=0, fill=1)


def _dark_runs(cells: Iterable[int]) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row: fewer, larger rectangles."""
    runs: list[tuple[int, int]] = []
    for index, dark in enumerate(cells):
        if dark and runs and sum(runs[-1]) == index:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        elif dark:
            runs.append((index, 1))
    return runs


def _rule(canvas: Canvas, centre: float, y: float, length: float) -> None:
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.75)
    canvas.line(centre - length / 2, y, centre + length / 2, y)


# --- text flow: blocks one under another --------------------------------------------------


def _draw_flow(canvas: Canvas, blocks: list[_Block], centre: float, top: float) -> float:
    """Draw blocks one under another from top; returns the last baseline."""
    y = top
    for block in blocks:
        y = _draw_block(canvas, centre, block.text, block.box, y - block.gap, block.colour)
        if block.rule:
            _rule(canvas, centre, y - 5 * mm, block.rule)
    return y


def _flow_height(blocks: list[_Block]) -> float:
    """How far _draw_flow goes down from its top to the last baseline."""
    height = 0.0
    for block in blocks:
        size, lines = fit(block.text, block.box)
        height += block.gap + size + (len(lines) - 1) * size * block.box.leading
    return height


def _draw_block(
    canvas: Canvas, centre: float, text: str, box: Box, top: float, colour: Color = MUTED
) -> float:
    """Draw text centred on centre below top, shrunk and wrapped to fit; returns its bottom."""
    size, lines = fit(text, box)
    draw_lines(canvas, lines, box.font, size, box.leading, centre, top - size, colour)
    return top - size - (len(lines) - 1) * size * box.leading


def _pathway_phrase(title: str) -> str:
    """ "IPT practitioner" -> "IPT practitioner pathway", without doubling "pathway"."""
    title = clean(title)
    return title if title.lower().endswith("pathway") else f"{title} pathway"
