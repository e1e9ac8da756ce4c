"""xAPI 1.0.3 statements for learning record stores: pure builders, no Flask, no database."""
