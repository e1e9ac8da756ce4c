"""The audit log: who did what to which record, readable by organisation admins."""
