"""Reliability of one work center over a window up to now (README: Numbers): MTBF, MTTR and
TEEP. MTBF = productive minutes / breakdowns, MTTR = breakdown minutes / breakdowns (both
None without a breakdown); loading = planned production time / calendar time; TEEP = OEE x
loading (the window's shift rows, summed)."""

from __future__ import annotations

from decimal import Decimal

from floorwatch.domain.models import FrozenModel
from floorwatch.domain.oee import ZERO, OeeTotals


class Reliability(FrozenModel):
    days: int
    calendar_minutes: Decimal  # from the window's start to now
    failures: int
    repair_minutes: Decimal
    productive_minutes: Decimal
    oee: OeeTotals

    @property
    def mtbf_minutes(self) -> Decimal | None:
        return self.productive_minutes / self.failures if self.failures else None

    @property
    def mttr_minutes(self) -> Decimal | None:
        return self.repair_minutes / self.failures if self.failures else None

    @property
    def loading(self) -> Decimal | None:
        if self.calendar_minutes <= ZERO:
            return None
        return self.oee.planned_minutes / self.calendar_minutes

    @property
    def teep(self) -> Decimal | None:
        oee, loading = self.oee.oee, self.loading
        return None if oee is None or loading is None else oee * loading
