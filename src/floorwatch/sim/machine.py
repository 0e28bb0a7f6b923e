"""One work center's equipment state machine, simulated forward in time.

Time is whole epoch seconds. The machine walks through make-ready (setup), production,
unplanned stops (breakdown, no material, no operator) and planned downtime, starting runs from
a small queue of scheduled runs. It keeps every row it created or changed (orders, runs,
status intervals) and per-shift OEE accumulators until `drain()` hands them to a writer.

Random draws happen only at state transitions, so advancing in one step or in many small
ticks gives the same rows.
"""

from __future__ import annotations

import math
import random
import uuid
from bisect import bisect_right
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from itertools import accumulate
from typing import Any

from floorwatch.domain.models import EquipmentState as State
from floorwatch.domain.models import RunStatus
from floorwatch.sim import catalog
from floorwatch.sim.catalog import Reason, StopLength
from floorwatch.sim.plant import Facility, WorkCenter, new_id
from floorwatch.sim.shifts import Shift, ShiftCalendar

MIN_STATE_S = 60
QUEUE_LENGTH = 4


@dataclass(slots=True)
class Order:
    id: uuid.UUID
    number: str
    quantity_ordered: int
    due_date: date
    priority: int
    created_at: int


@dataclass(slots=True)
class Run:
    id: uuid.UUID
    number: str
    order_id: uuid.UUID | None
    quantity_planned: int
    scheduled_start: int
    scheduled_end: int
    created_at: int
    updated_at: int
    status: str = RunStatus.SCHEDULED
    actual_start: int | None = None
    actual_end: int | None = None
    operator_id: uuid.UUID | None = None
    operator_name: str | None = None
    good: int = 0
    scrap: int = 0
    rework: int = 0
    setup_s: int = 0
    run_s: int = 0
    down_s: int = 0
    # production model (not stored): pieces per productive second and defect rates
    speed: float = 1.0
    scrap_rate: float = 0.0
    rework_rate: float = 0.0
    waste: int = 0
    goal: int = 0  # the run ends at this many good pieces (0: at quantity_planned)
    # counts are base + f(run_s - base_s); base moves on resume and with make-ready waste
    base_s: int = 0
    base_good: int = 0
    base_scrap: int = 0
    base_rework: int = 0

    def recount(self) -> None:
        produced = int(self.speed * (self.run_s - self.base_s))
        scrap = int(produced * self.scrap_rate)
        rework = int(produced * self.rework_rate)
        self.good = self.base_good + produced - scrap - rework
        self.scrap = self.base_scrap + scrap
        self.rework = self.base_rework + rework

    def seconds_to_finish(self) -> int:
        need = (self.goal or self.quantity_planned) - self.good
        if need <= 0:
            return 0
        net = self.speed * (1 - self.scrap_rate - self.rework_rate)
        return math.ceil(need / net) + 1


@dataclass(slots=True)
class StatusRow:
    id: uuid.UUID
    status: str
    previous: str | None
    start: int
    end: int | None
    run_id: uuid.UUID | None
    reason_code: str | None
    reason_description: str | None


@dataclass(slots=True)
class ShiftAcc:
    """What one work center did in one shift (seconds and pieces)."""

    shift: Shift
    planned_s: int = 0  # shift time that was not planned downtime
    down_s: int = 0  # setup and unplanned stops
    run_s: int = 0  # productive
    good: int = 0
    scrap: int = 0
    rework: int = 0
    lost_s: dict[str, int] = field(default_factory=dict)  # down_s by status (the ERP's split)


@dataclass
class Changes:
    orders: list[Order] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    statuses: list[StatusRow] = field(default_factory=list)
    shifts: list[ShiftAcc] = field(default_factory=list)


def _seconds_of(rng: random.Random, length: StopLength) -> int:
    minutes = rng.lognormvariate(math.log(length.median), length.sigma)
    return int(60 * min(length.high, max(length.low, minutes)))


def _pick(roll: float, table: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]:
    """The rest of the first row of `table` (bound, ...) whose bound `roll` is below."""
    for bound, *rest in table:
        if roll < bound:
            return tuple(rest)
    raise ValueError(f"no row of the table covers {roll}")


def _hours_within(rng: random.Random, hours: tuple[int, int]) -> int:
    """Whole seconds drawn from `hours` (low inclusive, high exclusive)."""
    return rng.randrange(hours[0] * 3600, hours[1] * 3600)


@cache
def _bounds(reasons: tuple[Reason, ...]) -> tuple[float, ...]:
    return tuple(accumulate(weight for *_, weight in reasons))


def _reason(rng: random.Random, reasons: tuple[Reason, ...]) -> tuple[str, str]:
    """(code, description) of a reason drawn by weight."""
    bounds = _bounds(reasons)
    code, description, _ = reasons[bisect_right(bounds, rng.random() * bounds[-1])]
    return code, description


def run_performance(wc: WorkCenter, rng: random.Random) -> float:
    """A run's speed over rated speed, from the work center's band (catalog)."""
    c = catalog
    if rng.random() <= c.FAST_RUN_CHANCE:
        return rng.uniform(*c.FAST_PERFORMANCE)
    k = wc.condition
    (poor_lo, poor_hi), (good_lo, good_hi) = c.POOR_PERFORMANCE, c.GOOD_PERFORMANCE
    return rng.uniform(poor_lo + k * (good_lo - poor_lo), poor_hi + k * (good_hi - poor_hi))


def stop_interval_s(wc: WorkCenter) -> float:
    """Mean productive seconds between unplanned stops: the kind's, shorter in a poorer
    condition (averaging the kind's over conditions)."""
    more = catalog.POOR_STOPS_MORE_OFTEN - 1
    scale = (1 + more * wc.condition) / (1 + more / 2)
    return wc.kind.minutes_between_stops * 60 * scale


def run_goal(quantity_planned: int, rng: random.Random) -> int:
    """Good pieces at which a run ends: its plan, or, now and then, a share of it."""
    if rng.random() >= catalog.SHORT_RUN_CHANCE:
        return quantity_planned
    return math.ceil(quantity_planned * rng.uniform(*catalog.SHORT_RUN_SHARE))


class Machine:
    """The simulated state of one work center; see the module docstring."""

    def __init__(
        self,
        facility: Facility,
        wc: WorkCenter,
        calendar: ShiftCalendar,
        rng: random.Random,
        job_scale: float = 1.0,
    ) -> None:
        self.facility = facility
        self.wc = wc
        self.calendar = calendar
        self.rng = rng
        self.job_scale = job_scale
        self.t = 0
        self.cur: StatusRow | None = None
        self.until = 0
        self.next_event = ""
        self.run: Run | None = None
        self.queue: deque[Run] = deque()
        self.pm_at = 0
        self.run_seq = 0
        self.order: Order | None = None
        self.order_left = 0
        self.order_qty = 0
        self._orders: list[Order] = []
        self._runs: dict[uuid.UUID, Run] = {}
        self._statuses: dict[uuid.UUID, StatusRow] = {}
        self.accs: dict[int, ShiftAcc] = {}
        self._dirty_accs: set[int] = set()
        self.stop_interval = stop_interval_s(wc)

    # ---- construction -------------------------------------------------------------------

    @classmethod
    def fresh(
        cls,
        facility: Facility,
        wc: WorkCenter,
        calendar: ShiftCalendar,
        t0: int,
        job_scale: float = 1.0,
    ) -> Machine:
        """A work center that starts its first run's make-ready at `t0`."""
        m = cls(facility, wc, calendar, random.Random(wc.seed), job_scale)
        m.t = t0
        m.pm_at = t0 + _hours_within(m.rng, catalog.FIRST_PM_WITHIN_H)
        m._start_next(t0)
        return m

    # ---- public -------------------------------------------------------------------------

    def advance(self, to: int) -> None:
        """Simulate up to epoch second `to`."""
        while True:
            end = self.until if self.until < to else to
            if end > self.t:
                self._account(self.t, end)
                self.t = end
            if self.until > to:
                return
            self._transition(self.until)

    def idle(self, to: int) -> None:
        """The plant stood still (the simulator was not running) from now until `to`."""
        if to <= self.t:
            return
        if self.run is not None:
            self.run.status = RunStatus.PAUSED
        self._enter(self.t, State.PLANNED_DOWNTIME, to - self.t, catalog.IDLE_REASON)
        self.advance(to)

    @property
    def work_center_status(self) -> str:
        status = self.cur.status if self.cur else None
        if status == State.BREAKDOWN:
            return "DOWN"
        if status == State.PLANNED_DOWNTIME:
            return "MAINTENANCE"
        if self.run is not None and self.run.status == RunStatus.IN_PROGRESS:
            return "IN_USE"
        return "AVAILABLE"

    def drain(self) -> Changes:
        """Rows created or changed since the last drain; finished shifts are forgotten."""
        changes = Changes(
            orders=self._orders,
            runs=list(self._runs.values()),
            statuses=list(self._statuses.values()),
            shifts=[self.accs[k] for k in sorted(self._dirty_accs)],
        )
        self._orders = []
        self._runs = {}
        self._statuses = {}
        self._dirty_accs = set()
        for key in [k for k, a in self.accs.items() if a.shift.end <= self.t]:
            del self.accs[key]
        return changes

    # ---- accounting ---------------------------------------------------------------------

    def _acc(self, shift: Shift) -> ShiftAcc:
        acc = self.accs.get(shift.start)
        if acc is None:
            acc = self.accs[shift.start] = ShiftAcc(shift)
        self._dirty_accs.add(shift.start)
        return acc

    def _account(self, t0: int, t1: int) -> None:
        assert self.cur is not None
        status = self.cur.status
        run = self.run
        while t0 < t1:
            shift = self.calendar.at(t0)
            end = shift.end if shift.end < t1 else t1
            dt = end - t0
            acc = self._acc(shift)
            if status == State.PRODUCTIVE:
                assert run is not None
                acc.planned_s += dt
                acc.run_s += dt
                good, scrap, rework = run.good, run.scrap, run.rework
                run.run_s += dt
                run.recount()
                acc.good += run.good - good
                acc.scrap += run.scrap - scrap
                acc.rework += run.rework - rework
            elif status == State.PLANNED_DOWNTIME:
                if run is not None:
                    run.down_s += dt
            else:
                acc.planned_s += dt
                acc.down_s += dt
                acc.lost_s[status] = acc.lost_s.get(status, 0) + dt
                if run is not None:
                    if status == State.SETUP:
                        run.setup_s += dt
                    else:
                        run.down_s += dt
            t0 = end
        if run is not None:
            run.updated_at = t1
            self._runs[run.id] = run

    # ---- transitions --------------------------------------------------------------------

    def _enter(
        self, t: int, status: str, seconds: float, reason: tuple[str, str] | None = None
    ) -> None:
        prev = self.cur
        if prev is not None:
            prev.end = t
            self._statuses[prev.id] = prev
        run = self.run
        row = StatusRow(
            id=new_id(self.rng),
            status=status,
            previous=prev.status if prev else None,
            start=t,
            end=None,
            run_id=run.id if run else None,
            reason_code=reason[0] if reason else None,
            reason_description=reason[1] if reason else None,
        )
        self.cur = row
        self._statuses[row.id] = row
        self.until = t + max(MIN_STATE_S, int(seconds))
        self.next_event = ""

    def _transition(self, t: int) -> None:
        assert self.cur is not None
        status = self.cur.status
        run = self.run
        if status == State.SETUP:
            assert run is not None
            run.base_scrap += run.waste
            run.scrap += run.waste
            self._acc(self.calendar.at(t)).scrap += run.waste
            self._produce(t)
        elif status == State.PRODUCTIVE:
            if self.next_event == "done":
                self._complete(t)
                self._between_runs(t)
            elif self.next_event == "pm":
                self._planned(t)
            else:
                self._stop(t)
        elif status != State.PLANNED_DOWNTIME and t >= self.pm_at:
            self._planned(t)
        elif run is not None:
            self._produce(t)
        else:
            self._start_next(t)

    def _produce(self, t: int) -> None:
        run = self.run
        assert run is not None
        run.status = RunStatus.IN_PROGRESS
        until, event = self.next_production_event(t)
        self._enter(t, State.PRODUCTIVE, until - t)
        self.next_event = event

    def next_production_event(self, t: int) -> tuple[int, str]:
        """When production from `t` ends, and why: the run is done, a stop, or planned
        downtime is due."""
        assert self.run is not None
        mean = self.stop_interval
        return min(
            (t + self.run.seconds_to_finish(), "done"),
            (t + max(MIN_STATE_S, int(self.rng.expovariate(1 / mean))), "stop"),
            (max(self.pm_at, t + 300), "pm"),
        )

    def _stop(self, t: int) -> None:
        rng = self.rng
        status, length, reasons = _pick(rng.random(), catalog.STOPS)
        seconds = _seconds_of(rng, length)
        if status == State.BREAKDOWN and self.run is not None:
            self.run.status = RunStatus.PAUSED
        self._enter(t, status, seconds, _reason(rng, reasons))

    def _planned(self, t: int) -> None:
        rng = self.rng
        index, (low, high) = _pick(rng.random(), catalog.PLANNED_STOPS)
        reason = catalog.REASONS[State.PLANNED_DOWNTIME][index][:2]
        seconds = rng.randrange(low, high + 1) * 60
        if self.run is not None:
            self.run.status = RunStatus.PAUSED
        self._enter(t, State.PLANNED_DOWNTIME, seconds, reason)
        self.pm_at = t + seconds + _hours_within(rng, catalog.PM_EVERY_H)

    def _complete(self, t: int) -> None:
        run = self.run
        assert run is not None
        run.status = RunStatus.COMPLETED
        run.actual_end = t
        run.updated_at = t
        self._runs[run.id] = run
        self.run = None

    def _between_runs(self, t: int) -> None:
        rng = self.rng
        if t >= self.pm_at:
            self._planned(t)
        elif rng.random() < catalog.WAIT_BETWEEN_RUNS:
            status, length, reasons = _pick(rng.random(), catalog.WAITS)
            seconds = _seconds_of(rng, length)
            self._enter(t, status, seconds, _reason(rng, reasons))
        else:
            self._start_next(t)

    def _start_next(self, t: int) -> None:
        rng = self.rng
        while True:
            self._refill(t)
            run = self.queue.popleft()
            if rng.random() >= catalog.CANCEL_CHANCE:
                break
            run.status = RunStatus.CANCELLED
            run.updated_at = t
            self._runs[run.id] = run
        self._refill(t)
        shift = self.calendar.at(t)
        operator = rng.choice(self.facility.crew(int(shift.label) - 1))
        run.status = RunStatus.IN_PROGRESS
        run.actual_start = t
        run.updated_at = t
        run.operator_id = operator.id
        run.operator_name = operator.display_name
        self._runs[run.id] = run
        self.run = run
        lo, hi = self.wc.kind.setup
        self._enter(
            t, State.SETUP, rng.uniform(lo, hi) * 60, _reason(rng, catalog.REASONS[State.SETUP])
        )

    def _refill(self, t: int) -> None:
        rng, c = self.rng, catalog
        kind = self.wc.kind
        rate = float(self.wc.rate_per_hour)
        while len(self.queue) < QUEUE_LENGTH:
            minutes = rng.uniform(*kind.job_minutes) * self.job_scale
            if self.order_left == 0:
                self._new_order(t, minutes, rate)
            self.order_left -= 1
            perf = run_performance(self.wc, rng)
            spike = rng.random() < c.SCRAP_SPIKE_CHANCE
            scrap = rng.uniform(*(c.SPIKE_SCRAP_RATE if spike else c.SCRAP_RATE))
            rework = rng.uniform(*c.REWORK_RATE) if rng.random() < c.REWORK_CHANCE else 0.0
            start = max(t, self.queue[-1].scheduled_end) if self.queue else t
            setup_mean = sum(kind.setup) / 2
            end = start + int((setup_mean + minutes / c.SCHEDULED_EFFICIENCY) * 60)
            self.run_seq += 1
            run = Run(
                id=new_id(rng),
                number=f"{self.wc.code}-{self.run_seq:06d}",
                order_id=self.order.id if self.order else None,
                quantity_planned=self.order_qty,
                scheduled_start=start,
                scheduled_end=end,
                created_at=t,
                updated_at=t,
                speed=rate / 3600 * perf,
                scrap_rate=scrap,
                rework_rate=rework,
                waste=rng.randint(*kind.waste),
                goal=run_goal(self.order_qty, rng),
            )
            self.queue.append(run)
            self._runs[run.id] = run

    def _new_order(self, t: int, minutes: float, rate: float) -> None:
        rng = self.rng
        runs = rng.choice(catalog.RUNS_PER_ORDER)
        step = 100 if rate * minutes / 60 > 2000 else 10
        qty = max(step, round(rate * minutes / 60 * catalog.SCHEDULED_EFFICIENCY / step) * step)
        first, last = catalog.ORDER_DUE_DAYS
        due = datetime.fromtimestamp(t + rng.randrange(first, last + 1) * 86400, self.calendar.tz)
        self.order = Order(
            id=new_id(rng),
            # numbered after the order's first run, so a resumed machine continues the sequence
            number=f"SO-{self.facility.code}-{self.wc.code}-{self.run_seq + 1:06d}",
            quantity_ordered=qty * runs,
            due_date=due.date(),
            priority=rng.choices(catalog.PRIORITIES, weights=catalog.PRIORITY_WEIGHTS)[0],
            created_at=t,
        )
        self._orders.append(self.order)
        self.order_left = runs
        self.order_qty = qty
