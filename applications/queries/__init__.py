"""Named reads on dossiers and campaigns, shared by views, the admin, exports and tests (a constant number of
queries per page)."""
