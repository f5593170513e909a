"""The share image of an offering, a resource or an office: a 1200×630 PNG (the size Open Graph
and Twitter's large card ask for) with the title, the time in Norwegian time and the office,
drawn with Pillow in the bundled DejaVu Sans (it has æ, ø and å)."""

from __future__ import annotations

import hashlib
import io

from PIL import Image, ImageDraw, ImageFont

from outcomes.pdf import FONTS as CERTIFICATE_FONTS

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
# The same DejaVu Sans the course certificates are drawn in (outcomes/fonts/, with its licence).
FONTS = CERTIFICATE_FONTS
BACKGROUND = (20, 52, 94)
ACCENT = (244, 196, 48)
TEXT = (255, 255, 255)
MUTED = (214, 224, 240)


def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def _wrapped(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _title_lines(draw, title: str, width: int, height: int) -> tuple[list[str], ImageFont.FreeTypeFont]:
    # The largest size at which the whole title fits the space; at the smallest, as many lines
    # as fit, the last cut with an ellipsis.
    for size in (72, 64, 56, 48, 42):
        font = _font(size, bold=True)
        lines = _wrapped(draw, title, font, width)
        if len(lines) * _line_height(font) <= height:
            return lines, font
    fitting = max(1, height // _line_height(font))
    lines = lines[:fitting]
    while " " in lines[-1] and draw.textlength(lines[-1] + " …", font=font) > width:
        lines[-1] = lines[-1].rsplit(" ", 1)[0]
    lines[-1] += " …"
    return lines, font


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    return int(font.size * 1.2)


def _fitted(draw, text: str, font, width: int) -> str:
    """One line: cut with an ellipsis when it is wider than the image."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def image_digest(*parts: str) -> str:
    """What the image shows, as a short hash: its ETag and the version in its address."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def share_image_png(*, title: str, when: str, office: str, platform: str) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 24, HEIGHT], fill=ACCENT)
    width = WIDTH - 2 * MARGIN
    draw.text((MARGIN, MARGIN - 10), platform, font=_font(30, bold=True), fill=ACCENT)
    footer = _font(36)
    bottom = HEIGHT - MARGIN
    footer_top = bottom - (100 if when else 46)
    top = 140
    lines, font = _title_lines(draw, title, width, footer_top - 24 - top)
    y = top
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=TEXT)
        y += _line_height(font)
    if when:
        draw.text((MARGIN, bottom - 100), _fitted(draw, when, footer, width), font=footer, fill=TEXT)
    draw.text((MARGIN, bottom - 46), _fitted(draw, office, footer, width), font=footer, fill=MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
