"""Vignette attempts: answer validation and exact scoring (see `engine`)."""
