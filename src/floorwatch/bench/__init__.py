"""`floorwatch bench`: panel query latency against the round-trip floor, at named scales."""
