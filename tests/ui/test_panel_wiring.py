"""How data reaches the widgets: every poll the running app makes is a registry entry, the
messages carry typed payloads, the alert log is app state that views watch, and "when to
fetch" is a strategy the app picks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.message import Message
from textual.widgets import Static

from floorwatch.db.source import SourceUnavailable
from floorwatch.domain.alert_log import AlertLogState
from floorwatch.domain.models import Alert, Scope
from floorwatch.panels import DRILL_DOWNS, panel_names
from floorwatch.screenshots import settle, showcase_app, until_screen
from floorwatch.ui.alert_log import AlertPanel
from floorwatch.ui.fetch_strategy import FetchStrategy
from floorwatch.ui.messages import AlertsPolled, OpenWorkCenter
from floorwatch.ui.poller import Poll
from floorwatch.ui.screens.work_center import WorkCenterScreen
from floorwatch.ui.work_center_grid import WorkCenterGrid


async def test_the_running_app_polls_exactly_the_registry(showcase: tuple[str, Scope]) -> None:
    dsn, scope = showcase
    messages: list[Message] = []
    app = showcase_app(dsn, scope)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await settle(app, pilot.pause)
        main = [p.name for p in app.polls if p.owner.screen is app.screen]
        assert sorted(main) == sorted(panel_names())
        polled = [m for m in messages if isinstance(m, AlertsPolled)]
        assert polled and all(isinstance(a, Alert) for m in polled for a in m.alerts)

        grid = app.query_one(WorkCenterGrid)
        grid.table.focus()
        await pilot.press("down", "enter")
        await until_screen(app, WorkCenterScreen, pilot.pause)
        await settle(app, pilot.pause)
        # one message, seen once by each node it bubbles through
        [opened] = {id(m): m for m in messages if isinstance(m, OpenWorkCenter)}.values()
        assert opened.work_center_id == grid.selected_work_center()
        assert isinstance(app.screen, WorkCenterScreen)
        assert app.screen.work_center_id == opened.work_center_id
        drill = {
            p.name: p for p in app.polls if p.owner is not app and p.owner.screen is app.screen
        }
        assert set(drill) == {d.name for d in DRILL_DOWNS}
        # the alerts and shift polls are the app's own: they run on this screen too
        assert [p.name for p in app.polls if p.owner is app] == ["alerts", "shift"]
        for spec in DRILL_DOWNS:  # each at the interval of the panel it follows
            assert drill[spec.name].interval == app.config.intervals.seconds(spec.follows.name)
            assert drill[spec.name].fetched_at is not None


class AlertCount(Static):
    """A third view of the alerts: it only watches the app's alert log."""

    def on_mount(self) -> None:
        self.seen: list[AlertLogState] = []
        self.watch(self.app, "alerts", self._changed)

    def _changed(self, alerts: AlertLogState) -> None:
        self.seen.append(alerts)


async def test_a_new_view_of_the_alerts_needs_no_wiring_and_closing_draws_nothing(
    showcase: tuple[str, Scope],
) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        view = AlertCount()
        await app.screen.mount(view)
        assert view.seen[-1].new() == app.alert_log.new() != []  # drawn at once
        await pilot.press("a")
        assert view.seen[-1].new() == [] and app.alerts.new_keys == frozenset()
        # an answer handled while the app closes finds the tables already removed
        for table in (app.query_one(AlertPanel).table, app.query_one(WorkCenterGrid).table):
            await table.remove()
        app.alert_log.acknowledged.clear()
        app.post_message(AlertsPolled(app.alert_log.entries()))
        await pilot.pause()
        assert view.seen[-1].new_keys and app.is_running


class OnRefreshOnly(FetchStrategy):
    """Fetches only when asked (what a push strategy does when told the data changed)."""

    def __init__(self) -> None:
        self.finished_with: list[float | None] = []

    def start(self, poll: Poll[Any]) -> None:
        self.poll = poll

    def stop(self) -> None:
        pass

    def poll_now(self, *, force: bool = False) -> None:
        self.poll.try_fetch(ignore_pause=force)

    def wake(self) -> None:
        pass

    def finished(self, retry_in: float | None) -> None:
        self.finished_with.append(retry_in)


async def test_another_fetch_strategy_drops_in_without_touching_the_panels(
    showcase: tuple[str, Scope],
) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope)
    strategies: list[OnRefreshOnly] = []

    def on_refresh_only(poll_name: str) -> FetchStrategy:
        strategies.append(OnRefreshOnly())
        return strategies[-1]

    app.fetch_strategy = on_refresh_only  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        assert len(strategies) == len(app.polls) == len(panel_names())
        assert all(p.calls == 0 for p in app.polls)  # the timer would have fetched by now
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert all(p.calls == 1 and p.fetched_at is not None for p in app.polls)
        assert all(s.finished_with == [None] for s in strategies)


async def test_an_unreachable_server_is_one_scrubbed_source_unavailable(
    showcase: tuple[str, Scope], tmp_path: Path
) -> None:
    _, scope = showcase
    hidden = f"postgresql://fw:s3cret@/floorwatch?host={tmp_path}"  # no server listens there
    app = showcase_app(hidden, scope)
    source = app.source
    try:
        await source.fetch(lambda data, now: data.summary(now), app.now(), 5)
    except SourceUnavailable as exc:
        assert exc.connection_lost and "s3cret" not in exc.reason
        assert exc.reason.startswith("server not reachable") or "cannot connect" in exc.reason
    else:
        raise AssertionError("no SourceUnavailable")
    finally:
        await source.close()
