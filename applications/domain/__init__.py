"""Writes on dossiers and campaigns: one module per idea, each function keyword-only, annotated, and stating in its
docstring what it guarantees (transaction, row lock, audit log, e-mails after commit)."""
