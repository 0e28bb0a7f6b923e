"""The detail chart: one work center's OEE (or availability, performance, quality) over the
last CHART_DAYS plant days as bars, drawn as text so every day has its label and the target
line sits on the row its value labels.

Every day of the window has a column group, labelled with its day of the month; a day without
data is an empty group (no bar: nothing was planned or recorded), a day at 0 % shows a floor
mark. With room for a bar per shift (plus a gap) each shift has its own bar, else each day has
one bar from its summed times and counts (domain.trends.by_day), never an average of shifts.
Rows are levels of `step` percent; a bar fills a row when it reaches its level (half a block
from half a step below). The target row is labelled with the target itself."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from rich.text import Text
from textual.widgets import Static

from floorwatch.domain.models import OeePoint
from floorwatch.domain.oee import as_percent
from floorwatch.domain.trends import by_day, target_of
from floorwatch.ui.format import Look, by_name, oee_look
from floorwatch.ui.looks import Looks

LABEL_W = 4  # "100┤"
STEPS = (5, 10, 20, 25, 50)  # percent per row, the smallest that fits 0-100 % (and above)


class Metric(StrEnum):
    OEE = "OEE"
    AVAILABILITY = "Availability"
    PERFORMANCE = "Performance"
    QUALITY = "Quality"

    def next(self) -> Metric:
        members = list(Metric)
        return members[(members.index(self) + 1) % len(members)]


def metric_pct(point: OeePoint, metric: Metric) -> float | None:
    t = point.totals
    ratio = {
        Metric.OEE: t.oee,
        Metric.AVAILABILITY: t.availability,
        Metric.PERFORMANCE: t.performance,
        Metric.QUALITY: t.quality,
    }[metric]
    value = as_percent(ratio, 1)
    return None if value is None else float(value)


@dataclass(frozen=True)
class Bar:
    day: int  # index into the window
    value: float | None
    look: str | None = None


def choose_step(rows: int, top: float) -> int:
    """The finest step whose rows up to `top` fit in `rows`."""
    for step in STEPS:
        if math.ceil(top / step) <= rows:
            return step
    return STEPS[-1]


def window_days(last: date, days: int) -> list[date]:
    return [last - timedelta(days=days - 1 - i) for i in range(days)]


def chart_text(
    points: list[OeePoint],
    last_day: date,
    days: int,
    *,
    metric: Metric,
    width: int,
    height: int,
    critical_gap_pct: float = 10.0,
    ascii_only: bool = False,
    look: Look = by_name,
) -> tuple[Text, bool]:
    """(the chart, per shift?) in `width` x `height` cells: rows of bars with the y labels on
    the left, then one or two rows of day labels."""
    dates = window_days(last_day, days)
    index = {d: i for i, d in enumerate(dates)}
    points = [p for p in points if p.calculation_date in index]
    plot_w = max(days, width - LABEL_W)
    group = max(1, plot_w // days)
    per_day_shifts = max(
        (sum(1 for p in points if p.calculation_date == d) for d in dates), default=1
    )
    per_shift = group >= per_day_shifts + 1 and per_day_shifts > 1
    series = points if per_shift else by_day(points)
    series = sorted(series, key=lambda p: p.period_start)
    label_rows = 1 if group >= 3 else 2
    rows = max(3, height - label_rows)
    target: Decimal | None = target_of(points) if metric is Metric.OEE and points else None
    target_pct = float(target) if target is not None else None
    values = [v for p in series if (v := metric_pct(p, metric)) is not None]
    top = max([100.0, *values, target_pct or 0.0])
    step = choose_step(rows, top)
    rows = min(rows, math.ceil(top / step))
    target_row = round(target_pct / step) if target_pct is not None else None

    # each column of the plot: the bar it draws (or a gap)
    columns: list[Bar | None] = [None] * (group * days)
    slots: dict[int, int] = {}
    for p in series:
        i = index[p.calculation_date]
        slot = slots.get(i, 0)
        slots[i] = slot + 1
        col = i * group + slot
        if slot >= max(1, group - 1) or col >= len(columns):
            continue  # more shifts than room: cannot happen when per_shift was chosen
        value = metric_pct(p, metric)
        band = None
        if metric is Metric.OEE:
            band = oee_look(p.totals.oee, p.target_oee_percentage, critical_gap_pct)
        columns[col] = Bar(i, value, band)

    full, half, floor = ("#", "+", "_") if ascii_only else ("█", "▄", "▁")
    line_ch = "-" if ascii_only else "─"
    axis, tick = ("|", "+") if ascii_only else ("│", "┤")
    out = Text(no_wrap=True, overflow="crop")  # leading blanks kept: labels under their bars
    for r in range(rows, 0, -1):  # the top row first; row r stands for r * step percent
        level = r * step
        is_target = r == target_row
        if is_target:
            label = f"{target_pct:.0f}"
        elif level % (2 * step) == 0 or step >= 20:
            label = str(level)
        else:
            label = ""
        out.append(f"{label:>{LABEL_W - 1}}"[: LABEL_W - 1], style="bold" if is_target else "dim")
        out.append(tick if label else axis, style="dim")
        for bar in columns:
            if bar is not None and bar.value is not None and bar.value >= level:
                out.append(full, style=look(bar.look))
            elif bar is not None and bar.value is not None and bar.value >= level - step / 2:
                out.append(half, style=look(bar.look))
            elif is_target:
                out.append(line_ch, style="bold")
            else:
                out.append(" ")
        out.append("\n")
    # the floor row (0 %): a mark under a bar at zero, the axis elsewhere
    out.append(f"{'0':>{LABEL_W - 1}}", style="dim")
    out.append(tick, style="dim")
    for bar in columns:
        zero = bar is not None and bar.value is not None and bar.value < step / 2
        out.append(floor if zero else " ", style=look(bar.look) if zero and bar else "")
    out.append("\n")
    out.append_text(day_labels(dates, group, label_rows))
    return out, per_shift


def day_labels(dates: list[date], group: int, label_rows: int) -> Text:
    """Day-of-month labels under their groups; two staggered rows when a group is narrower
    than a label and its gap (every day keeps its label)."""
    lines = [[" "] * (LABEL_W + group * len(dates) + 2) for _ in range(label_rows)]
    for i, d in enumerate(dates):
        text = f"{d.day:02d}"
        line = lines[i % label_rows]
        start = LABEL_W + i * group
        for j, ch in enumerate(text):
            line[start + j] = ch
    return Text("\n".join("".join(line).rstrip() for line in lines), style="dim")


class OeeChart(Static, Looks):
    """The chart, drawn again on a new answer, a resize, a theme or another metric."""

    DEFAULT_CSS = "OeeChart { height: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.points: list[OeePoint] = []
        self.last_day: date | None = None
        self.days = 14
        self.metric = Metric.OEE
        self.per_shift = False

    def show(self, points: list[OeePoint], last_day: date, days: int) -> None:
        self.points, self.last_day, self.days = points, last_day, days
        self.redraw()

    def next_metric(self) -> Metric:
        self.metric = self.metric.next()
        self.redraw()
        return self.metric

    def redraw(self) -> None:
        if self.last_day is None or not self.size.width:
            return
        monitor = self.app
        text, self.per_shift = chart_text(
            self.points,
            self.last_day,
            self.days,
            metric=self.metric,
            width=self.size.width,
            height=self.size.height,
            critical_gap_pct=monitor.config.alerts.oee_critical_gap_pct,  # type: ignore[attr-defined]
            ascii_only=monitor.ascii,  # type: ignore[attr-defined]
            look=self.look,
        )
        self.update(text)

    def on_resize(self) -> None:
        self.redraw()

    def restyle(self) -> None:
        self.redraw()
