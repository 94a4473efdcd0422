"""Use cases: each takes a session (and the matcher where needed) and owns the commit."""
