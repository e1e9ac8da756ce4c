"""Certificate text: fitting, wrapping and per-character font choice for the PDF.

Fonts, tried per character: Bitstream Vera, loaded from reportlab's own package (Latin-1
and part of Latin Extended-A: Zoë, Ångström, Łukasz, Şahin); then DejaVu Sans, Vera's
extension with the same design (all European Latin, Greek, Cyrillic: Żółkiewski, Dvořák,
Анна), from the first of DEJAVU_DIRS that holds both faces: trainer/certificates/fonts/,
where the app ships them, then the usual system folders; both are embedded. Anything left
(CJK, or all of the above without DejaVu) is set in one of reportlab's CID fonts, which are
not embedded: nothing crashes and CJK text stays in the text layer (copy, search, screen
readers), but whether it shows depends on the viewer's fonts, and characters outside that
CID font's character set (Ż, ř, Arabic, emoji) are lost.
"""

import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import reportlab
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

SANS, SANS_BOLD = "sans", "sans-bold"  # placeholders: _runs picks the real face per character
_VERA_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
DEJAVU_DIRS = (
    Path(__file__).resolve().parent / "fonts",  # DejaVuSans.ttf + DejaVuSans-Bold.ttf, shipped
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu: fonts-dejavu-core
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora, RHEL
    Path("/usr/share/fonts/dejavu"),  # Alpine: font-dejavu
    Path("/usr/share/fonts/TTF"),  # Arch: ttf-dejavu
)


@dataclass(frozen=True)
class Box:
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


def draw_lines(
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


def fit(text: str, box: Box, breakable: bool = False) -> tuple[float, list[str]]:
    """The largest size (from box.size down to box.min_size) whose wrapping fits max_lines.

    At the smallest size, lines beyond max_lines are cut and the last ends with an ellipsis,
    so nothing runs off the page whatever the input.
    """
    text, size = clean(text), box.size
    while True:
        lines = wrap(text, box.font, size, box.width, breakable)
        if len(lines) <= box.max_lines or size <= box.min_size:
            break
        size = max(box.min_size, size - 0.5)
    if len(lines) > box.max_lines:
        lines = lines[: box.max_lines]
        lines[-1] = _shorten(lines[-1] + "…", box.font, size, box.width)
    return size, lines


def wrap(text: str, font: str, size: float, width: float, breakable: bool = False) -> list[str]:
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


def clean(text: str) -> str:
    """Text without control characters, whitespace collapsed to single spaces."""
    printable = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    return " ".join(printable.split())
