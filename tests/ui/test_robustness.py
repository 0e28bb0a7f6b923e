"""What a monitor left on a wall for weeks must survive: a facility switch in the middle of a
poll, a panel whose display code fails, a refresh while paused."""

from __future__ import annotations

import asyncio
from datetime import datetime

from floorwatch.config import Config, Intervals
from floorwatch.db.dsn import Target
from floorwatch.db.plant import PlantData
from floorwatch.db.pool import Database, create_pool
from floorwatch.domain.models import FacilitySummary, RunSummary, Scope
from floorwatch.showcase import SHOWCASE_NOW, settle, showcase_app
from floorwatch.ui.messages import PollFailed, PollSucceeded
from floorwatch.ui.run_list import RunList
from floorwatch.ui.summary import SummaryPanel

HOUR = 3600.0


def _config(**seconds: float) -> Config:
    values = {name: HOUR for name in Intervals.model_fields}
    values.update(seconds)
    return Config(intervals=Intervals.injected(**values))  # below the 1 s user floor


class SlowSummary(PlantData):
    async def summary(self, now: datetime) -> FacilitySummary:
        await asyncio.sleep(0.5)
        return await super().summary(now)


async def _summary_of(dsn: str, scope: Scope) -> FacilitySummary:
    db = Database(await create_pool(Target(dsn, "flag")))
    try:
        return await PlantData(db, scope).summary(SHOWCASE_NOW)
    finally:
        await db.close()


async def test_switching_facility_mid_poll_never_shows_the_old_facility(
    two_facilities: tuple[str, list[Scope]],
) -> None:
    dsn, scopes = two_facilities
    first, second = scopes
    expected = await _summary_of(dsn, second)
    assert expected != await _summary_of(dsn, first), "the two facilities must differ"
    app = showcase_app(dsn, first, scopes=scopes)
    app.source.plant_class = SlowSummary
    async with app.run_test(size=(120, 40)) as pilot:
        panel = app.query_one(SummaryPanel)
        poll = panel.polls[0]
        for _ in range(100):
            if poll.in_flight:
                break
            await pilot.pause(0.02)
        assert poll.in_flight  # the first facility's summary is on its way …
        app._switch_scope(second)  # … when the supervisor switches
        await settle(app, pilot.pause)
        for _ in range(100):
            if panel.summary is not None and not poll.in_flight:
                break
            await pilot.pause(0.05)
        assert panel.summary == expected
        assert "NORD11" in str(app.screen.query_one("#status-line").render())


class DuplicateRuns(PlantData):
    """Data the run list cannot show (two rows with one key): its display code raises."""

    async def runs(self, now: datetime, **kwargs: object) -> list[RunSummary]:
        rows = await super().runs(now, **kwargs)  # type: ignore[arg-type]
        return rows + rows[:1]


async def test_a_failing_panel_keeps_polling_and_the_rest_carries_on(
    showcase: tuple[str, Scope],
) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope, config=_config(runs=0.2, alerts=0.2))
    app.source.plant_class = DuplicateRuns
    async with app.run_test(size=(120, 40)) as pilot:
        runs = app.query_one(RunList).polls[0]
        for _ in range(200):  # the first failure
            if runs.failed:
                break
            await pilot.pause(0.05)
        first = runs.calls
        for _ in range(200):  # a retry after the backoff (1 s, 2 s, ...): not stuck
            if runs.calls > first:
                break
            await pilot.pause(0.05)
        assert runs.calls > first >= 1
        assert runs.failed == "error (see log)"
        assert app.is_running and app.connection.connected
        alerts = next(p for p in app.polls if p.name == "alerts")
        for _ in range(200):  # the other polls carry on (on a loaded machine, slowly)
            if alerts.calls >= 3:
                break
            await pilot.pause(0.05)
        assert alerts.failed is None and alerts.calls >= 3
        assert runs.failed == "error (see log)"  # and the run list still fails


async def test_a_resize_after_a_failed_poll_draws_nothing_bad(showcase: tuple[str, Scope]) -> None:
    """The run list re-draws on every resize from the data it holds: after a poll whose data it
    could not draw, it holds none (a redraw outside the poll's guard would close the app)."""
    dsn, scope = showcase
    app = showcase_app(dsn, scope, config=_config(runs=0.2))
    app.source.plant_class = DuplicateRuns
    async with app.run_test(size=(120, 40)) as pilot:
        panel = app.query_one(RunList)
        for _ in range(200):
            if panel.polls[0].failed:
                break
            await pilot.pause(0.05)
        assert panel.polls[0].failed == "error (see log)"
        await pilot.resize_terminal(100, 32)
        await pilot.pause(0.2)
        assert app.is_running and panel.runs == []


async def test_refresh_while_paused_polls_once(showcase: tuple[str, Scope]) -> None:
    """Every panel polls every 0.2 s: paused, `r` polls each once and then none polls again
    (though each would have polled several times), until unpaused."""
    dsn, scope = showcase
    app = showcase_app(dsn, scope, config=_config(**dict.fromkeys(Intervals.model_fields, 0.2)))

    def calls() -> dict[str, int]:
        return {p.name: p.calls for p in app.polls}

    def idle() -> bool:
        return not any(p.in_flight for p in app.polls)

    async def until(condition) -> None:  # type: ignore[no-untyped-def]
        for _ in range(200):
            if condition():
                return
            await pilot.pause(0.05)
        raise AssertionError("condition not reached")

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        await pilot.press("p")
        await until(idle)
        before = calls()
        await pilot.press("r")
        await until(lambda: all(calls()[n] == before[n] + 1 for n in before) and idle())
        after = calls()
        await pilot.pause(1.5)  # seven intervals: unpaused, every panel would have polled
        assert calls() == after  # and stays paused
        await pilot.press("p")
        await until(lambda: all(calls()[n] > after[n] for n in after))  # polling again


async def test_f_picks_another_facility(two_facilities: tuple[str, list[Scope]]) -> None:
    dsn, scopes = two_facilities
    first, second = scopes
    app = showcase_app(dsn, first, scopes=scopes)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        await pilot.press("f")
        await pilot.pause(0.2)
        await pilot.press("down", "enter")
        await settle(app, pilot.pause)
        assert app.source.scope == second
        assert second.facility_name in str(app.screen.query_one("#status-line").render())
        expected = await _summary_of(dsn, second)
        assert app.query_one(SummaryPanel).summary == expected


async def test_connection_news_answered_while_the_app_closes_draws_nothing(
    showcase: tuple[str, Scope],
) -> None:
    """A poll's failure or success handled after the screens are gone (the app is closing)
    must not raise ScreenStackError: seen once in a fresh-clone CI run."""
    dsn, scope = showcase
    app = showcase_app(dsn, scope)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
    assert not app.screen_stack
    app._poll_failed(PollFailed("server closed the connection", connection_lost=True))
    assert not app.connection.connected
    app._poll_ok(PollSucceeded())
    assert app.connection.connected


async def test_a_change_told_while_a_poll_runs_is_fetched_after_it(
    showcase: tuple[str, Scope],
) -> None:
    """A notice that arrives while its panel's poll is on its way (whose snapshot may be older
    than the change) fetches once more as soon as that poll has answered, not an hour later."""
    dsn, scope = showcase
    app = showcase_app(dsn, scope, config=_config())
    app.source.plant_class = SlowSummary
    async with app.run_test(size=(120, 40)) as pilot:
        [poll] = app.query_one(SummaryPanel).polls
        # in_flight is set when the fetch is started, calls counted when its worker runs
        for _ in range(100):
            if poll.in_flight and poll.calls == 1:
                break
            await pilot.pause(0.02)
        assert poll.in_flight and poll.calls == 1
        poll.poll_now()  # as app._fetch_changed does for a notice
        poll.poll_now()  # twice: still one more poll, not two
        for _ in range(200):
            if poll.calls == 2 and not poll.in_flight:
                break
            await pilot.pause(0.02)
        assert poll.calls == 2 and not poll.in_flight
        await pilot.pause(0.8)
        assert poll.calls == 2  # and then the hour's interval again
