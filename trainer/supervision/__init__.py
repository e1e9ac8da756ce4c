"""Supervision: session ratings on a scale, summative draws, the queue, follow-ups."""
