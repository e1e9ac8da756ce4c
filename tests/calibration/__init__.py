"""Tests of rater calibration."""
