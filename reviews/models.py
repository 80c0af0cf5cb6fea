"""Review assignment, scoring and decisions (see the review issue)."""
