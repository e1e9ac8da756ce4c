"""Tests of the pure vignette scoring engine."""
