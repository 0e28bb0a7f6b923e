"""The losses views: the six losses over three windows and the downtime Pareto, for the
facility (the losses screen) or one work center (its drill-down)."""
