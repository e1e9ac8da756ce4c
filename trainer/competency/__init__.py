"""Competency profile and certification eligibility: pure engines plus their pages."""
