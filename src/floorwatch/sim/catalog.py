"""What a print plant is made of: machine kinds with rated speeds and job profiles, reasons
for stops, and names. Pure data."""

from __future__ import annotations

from dataclasses import dataclass

PRODUCTIVE = "PRODUCTIVE"
SETUP = "NON_PRODUCTIVE_SETUP"
BREAKDOWN = "NON_PRODUCTIVE_BREAKDOWN"
NO_OPERATOR = "NON_PRODUCTIVE_NO_OPERATOR"
NO_MATERIAL = "NON_PRODUCTIVE_NO_MATERIAL"
PLANNED_DOWNTIME = "NON_PRODUCTIVE_PLANNED_DOWNTIME"


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
    minutes_between_stops: float  # mean productive minutes between unplanned stops
    # the plant's own target for the kind (print plants run well below 85 % 'world class')
    target_oee: int


KINDS: dict[str, Kind] = {
    k.prefix: k
    for k in (
        Kind("OFF", "Offset press", "OFFSET_PRESS", (12000, 15000), (20, 45), (150, 400),
             (40, 180), 100, 65),
        Kind("DIG", "Digital press", "DIGITAL_PRESS", (2500, 4000), (2, 8), (3, 20),
             (10, 40), 150, 70),
        Kind("FLX", "Flexo press", "FLEXO_PRESS", (6000, 9000), (30, 60), (200, 600),
             (60, 200), 110, 60),
        Kind("DIE", "Die cutter", "DIE_CUTTER", (5000, 7500), (25, 50), (20, 80),
             (40, 150), 120, 60),
        Kind("FLD", "Folder", "FOLDER", (8000, 15000), (10, 25), (20, 60), (30, 120), 90, 65),
        Kind("SAD", "Saddle stitcher", "SADDLE_STITCHER", (4000, 7000), (15, 30), (10, 50),
             (30, 120), 100, 60),
        Kind("BND", "Perfect binder", "BINDER", (1500, 3000), (20, 40), (10, 40),
             (45, 150), 110, 55),
        Kind("GUI", "Guillotine", "GUILLOTINE", (3000, 5000), (5, 15), (0, 10), (20, 90),
             200, 70),
        Kind("LAM", "Laminator", "LAMINATOR", (2500, 4500), (10, 20), (10, 40), (30, 120),
             130, 70),
    )
}  # fmt: skip

# Machine mix of a plant: the first twelve make the demo plant; larger plants repeat it.
PLANT_MIX = ("OFF", "DIG", "OFF", "FLD", "GUI", "DIG", "DIE", "SAD", "OFF", "FLX", "BND", "LAM")

REASONS: dict[str, tuple[tuple[str, str], ...]] = {
    SETUP: (("SU-MR", "Make-ready"), ("SU-CHG", "Job changeover")),
    BREAKDOWN: (
        ("BD-FEED", "Feeder jam"),
        ("BD-DRIVE", "Main drive fault"),
        ("BD-ELEC", "Electrical fault"),
        ("BD-AIR", "Vacuum / air pressure loss"),
        ("BD-SENS", "Sensor failure"),
        ("BD-KNIFE", "Knife / blade damage"),
    ),
    NO_MATERIAL: (
        ("NM-PAPER", "Waiting for paper stock"),
        ("NM-PLATES", "Waiting for plates"),
        ("NM-INK", "Waiting for ink"),
        ("NM-WIP", "Waiting for upstream work"),
    ),
    NO_OPERATOR: (
        ("NO-BREAK", "Operator on break"),
        ("NO-ABSENT", "Operator absent"),
        ("NO-CREW", "Crew on another machine"),
    ),
    PLANNED_DOWNTIME: (
        ("PD-PM", "Preventive maintenance"),
        ("PD-CLEAN", "Cleaning / wash-up"),
        ("PD-MEET", "Shift meeting"),
    ),
}
IDLE_REASON = ("PD-IDLE", "Plant idle (simulator not running)")

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
