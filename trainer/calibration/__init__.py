"""Rater calibration: gold-standard recordings, agreement statistics and calibration status."""
