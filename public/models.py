"""Public results and press exports (see the press issue)."""
