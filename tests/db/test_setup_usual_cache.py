"""The usual setup of each work center type (the long make-ready alert) is history before
today: PlantData reads it once a day, not on every alert poll."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from plant_builder import PlantBuilder

from floorwatch.db.plant import PlantData
from floorwatch.db.pool import Database

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


async def test_the_usual_setup_is_read_once_a_day(
    builder: PlantBuilder, database: Database
) -> None:
    s = await builder.scope("USUAL", "P1", timezone="UTC", first_shift_start=time(6))
    press = await builder.work_center(s, "PRESS-1", kind="offset press")
    # yesterday: setups of 10, 20 and 40 minutes: the median is 20 minutes
    for i, minutes in enumerate((10, 20, 40)):
        start = NOW - timedelta(days=1, hours=i + 1)
        await builder.status(
            s, press, "NON_PRODUCTIVE_SETUP", start, start + timedelta(minutes=minutes)
        )
    data = PlantData(database, s)
    usual = await data.setup_usual(NOW)
    assert usual.seconds == {"offset press": Decimal(1200)} and usual.past == {"offset press": 3}
    # two more setups of yesterday, written late: this day keeps what it read ...
    for i in (4, 5):
        start = NOW - timedelta(days=1, hours=i)
        await builder.status(s, press, "NON_PRODUCTIVE_SETUP", start, start + timedelta(hours=1))
    assert (await data.setup_usual(NOW + timedelta(hours=3))).past == {"offset press": 3}
    # ... and the next day reads them: 10, 20, 40, 60, 60 minutes, median 40
    tomorrow = await data.setup_usual(NOW + timedelta(days=1))
    assert tomorrow.seconds == {"offset press": Decimal(2400)}
    assert tomorrow.past == {"offset press": 5}
