"""Charts drawn on the server as SVG: bars computed here, drawn by insight/_bar_chart.html
with SVG attributes and CSS classes only (the Content-Security-Policy refuses inline styles).
Every chart is followed by a table of the same numbers, which screen readers read instead; the
offerings' sparklines carry a text summary (their <title>) and a list of their weeks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

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


SPARK_WIDTH = 120
SPARK_HEIGHT = 28


@dataclass
class SparkBar:
    week: date
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass
class Sparkline:
    """One offering's registrations per week over the dashboard's weeks, as small bars.

    `total` its registrations, `span` the weeks from its first week with registrations to its
    last (inclusive), `peak` the first of its weeks with the most, `weeks` its weeks with
    registrations in order (the list screen readers get)."""

    bars: list[SparkBar]
    width: int
    height: int
    total: int
    span: int
    peak: date | None
    weeks: list[tuple[date, int]]


def week_range(weeks: list[date]) -> list[date]:
    """Every Monday from the first of `weeks` to the last (the weeks between included)."""
    if not weeks:
        return []
    first, last = min(weeks), max(weeks)
    return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def sparkline(axis: list[date], counts: dict[date, int]) -> Sparkline:
    """Bars for `counts` ({Monday: registrations}) on `axis` (the Mondays shown, one slot each),
    scaled to the offering's own busiest week; weeks without registrations draw nothing."""
    slot = SPARK_WIDTH / (len(axis) or 1)
    largest = max(counts.values(), default=0) or 1
    room = SPARK_HEIGHT - 2  # the baseline below the bars
    bars = []
    for index, week in enumerate(axis):
        value = counts.get(week, 0)
        if not value:
            continue
        height = max(room * value / largest, 1)
        bars.append(
            SparkBar(
                week=week,
                value=value,
                x=round(index * slot + slot * 0.1, 2),
                y=round(room - height, 2),
                width=round(max(slot * 0.8, 0.5), 2),
                height=round(height, 2),
            )
        )
    weeks = sorted((week, n) for week, n in counts.items() if n)
    peak = min((week for week, n in weeks if n == largest), default=None)
    span = (weeks[-1][0] - weeks[0][0]).days // 7 + 1 if weeks else 0
    return Sparkline(
        bars=bars,
        width=SPARK_WIDTH,
        height=SPARK_HEIGHT,
        total=sum(n for _week, n in weeks),
        span=span,
        peak=peak,
        weeks=weeks,
    )
