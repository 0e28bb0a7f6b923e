"""The detail chart: OEE per shift over the last two weeks with the target line (plotext)."""

from __future__ import annotations

from textual_plotext import PlotextPlot

from floorwatch.domain.models import OeePoint
from floorwatch.domain.oee import as_percent


class OeeChart(PlotextPlot):
    def show(self, points: list[OeePoint], *, ascii_only: bool) -> None:
        plt = self.plt
        plt.clear_data()
        planned = (p for p in points if p.totals.oee is not None)
        series = sorted(planned, key=lambda p: p.period_start)
        xs = list(range(len(series)))
        ys = [float(as_percent(p.totals.oee, 1) or 0) for p in series]
        top = max(110.0, max(ys, default=0) + 5)
        plt.ylim(0, top)
        plt.yticks([0, 25, 50, 75, 100])
        if xs:
            marker = "*" if ascii_only else "braille"
            plt.plot(xs, ys, marker=marker, label="OEE")
            targets = [float(p.target_oee_percentage or 0) for p in series]
            if any(targets):
                plt.plot(xs, targets, marker="-" if ascii_only else "dot", label="target")
            # one tick per production day (its first shift), at most about six of them
            firsts = [
                i
                for i in xs
                if i == 0 or series[i].calculation_date != series[i - 1].calculation_date
            ]
            ticks = firsts[:: max(1, len(firsts) // 6)]
            plt.xticks(ticks, [series[i].calculation_date.strftime("%m-%d") for i in ticks])
        self.refresh()
