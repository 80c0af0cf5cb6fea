"""Views of the public site: ``results`` (home, published results, open data) and ``press`` (the press area)."""
