"""The share image of an offering, a resource or an office: a 1200×630 PNG (the size Open Graph
and Twitter's large card ask for) with the title, the time in Norwegian time and the office,
drawn with Pillow in the bundled DejaVu Sans (it has æ, ø and å)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
FONTS = Path(__file__).resolve().parent / "fonts"
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


def _title_lines(draw, title: str, width: int) -> tuple[list[str], ImageFont.FreeTypeFont]:
    # The largest size at which the title fits in four lines; shorter with an ellipsis below that.
    for size in (72, 64, 56, 48):
        font = _font(size, bold=True)
        lines = _wrapped(draw, title, font, width)
        if len(lines) <= 4:
            return lines, font
    lines = lines[:4]
    while lines[-1] and draw.textlength(lines[-1] + " …", font=font) > width:
        lines[-1] = lines[-1].rsplit(" ", 1)[0] if " " in lines[-1] else lines[-1][:-1]
    lines[-1] += " …"
    return lines, font


def image_digest(*parts: str) -> str:
    """What the image shows, as a short hash: its ETag and the version in its address."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def share_image_png(*, title: str, when: str, office: str, platform: str) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 24, HEIGHT], fill=ACCENT)
    width = WIDTH - 2 * MARGIN
    draw.text((MARGIN, MARGIN - 10), platform, font=_font(30, bold=True), fill=ACCENT)
    lines, font = _title_lines(draw, title, width)
    y = 150
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=TEXT)
        y += int(font.size * 1.2)
    footer = _font(36)
    bottom = HEIGHT - MARGIN
    if when:
        draw.text((MARGIN, bottom - 100), when, font=footer, fill=TEXT)
    draw.text((MARGIN, bottom - 46), office, font=footer, fill=MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
