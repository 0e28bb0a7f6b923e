"""The drill-down chart: every day of the window labelled, the target line on the row its
value labels, bars per shift where they fit and per day (summed, not averaged) where not, and
OEE / availability / performance / quality on a key."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from textual.geometry import Region

from floorwatch.domain.models import OeePoint, Scope
from floorwatch.domain.oee import OeeTotals
from floorwatch.showcase import settle, showcase_app, until_screen
from floorwatch.ui.drilldown.chart import Metric, OeeChart, chart_text
from floorwatch.ui.screens.work_center import WorkCenterScreen

LAST = date(2026, 11, 2)
WC = uuid.uuid4()
DAY_LABELS = {f"{d:02d}" for d in range(20, 32)} | {"01", "02"}  # Oct 20 .. Nov 2


def point(day: date, shift: str, *, runtime: int, planned: int = 480, target: int = 60) -> OeePoint:
    """A shift where performance and quality are 100 % (ideal time = runtime, all good), so
    OEE = availability = runtime / planned."""
    start = datetime(day.year, day.month, day.day, 6 + 8 * "ABC".index(shift), tzinfo=UTC)
    return OeePoint(
        work_center_id=WC,
        work_center_code="PRESS-01",
        calculation_date=day,
        shift=shift,
        period_start=start,
        period_end=start + timedelta(hours=8),
        totals=OeeTotals(
            planned_minutes=Decimal(planned),
            runtime_minutes=Decimal(runtime),
            produced=100,
            good=100,
            ideal_seconds=Decimal(runtime * 60),
        ),
        target_oee_percentage=Decimal(target),
    )


def rows_of(text: str) -> list[str]:
    return text.split("\n")


def label_of(row: str) -> str:
    return row[:3].strip()


def test_every_day_of_the_window_is_labelled_at_any_width() -> None:
    points = [point(LAST, "A", runtime=240)]  # one day with data, thirteen without
    for width in (34, 40, 78, 150):
        text, _ = chart_text(points, LAST, 14, metric=Metric.OEE, width=width, height=12)
        lines = rows_of(text.plain)
        labels = " ".join(lines[-2:]).split()
        assert set(labels) >= DAY_LABELS, width


def test_the_target_is_drawn_on_the_row_labelled_with_its_value() -> None:
    # day 1: 288 of 480 min = 60 % (on target); day 2: 240 / 480 = 50 %; day 3: 336 / 480 = 70 %
    days = [LAST - timedelta(days=2), LAST - timedelta(days=1), LAST]
    points = [
        point(days[0], "A", runtime=288),
        point(days[1], "A", runtime=240),
        point(days[2], "A", runtime=336),
    ]
    text, _ = chart_text(points, LAST, 14, metric=Metric.OEE, width=78, height=12)
    lines = rows_of(text.plain)
    [target_row] = [r for r in lines if "─" in r]
    assert label_of(target_row) == "60"
    labelled = {label_of(r): r for r in lines if label_of(r)}
    # 11 rows of 10 % (0-100): the 60 row is six rows above the 0 row
    assert lines.index(labelled["0"]) - lines.index(target_row) == 6
    plot = target_row[4:]
    group = 74 // 14  # 5 columns a day (one shift a day here: a bar per day)
    assert plot[11 * group] == "█"  # the 60 % day reaches the target row
    assert plot[12 * group] == "─"  # the 50 % day stays below it
    assert plot[13 * group] == "█"  # the 70 % day passes it
    assert lines[lines.index(target_row) - 1][4:][13 * group] == "█"  # and fills the 70 row


def test_the_old_chart_target_misplacement_is_gone_for_other_targets() -> None:
    points = [point(LAST, "A", runtime=408, target=85)]  # 408 / 480 = 85 %
    text, _ = chart_text(points, LAST, 14, metric=Metric.OEE, width=78, height=12)
    [target_row] = [r for r in rows_of(text.plain) if "─" in r]
    assert label_of(target_row) == "85"  # the target itself, on the row nearest to it


def test_shifts_get_bars_where_they_fit_else_days_are_summed() -> None:
    # shift A: 192 of 480 min (40 %); shift B: 384 of 480 (80 %); shift C: 0 of 0 (no data)
    points = [point(LAST, "A", runtime=192), point(LAST, "B", runtime=384)]
    wide, per_shift = chart_text(points, LAST, 14, metric=Metric.OEE, width=78, height=12)
    assert per_shift
    narrow, per_shift = chart_text(points, LAST, 14, metric=Metric.OEE, width=34, height=12)
    assert not per_shift
    # per day: (192 + 384) / (480 + 480) = 60 %, a bar that reaches the 60 row
    lines = rows_of(narrow.plain)
    [row60] = [r for r in lines if label_of(r) == "60"]
    group = (34 - 4) // 14
    assert row60[4:][13 * group] == "█"
    row70 = lines[lines.index(row60) - 1]  # the row above: 70 % (rows of 10 %)
    assert row70[4:][13 * group] == " "
    # per shift: 40 % and 80 % side by side, the day's first two columns
    [wide60] = [r for r in rows_of(wide.plain) if label_of(r) == "60"]
    wide_group = (78 - 4) // 14
    assert wide60[4:][13 * wide_group : 13 * wide_group + 2] == "─█"


def test_metrics_cycle() -> None:
    assert [m.value for m in (Metric.OEE, Metric.OEE.next(), Metric.OEE.next().next())] == [
        "OEE",
        "Availability",
        "Performance",
    ]
    assert Metric.QUALITY.next() is Metric.OEE
    # the target line is OEE's: no line for availability
    text, _ = chart_text(
        [point(LAST, "A", runtime=240)], LAST, 14, metric=Metric.AVAILABILITY, width=78, height=12
    )
    assert "─" not in text.plain


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_drill_down_chart_shows_14_days_and_c_switches_the_metric(
    showcase: tuple[str, Scope], size: tuple[int, int]
) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot.pause)
        app.query_one("#work-center-table").focus()
        await pilot.press("down", "down", "enter")
        await until_screen(app, WorkCenterScreen, pilot.pause)
        await settle(app, pilot.pause)
        chart = app.screen.query_one(OeeChart)
        region = Region(0, 0, chart.size.width, chart.size.height)
        lines = [strip.text for strip in chart.render_lines(region)]
        # the showcase's last day is Nov 2 (SHOWCASE_NOW): Oct 20 .. Nov 2 all labelled
        assert set(" ".join(lines).split()) >= DAY_LABELS
        panel = app.screen.query_one("#chart")
        assert str(panel.border_title).startswith("OEE per")
        shown = app.screen.active_bindings["c"].binding  # in the footer, with what it does
        assert shown.show and shown.description == "OEE/A/P/Q"
        await pilot.press("c")
        await pilot.pause(0.1)
        assert chart.metric is Metric.AVAILABILITY
        assert str(panel.border_title).startswith("Availability per")
