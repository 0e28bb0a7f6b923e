"""80x24 on the showcase's 12 work centers: at least 8 work centers in view, every alert's
severity shown (a new one marked NEW beside it), the selected alert's whole message under the
log, and a footer that fits 80 columns even with the run list's keys."""

from __future__ import annotations

from floorwatch.domain.models import Scope
from floorwatch.showcase import settle, showcase_app
from floorwatch.ui.alert_log import AlertPanel, alert_detail
from floorwatch.ui.alert_text import alert_text
from floorwatch.ui.format import SEVERITY_LOOKS
from floorwatch.ui.run_list import RunList
from floorwatch.ui.work_center_grid import WorkCenterGrid
from ui.screen_text import screen_lines


async def test_80x24_shows_eight_work_centers_severities_and_whole_messages(
    showcase: tuple[str, Scope],
) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot.pause)
        grid = app.query_one(WorkCenterGrid)
        assert len(grid.utilization) == 12
        lines = screen_lines(app)
        shown = [
            u.work_center_code
            for u in grid.utilization
            if any(u.work_center_code in line for line in lines[: grid.region.bottom])
        ]
        assert len(shown) >= 8, shown

        panel = app.query_one(AlertPanel)
        new = app.alerts.new()
        assert new
        for alert in app.alerts.alerts[: panel.table.scrollable_content_region.height - 1]:
            label, _ = SEVERITY_LOOKS[alert.severity]
            assert panel.table.get_cell(alert.key, "severity").plain == label  # never NEW!
        first = app.alerts.alerts[0]
        assert panel.table.get_cell(first.key, "state").plain == "NEW"
        region = panel.query_one("#alert-detail").region
        detail = " ".join(
            line[region.x : region.right].strip() for line in lines[region.y : region.bottom]
        )
        assert detail == alert_detail(first, app.alerts, app.tz, app.now(), wide=False)
        assert detail == f"{first.work_center_code}: {alert_text(first)}"  # Since says when

        runs = app.query_one(RunList)
        run = runs.selected_run()
        assert run is not None and run.production_order_number
        region = runs.query_one("#run-detail").region
        shown = " ".join(
            line[region.x : region.right].strip() for line in lines[region.y : region.bottom]
        )
        # the order and the operator, hidden at 80 columns, whole under the table
        assert shown.startswith(f"{run.production_order_number} · {run.operator_name} · ")
        assert shown.endswith(f"{run.quantities.scrap:,} scrap")

        runs.table.focus()  # its keys join the footer's
        await pilot.pause(0.2)
        footer = app.screen.query_one("Footer")
        assert footer.virtual_size.width <= 80
        assert "? Help" in screen_lines(app)[-1] or "?Help" in screen_lines(app)[-1].replace(
            " ", ""
        )
