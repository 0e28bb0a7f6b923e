"""floorwatch: a live terminal monitor of shop-floor production over PostgreSQL."""

__version__ = "0.1.0"
