"""Use cases: plain functions over a Session. Each UI action is one call, one transaction."""
