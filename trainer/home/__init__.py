"""Each role's home page and switching between roles."""
