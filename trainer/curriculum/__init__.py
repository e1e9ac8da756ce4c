"""Curriculum: modules, their sections and knowledge checks, and trainee progress."""
