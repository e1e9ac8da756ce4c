"""Training organisations, their members, roles, cohorts and invitations."""
