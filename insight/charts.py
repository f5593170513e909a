"""Charts drawn on the server as SVG: bars computed here, drawn by insight/_bar_chart.html
with SVG attributes and CSS classes only (the Content-Security-Policy refuses inline styles).
Every chart is followed by a table of the same numbers, which screen readers read instead."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 600
BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 190


@dataclass
class Bar:
    label: str
    value: int
    x: int
    y: int
    width: int
    text_y: int


@dataclass
class Chart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int


def bar_chart(items: list[tuple[str, int]]) -> Chart:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    largest = max((value for _label, value in items), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 60
    bars = []
    for index, (label, value) in enumerate(items):
        y = index * (BAR_HEIGHT + GAP)
        bars.append(
            Bar(
                label=label[:28],
                value=value,
                x=LABEL_WIDTH,
                y=y,
                width=max(round(room * value / largest), 1 if value else 0),
                text_y=y + BAR_HEIGHT - 6,
            )
        )
    return Chart(
        bars=bars, width=WIDTH, height=max(len(items) * (BAR_HEIGHT + GAP), BAR_HEIGHT), label_width=LABEL_WIDTH
    )
