"""Item analysis: facility, discrimination and option counts per check question and
vignette stage, for the people who own the content."""
