"""The shift screen's widgets: the handover tables of one shift and the one before it."""
