"""Tests of the pure competency estimate and eligibility engines."""
