"""Supervised training cases: the case record, sessions, measures, meetings and recordings."""
