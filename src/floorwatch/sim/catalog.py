"""What a print plant is made of: machine kinds with rated speeds and job profiles, reasons
for stops, how often and how long things happen (the machine's chances), and names. Pure
data; the equipment states are the domain's (EquipmentState, here State)."""

from __future__ import annotations

from dataclasses import dataclass

from floorwatch.domain.models import EquipmentState as State


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of work center. Times in minutes, rates in pieces (sheets, labels, books)/hour."""

    prefix: str
    name: str
    type: str
    rate: tuple[int, int]  # rated production_rate_per_hour range
    setup: tuple[float, float]  # make-ready / changeover minutes
    waste: tuple[int, int]  # make-ready waste pieces per run
    job_minutes: tuple[float, float]  # productive minutes per run at rated speed
    minutes_between_stops: float  # mean productive minutes between unplanned stops (small too)
    # the plant's own target for the kind (print plants run well below 85 % 'world class'),
    # set so that about a third of the shifts fall short of it (tests/sim/test_sim_believable)
    target_oee: int


KINDS: dict[str, Kind] = {
    k.prefix: k
    for k in (
        Kind("OFF", "Offset press", "OFFSET_PRESS", (12000, 15000), (20, 45), (150, 400),
             (40, 180), 93, 55),
        Kind("DIG", "Digital press", "DIGITAL_PRESS", (2500, 4000), (2, 8), (3, 20),
             (10, 40), 140, 60),
        Kind("FLX", "Flexo press", "FLEXO_PRESS", (6000, 9000), (30, 60), (200, 600),
             (60, 200), 103, 55),
        Kind("DIE", "Die cutter", "DIE_CUTTER", (5000, 7500), (25, 50), (20, 80),
             (40, 150), 112, 55),
        Kind("FLD", "Folder", "FOLDER", (8000, 15000), (10, 25), (20, 60), (30, 120), 84, 55),
        Kind("SAD", "Saddle stitcher", "SADDLE_STITCHER", (4000, 7000), (15, 30), (10, 50),
             (30, 120), 93, 55),
        Kind("BND", "Perfect binder", "BINDER", (1500, 3000), (20, 40), (10, 40),
             (45, 150), 103, 55),
        Kind("GUI", "Guillotine", "GUILLOTINE", (3000, 5000), (5, 15), (0, 10), (20, 90),
             187, 65),
        Kind("LAM", "Laminator", "LAMINATOR", (2500, 4500), (10, 20), (10, 40), (30, 120),
             121, 60),
    )
}  # fmt: skip

# Machine mix of a plant: the first twelve make the demo plant; larger plants repeat it.
PLANT_MIX = ("OFF", "DIG", "OFF", "FLD", "GUI", "DIG", "DIE", "SAD", "OFF", "FLX", "BND", "LAM")

# (code, description, weight): a stop's reason is drawn by weight, so a few reasons carry
# most of the downtime (a Pareto, as on a real floor: jams and paper, not drive faults).
Reason = tuple[str, str, float]
REASONS: dict[State, tuple[Reason, ...]] = {
    State.SETUP: (("SU-MR", "Make-ready", 1), ("SU-CHG", "Job changeover", 1)),
    State.BREAKDOWN: (
        ("BD-FEED", "Feeder jam", 10),
        ("BD-DRIVE", "Main drive fault", 0.5),
        ("BD-ELEC", "Electrical fault", 1),
        ("BD-AIR", "Vacuum / air pressure loss", 3),
        ("BD-SENS", "Sensor failure", 1),
        ("BD-KNIFE", "Knife / blade damage", 0.5),
    ),
    State.NO_MATERIAL: (
        ("NM-PAPER", "Waiting for paper stock", 8),
        ("NM-PLATES", "Waiting for plates", 2),
        ("NM-INK", "Waiting for ink", 0.5),
        ("NM-WIP", "Waiting for upstream work", 1.5),
    ),
    State.NO_OPERATOR: (
        ("NO-BREAK", "Operator on break", 1),
        ("NO-ABSENT", "Operator absent", 1),
        ("NO-CREW", "Crew on another machine", 3),
    ),
    State.PLANNED_DOWNTIME: (
        ("PD-PM", "Preventive maintenance", 1),
        ("PD-CLEAN", "Cleaning / wash-up", 1),
        ("PD-MEET", "Shift meeting", 1),
    ),
}
# Small stops (a few minutes, logged as breakdowns): most busy shifts have some.
MINOR_REASONS: tuple[Reason, ...] = (
    ("BD-FEED", "Feeder jam", 6),
    ("BD-DOUBLE", "Double sheet detected", 3),
    ("BD-SENS", "Sensor failure", 1),
)
IDLE_REASON = ("PD-IDLE", "Plant idle (simulator not running)")


# ---- the machine's chances (sim/machine.py draws them, in this order, at transitions) -------


@dataclass(frozen=True, slots=True)
class StopLength:
    """Minutes of a stop: lognormal around `median`, clamped to `low`..`high`."""

    median: float
    sigma: float
    low: float
    high: float


# An unplanned stop during production: the first row whose bound the roll (0..1) is below,
# its reason drawn from the row's reasons by weight.
STOPS: tuple[tuple[float, State, StopLength, tuple[Reason, ...]], ...] = (
    (0.3, State.BREAKDOWN, StopLength(2.5, 0.5, 1, 4.5), MINOR_REASONS),
    (0.545, State.BREAKDOWN, StopLength(20, 0.7, 5, 180), REASONS[State.BREAKDOWN]),
    (0.79, State.NO_MATERIAL, StopLength(14, 0.6, 3, 90), REASONS[State.NO_MATERIAL]),
    (1.0, State.NO_OPERATOR, StopLength(10, 0.6, 3, 60), REASONS[State.NO_OPERATOR]),
)
# Between two runs: a wait with this chance, then which wait as for STOPS.
WAIT_BETWEEN_RUNS = 0.08
WAITS: tuple[tuple[float, State, StopLength, tuple[Reason, ...]], ...] = (
    (0.6, State.NO_MATERIAL, StopLength(15, 0.6, 3, 90), REASONS[State.NO_MATERIAL]),
    (1.0, State.NO_OPERATOR, StopLength(10, 0.6, 3, 60), REASONS[State.NO_OPERATOR]),
)
# Planned downtime: the first row whose bound the roll is below; the reason is
# REASONS[State.PLANNED_DOWNTIME][index], the length whole minutes from low to high.
PLANNED_STOPS: tuple[tuple[float, int, tuple[int, int]], ...] = (
    (0.25, 0, (60, 240)),  # preventive maintenance
    (0.8, 1, (15, 45)),  # cleaning / wash-up
    (1.0, 2, (10, 20)),  # shift meeting
)
FIRST_PM_WITHIN_H = (4, 36)  # hours from the start to the first planned downtime
PM_EVERY_H = (12, 36)  # hours from the end of one planned downtime to the next

CANCEL_CHANCE = 0.02  # a scheduled run is cancelled instead of started
# The schedule plans a run at this share of rated speed (its length, its order's quantity).
SCHEDULED_EFFICIENCY = 0.85
# A run's speed over rated speed is drawn from its work center's band: from POOR_PERFORMANCE
# (condition 0) to GOOD_PERFORMANCE (condition 1), the condition fixed per work center
# (plant.conditions), so the same machines run badly every day (a worn press, a weak crew)
# and others run well.
POOR_PERFORMANCE = (0.7, 0.9)
GOOD_PERFORMANCE = (0.92, 1.0)
POOR_STOPS_MORE_OFTEN = 3.0  # condition 0 stops this many times as often as condition 1
FAST_RUN_CHANCE = 0.03  # ... except a run faster than rated:
FAST_PERFORMANCE = (1.0, 1.04)
SCRAP_SPIKE_CHANCE = 0.04  # a run with a scrap problem
SPIKE_SCRAP_RATE = (0.06, 0.18)
SCRAP_RATE = (0.003, 0.03)
REWORK_CHANCE = 0.3
REWORK_RATE = (0.0, 0.01)

# A run that ends short (the stock ran out, the order was closed) at a share of its plan.
SHORT_RUN_CHANCE = 0.1
SHORT_RUN_SHARE = (0.9, 0.98)

RUNS_PER_ORDER = (1, 1, 1, 2, 2, 3)  # drawn uniformly: most orders are one run
ORDER_DUE_DAYS = (2, 10)  # days from the order to its due date
PRIORITIES = (1, 2, 3, 4, 5)
PRIORITY_WEIGHTS = (1, 2, 5, 2, 1)

TENANTS = (
    ("NORD", "Nordlicht Druck GmbH", "Europe/Berlin"),
    ("LAKE", "Lakeside Printing Co.", "America/Chicago"),
    ("ALBN", "Albion Press Ltd", "Europe/London"),
    ("SAKU", "Sakura Insatsu KK", "Asia/Tokyo"),
    ("PAMP", "Pampa Gráfica SA", "America/Argentina/Buenos_Aires"),
    ("KOAL", "Koala Print Pty", "Australia/Sydney"),
)
SITES = (
    ("Europe/Berlin", "Leipzig"),
    ("America/Chicago", "Milwaukee"),
    ("Europe/London", "Leeds"),
    ("America/New_York", "Allentown"),
    ("Europe/Warsaw", "Poznań"),
    ("Asia/Tokyo", "Saitama"),
    ("America/Los_Angeles", "Fresno"),
    ("Australia/Sydney", "Parramatta"),
)
# (first shift start "HH:MM", shift length hours), cycled over a tenant's facilities
SHIFT_PATTERNS = (("06:00", 8), ("07:00", 12), ("05:00", 8), ("06:00", 8))

FIRST_NAMES = (
    "Anna", "Ben", "Carla", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kai",
    "Lena", "Marco", "Nadia", "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma",
    "Viktor", "Wen", "Yusuf", "Zofia",
)  # fmt: skip
LAST_NAMES = (
    "Adler", "Brooks", "Castro", "Dietz", "Evans", "Fischer", "Garcia", "Hansen", "Ito",
    "Jensen", "Kowalski", "Lindqvist", "Meyer", "Novak", "Okafor", "Petrov", "Rossi",
    "Schmidt", "Tanaka", "Weber",
)  # fmt: skip
