"""Certificate PDF: one portrait page with the holder, the pathway and a QR code to verify it.

Pure: plain data in, PDF bytes out; no Flask, no database.

Fonts, tried per character: Bitstream Vera, loaded from reportlab's own package (Latin-1
and part of Latin Extended-A: Zoë, Ångström, Łukasz, Şahin); then DejaVu Sans, Vera's
extension with the same design (all European Latin, Greek, Cyrillic: Żółkiewski, Dvořák,
Анна), from DEJAVU_DIRS if a copy is found; both are embedded. Anything left (CJK, or all
of the above without DejaVu) is set in one of reportlab's CID fonts, which are not embedded:
nothing crashes and CJK text stays in the text layer (copy, search, screen readers), but
whether it shows depends on the viewer's fonts, and characters outside that CID font's
character set (Ż, ř, Arabic, emoji) are lost. To make it independent of the host, ship
DejaVuSans.ttf and DejaVuSans-Bold.ttf in trainer/certificates/fonts/.
"""

import io
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import reportlab
import segno
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

PAGE_SIZES = {"a4": A4, "letter": LETTER}

SANS, SANS_BOLD = "sans", "sans-bold"  # placeholders: _runs picks the real face per character
_VERA_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
DEJAVU_DIRS = (
    Path(__file__).resolve().parent / "fonts",  # DejaVuSans.ttf + DejaVuSans-Bold.ttf, if shipped
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu: fonts-dejavu-core
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora, RHEL
    Path("/usr/share/fonts/dejavu"),  # Alpine: font-dejavu
    Path("/usr/share/fonts/TTF"),  # Arch: ttf-dejavu
)

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


@dataclass(frozen=True)
class _Box:
    """A block of text: where it may go and how large it may be set."""

    font: str
    size: float
    min_size: float
    width: float
    max_lines: int
    leading: float = 1.25


@dataclass(frozen=True)
class _Face:
    """A registered regular/bold pair of TrueType fonts and the characters both can draw."""

    regular: str
    bold: str
    chars: frozenset[int]


@dataclass(frozen=True)
class _Block:
    """A centred paragraph in the page's flow, its top gap points below the previous baseline."""

    text: str
    box: _Box
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
    url = _fit(cert.verify_url, _url_box(width), breakable=True)
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
    canvas.setTitle(f"Certificate: {_clean(cert.holder)}, {_clean(cert.pathway)}")
    canvas.setAuthor(_clean(cert.organisation))
    canvas.setSubject(f"{_pathway_phrase(cert.pathway)} certificate {_clean(cert.serial)}")
    canvas.setCreator(_clean(cert.organisation))


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
        _Block(cert.organisation, _Box(SANS_BOLD, 15, 10, width, 2), 0, NAVY, rule=30 * mm),
        _Block("Certificate", _Box(SANS_BOLD, 40, 40, width, 1), 14 * mm, NAVY),
    ]


def _body(cert: CertificatePrint, width: float) -> list[_Block]:
    holder = _Box(SANS_BOLD, 28, 14, width, 3, 1.15)
    return [
        _Block("This certifies that", _Box(SANS, 12, 12, width, 1), 14 * mm),
        _Block(cert.holder, holder, 12 * mm, INK, rule=min(width, 110 * mm)),
        _Block("has met the requirements of the", _Box(SANS, 12, 12, width, 1), 12 * mm),
        _Block(_pathway_phrase(cert.pathway), _Box(SANS_BOLD, 18, 11, width, 3, 1.2), 4 * mm, NAVY),
    ]


def _competencies(names: tuple[str, ...], width: float, room: float) -> list[_Block]:
    """The aligned competencies, in as many lines (up to six) as the room allows."""
    names = tuple(n for n in (_clean(n) for n in names) if n)
    heading = _Block("ALIGNED COMPETENCIES", _Box(SANS, 7.5, 7.5, width, 1), 12 * mm)
    first_line = heading.gap + heading.box.size + 2 * mm + 9
    lines = min(6, 1 + int((room - first_line) // (9 * 1.3)))
    if not names or lines < 1:
        return []
    box = _Box(SANS, 9, 9, width - 20 * mm, lines, 1.3)
    return [heading, _Block(_competency_line(names, box), box, 2 * mm, INK)]


def _competency_line(names: tuple[str, ...], box: _Box) -> str:
    """All names joined, or as many as fit followed by "and N more"."""

    def line(shown: int) -> str:
        hidden = len(names) - shown
        return " · ".join(names[:shown]) + (f" · and {hidden} more" if hidden else "")

    def overflows(shown: int) -> bool:
        return len(_wrap(line(shown), box.font, box.size, box.width)) > box.max_lines

    shown = bisect_left(range(1, len(names) + 1), True, key=overflows)
    return line(shown) if shown else f"{len(names)} competencies"


def _url_box(width: float) -> _Box:
    return _Box(SANS, 8.5, 6.5, width - 2 * MARGIN, 4, 1.3)


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
    _draw_lines(canvas, ["Verify at:"], SANS_BOLD, 8.5, 1, width / 2, y - 3 * mm, MUTED)
    size, lines = url
    first = y - 4 * mm - size * 1.3
    _draw_lines(canvas, lines, SANS, size, 1.3, width / 2, first, INK)


def _draw_details(canvas: Canvas, cert: CertificatePrint, width: float, middle: float) -> None:
    """Dates on the left of the QR code, serial and issuer on the right."""
    column = (width - 2 * MARGIN - QR_SIZE) / 2 - COLUMN_GAP
    expires = format_date(cert.expires_on) if cert.expires_on else "Does not expire"
    left = [("Issued", format_date(cert.issued_on)), ("Expires", expires)]
    right = [("Serial number", cert.serial)]
    if cert.issued_by and _clean(cert.issued_by):
        right.append(("Issued by", cert.issued_by))
    _draw_column(canvas, left, MARGIN + column / 2, column, middle)
    _draw_column(canvas, right, width - MARGIN - column / 2, column, middle)


def _draw_column(
    canvas: Canvas, items: list[tuple[str, str]], x: float, width: float, middle: float
) -> None:
    """Label/value pairs centred on x, the whole column centred vertically on middle."""
    label, value = _Box(SANS, 7.5, 7.5, width, 1), _Box(SANS_BOLD, 11, 8, width, 3, leading=1.2)
    fitted = [_fit(v, value) for _, v in items]
    heights = [5 * mm + len(lines) * size * value.leading for size, lines in fitted]
    y = middle + (sum(heights) + 4 * mm * (len(items) - 1)) / 2
    for (name, _), (size, lines), block in zip(items, fitted, heights, strict=True):
        _draw_lines(canvas, [name.upper()], label.font, label.size, 1, x, y - label.size, MUTED)
        first = y - 5 * mm - size
        _draw_lines(canvas, lines, value.font, size, value.leading, x, first, INK)
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


# --- text: fitting, wrapping and font fallback --------------------------------------------


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
        size, lines = _fit(block.text, block.box)
        height += block.gap + size + (len(lines) - 1) * size * block.box.leading
    return height


def _draw_block(
    canvas: Canvas, centre: float, text: str, box: _Box, top: float, colour: Color = MUTED
) -> float:
    """Draw text centred on centre below top, shrunk and wrapped to fit; returns its bottom."""
    size, lines = _fit(text, box)
    _draw_lines(canvas, lines, box.font, size, box.leading, centre, top - size, colour)
    return top - size - (len(lines) - 1) * size * box.leading


def _draw_lines(
    canvas: Canvas,
    lines: list[str],
    font: str,
    size: float,
    leading: float,
    x: float,
    y: float,
    colour: Color,
) -> None:
    """Centred lines, the first baseline at y."""
    canvas.setFillColor(colour)
    for index, line in enumerate(lines):
        runs = _runs(line, font)
        left = x - sum(pdfmetrics.stringWidth(t, f, size) for t, f in runs) / 2
        for text, run_font in runs:
            canvas.setFont(run_font, size)
            canvas.drawString(left, y - index * size * leading, text)
            left += pdfmetrics.stringWidth(text, run_font, size)


def _fit(text: str, box: _Box, breakable: bool = False) -> tuple[float, list[str]]:
    """The largest size (from box.size down to box.min_size) whose wrapping fits max_lines.

    At the smallest size, lines beyond max_lines are cut and the last ends with an ellipsis,
    so nothing runs off the page whatever the input.
    """
    text, size = _clean(text), box.size
    while True:
        lines = _wrap(text, box.font, size, box.width, breakable)
        if len(lines) <= box.max_lines or size <= box.min_size:
            break
        size = max(box.min_size, size - 0.5)
    if len(lines) > box.max_lines:
        lines = lines[: box.max_lines]
        lines[-1] = _shorten(lines[-1] + "…", box.font, size, box.width)
    return size, lines


def _wrap(text: str, font: str, size: float, width: float, breakable: bool = False) -> list[str]:
    """Greedy word wrap; a word wider than the line (or any text, if breakable) is split."""
    if breakable:
        return _split(text, font, size, width)
    lines: list[str] = []
    for word in text.split(" "):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and _width(candidate, font, size) <= width:
            lines[-1] = candidate
        else:
            lines.extend(_split(word, font, size, width))
    return lines or [""]


def _split(text: str, font: str, size: float, width: float) -> list[str]:
    """Break text between characters, preferring just after a "/" or "-" (URLs, serials)."""
    lines: list[str] = []
    while _width(text, font, size) > width:
        cut = len(_shorten(text, font, size, width, ellipsis=False))
        mark = max(text.rfind("/", 0, cut), text.rfind("-", 0, cut)) + 1
        cut = mark if mark > cut * 2 // 3 else max(cut, 1)
        lines.append(text[:cut])
        text = text[cut:]
    return [*lines, text]


def _shorten(text: str, font: str, size: float, width: float, ellipsis: bool = True) -> str:
    """The longest prefix of text that fits width (ending in "…" if asked and cut)."""
    if _width(text, font, size) <= width:
        return text
    end = "…" if ellipsis else ""
    body = text.removesuffix(end)

    def too_wide(length: int) -> bool:
        return _width(body[:length].rstrip() + end, font, size) > width

    length = bisect_left(range(1, len(body) + 1), True, key=too_wide)
    return body[: max(length, 1)].rstrip() + end


def _width(text: str, font: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(t, f, size) for t, f in _runs(text, font))


def _runs(text: str, font: str) -> list[tuple[str, str]]:
    """Split text into (text, font) runs: each character in the first face that has it."""
    bold = font == SANS_BOLD
    runs: list[tuple[str, str]] = []
    for char in text:
        face = _face_for(char)
        run_font = _fallback_font(text) if face is None else face.bold if bold else face.regular
        if runs and runs[-1][1] == run_font:
            runs[-1] = (runs[-1][0] + char, run_font)
        else:
            runs.append((char, run_font))
    return runs


def _fallback_font(text: str) -> str:
    """Reportlab's CID font for the text's script: Korean, Japanese, else Chinese."""
    if any("\uac00" <= c <= "\ud7a3" or "\u1100" <= c <= "\u11ff" for c in text):
        return _cid_font("HYSMyeongJo-Medium")
    if any("\u3040" <= c <= "\u30ff" for c in text):
        return _cid_font("HeiseiMin-W3")
    return _cid_font("STSong-Light")


@cache
def _face_for(char: str) -> _Face | None:
    return next((face for face in _faces() if ord(char) in face.chars), None)


@cache
def _cid_font(name: str) -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(name))
    return name


@cache
def _faces() -> tuple[_Face, ...]:
    """The embedded fonts, in the order tried: Vera, then DejaVu Sans if one is found."""
    faces = [_register("Vera", _VERA_DIR / "Vera.ttf", _VERA_DIR / "VeraBd.ttf")]
    for folder in DEJAVU_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            faces.append(_register("DejaVu", regular, bold))
            break
    return tuple(faces)


def _register(name: str, regular: Path, bold: Path) -> _Face:
    fonts = TTFont(f"Cert{name}", str(regular)), TTFont(f"Cert{name}-Bold", str(bold))
    for font in fonts:
        pdfmetrics.registerFont(font)
    chars = set(fonts[0].face.charToGlyph) & set(fonts[1].face.charToGlyph) - {0xFFFF}
    return _Face(fonts[0].fontName, fonts[1].fontName, frozenset(chars))


def _clean(text: str) -> str:
    """Text without control characters, whitespace collapsed to single spaces."""
    printable = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    return " ".join(printable.split())


def _pathway_phrase(title: str) -> str:
    """ "IPT practitioner" -> "IPT practitioner pathway", without doubling "pathway"."""
    title = _clean(title)
    return title if title.lower().endswith("pathway") else f"{title} pathway"
